import { parseArgs } from 'node:util';
import { InputError, InternalError, UsageError, formatProblem } from '../util/errors.js';
import { KubectlNotFoundError } from '../validate/build/errors.js';
import { EXIT_BAD_INPUT, type Io } from './exit.js';
import { toolVersion } from '../report/tool-version.js';
import { didYouMean } from '../util/suggest.js';
import { COMMANDS, COMMAND_HELP, USAGE, isCommand } from './usage.js';

export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    // `<command> --help` wins over every other argument (as in git and npm): help never fails on a bad flag.
    if (command !== undefined && isCommand(command) && rest.some((a) => a === '--help' || a === '-h')) {
      io.stdout.write(COMMAND_HELP[command]);
      return 0;
    }
    switch (command) {
      case 'synth': {
        const { values } = parseArgs({
          args: [...rest],
          options: {
            fleet: { type: 'string', default: 'fleet.yaml' },
            out: { type: 'string' },
            site: { type: 'string', multiple: true, default: [] },
            check: { type: 'boolean', default: false },
            json: { type: 'boolean', default: false },
            'changed-since': { type: 'string' },
            validate: { type: 'boolean', default: false },
            format: { type: 'string' },
            now: { type: 'string' },
          },
          strict: true,
          allowPositionals: false,
        });
        if (!values.validate && (values.format !== undefined || values.now !== undefined)) throw new UsageError('--format and --now belong to --validate');
        const validate = values.validate ? { format: values.format ?? 'text', now: values.now } : undefined;
        return await (await import('./commands/synth.js')).synthCommand({ fleet: values.fleet, out: values.out, sites: values.site, check: values.check, json: values.json, changedSince: values['changed-since'], validate }, io);
      }
      case 'validate': {
        const { values, positionals } = parseArgs({
          args: [...rest],
          options: {
            fleet: { type: 'string', default: 'fleet.yaml' },
            root: { type: 'string' },
            site: { type: 'string', multiple: true, default: [] },
            format: { type: 'string', default: 'text' },
            now: { type: 'string' },
            shard: { type: 'string' },
            'changed-since': { type: 'string' },
          },
          strict: true,
          allowPositionals: true,
        });
        return await (await import('./commands/validate.js')).validateCommand({ paths: positionals, fleet: values.fleet, root: values.root, sites: values.site, format: values.format, now: values.now, shard: values.shard, changedSince: values['changed-since'] }, io);
      }
      case 'plan': {
        const { values } = parseArgs({
          args: [...rest],
          options: {
            base: { type: 'string' },
            head: { type: 'string' },
            format: { type: 'string', default: 'text' },
            fleet: { type: 'string', default: 'fleet.yaml' },
            'changed-since': { type: 'string' },
          },
          strict: true,
          allowPositionals: false,
        });
        return await (await import('./commands/plan.js')).planCommand({ base: values.base, head: values.head, format: values.format, fleet: values.fleet, changedSince: values['changed-since'] }, io);
      }
      case 'bootstrap': {
        const { values, positionals } = parseArgs({ args: [...rest], options: { fleet: { type: 'string', default: 'fleet.yaml' } }, strict: true, allowPositionals: true });
        if (positionals.length !== 1 || !positionals[0]) throw new UsageError('bootstrap takes exactly one site name');
        return await (await import('./commands/bootstrap.js')).bootstrapCommand({ fleet: values.fleet, site: positionals[0] }, io);
      }
      case '--version':
      case '-V':
        io.stdout.write(`edgefleet ${toolVersion()}\n`);
        return 0;
      case 'help': {
        const [topic] = rest;
        if (topic === undefined) {
          io.stdout.write(USAGE);
          return 0;
        }
        if (!isCommand(topic)) throw new UsageError(`no help for unknown command "${topic}"${didYouMean(topic, COMMANDS)}`);
        io.stdout.write(COMMAND_HELP[topic]);
        return 0;
      }
      case undefined:
      case '-h':
      case '--help':
        io.stdout.write(USAGE);
        return command === undefined ? EXIT_BAD_INPUT : 0;
      default:
        throw new UsageError(`unknown command "${command}"${didYouMean(command, COMMANDS)}`);
    }
  } catch (err) {
    return report(err, io);
  }
}

function report(err: unknown, io: Io): number {
  if (err instanceof InputError) {
    for (const p of err.problems) io.stderr.write(`error: ${formatProblem(p)}\n`);
    io.stderr.write(`\n${err.problems.length} problem(s); nothing was written.\n`);
  } else if (err instanceof UsageError || (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
    io.stderr.write(`error: ${err.message}\n\n${USAGE}`);
  } else if (err instanceof KubectlNotFoundError) {
    io.stderr.write(`error: ${err.message}\n`);
  } else if (err instanceof InternalError) {
    io.stderr.write(`${err.stack ?? err.message}\n`);
  } else {
    io.stderr.write(`internal error (a bug in edgefleet, please report it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  return EXIT_BAD_INPUT;
}
