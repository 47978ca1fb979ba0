import { parseArgs } from 'node:util';
import { InputError, InternalError, UsageError, formatProblem } from '../util/errors.js';
import { KubectlNotFoundError } from '../validate/build/errors.js';
import { EXIT_BAD_INPUT, type Io } from './exit.js';
import { FORMATS } from '../report/formatters/index.js';

const USAGE = `usage: edgefleet <command> [options]

commands:
  synth [--fleet fleet.yaml] [--out DIR] [--site NAME]... [--changed-since REF] [--check] [--json]
        [--validate [--format F] [--now YYYY-MM-DD]]
      render every site's Flux tree into clusters/<site>/ (--check: exit 1 if clusters/ differs;
      --validate: then validate the same sites in the same process, as \`validate\` would)
  validate [PATH]... [--fleet fleet.yaml] [--root DIR] [--site NAME]... [--format ${FORMATS.join('|')}]
           [--now YYYY-MM-DD] [--shard I/N] [--changed-since REF]
      check the repository as the sites will see it: drift, strict schemas, references, and every
      Flux Kustomization built with kustomize and substituted per site; with PATHs, check those
      manifests (resolved from the git top level, or --root)
  plan --base REF [--head REF] [--format text|json|markdown] [--fleet fleet.yaml] [--changed-since REF]
      what each site would apply differently at the working tree (or --head) than at REF, and what
      every site's Flux source downloads for the new commit
  bootstrap <site> [--fleet fleet.yaml]
      print the commands that install a site's runtime and bootstrap Flux for it

exit codes: 0 ok · 1 drift or findings at error severity · 2 usage, bad input or internal error
`;

export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
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
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(USAGE);
        return command === undefined ? EXIT_BAD_INPUT : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
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
