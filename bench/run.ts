/**
 * `npm run bench`: fleet-scale figures with their own floor, measured in the same run.
 *
 * For each size (default 1,000 and 10,000 sites, `--sizes`): full synth (alternating with its floor,
 * bench/floor.mjs), full validate, plan for a one-site change, and synth + validate of one site from a
 * cold process. Every measured run is a fresh `node` child under GNU time (wall, CPU incl. kubectl/git
 * children, OS max RSS). Prints a table and the targets to stdout, progress to stderr, and writes
 * bench/results.json.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sortFigures, type Figure } from './lib/figures.js';
import { measure } from './lib/measure.js';
import { PHASES, USAGE, parseOptions, type BenchOptions } from './lib/options.js';
import { buildResults, machineInfo } from './lib/results.js';
import { GNU_TIME } from './lib/rusage.js';
import { benchSize, type Log } from './lib/size-run.js';
import { formatFigures, formatTargets } from './lib/table.js';
import { evaluateTargets } from './lib/targets.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();

const log: Log = (message) => {
  const s = Math.round((performance.now() - started) / 1000);
  process.stderr.write(`[bench ${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${message}\n`);
};

/**
 * GNU time's %M must be the child's own maximum RSS (some old builds reported it 4× too large): a child
 * touching 200 MB reports its own getrusage maxRSS, and the two must agree.
 */
async function calibrate(dir: string): Promise<void> {
  const script = 'Buffer.alloc(200e6, 1); process.stdout.write(String(process.resourceUsage().maxRSS))';
  const stem = join(dir, 'calibrate');
  const sample = await measure({ nodeArgs: ['-e', script], cwd: dir, stdoutFile: `${stem}.out`, stderrFile: `${stem}.err`, timeFile: `${stem}.time` });
  const own = Number(readFileSync(`${stem}.out`, 'utf8'));
  const ratio = sample.maxRssKiB / own;
  if (!(ratio > 0.9 && ratio < 1.1)) throw new Error(`GNU time reports max RSS ${sample.maxRssKiB} KiB, the child itself ${own} KiB: cannot trust %M here`);
  log(`calibrated: GNU time %M ${sample.maxRssKiB} KiB vs the child's own maxRSS ${own} KiB`);
}

async function main(options: BenchOptions): Promise<void> {
  const paths = { bin: join(REPO, 'bin', 'edgefleet.js'), floor: join(REPO, 'bench', 'floor.mjs') };
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is needed to measure CPU and max RSS of each child`);
  const out = resolve(options.out);
  // A previous run's tree is set aside now and deleted after measuring (see size-run.ts: deletions
  // slow down the file creations that follow them).
  const trash = `${out}.trash-${process.pid}`;
  if (existsSync(out)) renameSync(out, trash);
  mkdirSync(out, { recursive: true });
  const resolved: BenchOptions = { ...options, out };
  const machine = machineInfo();
  log(`${machine.cpus} × ${machine.model}, ${machine.memory}, node ${process.version}; sizes ${options.sizes.join(', ')}; ${options.rounds} round(s); budget ${options.budgetS / 60} min per figure; phases ${[...options.phases].join(', ')}`);
  await calibrate(out);

  const figures: Figure[] = [];
  const write = (): ReturnType<typeof buildResults> => {
    const sorted = sortFigures(figures);
    const results = buildResults(machine, sorted, evaluateTargets(sorted, { cores: machine.cpus, sizes: options.sizes }), new Date());
    const file = resolve(REPO, options.results);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    return results;
  };
  for (const sites of options.sizes) {
    figures.push(...(await benchSize(sites, resolved, paths, log)));
    write(); // a partial file survives an interrupted run
  }
  const results = write();
  process.stdout.write(`\nedgefleet bench — ${machine.cpus} × ${machine.model}, ${machine.memory}, ${machine.os}, node ${process.version}\n\n`);
  process.stdout.write(`${formatFigures(results.figures)}\n\n${formatTargets(results.targets)}\n\n`);
  const failed = results.targets.filter((t) => t.pass === false).length;
  const unmeasured = results.targets.filter((t) => t.pass === null).length;
  process.stdout.write(`${results.targets.length - failed - unmeasured} target(s) pass, ${failed} fail, ${unmeasured} not measured — results in ${options.results} (${Math.round((performance.now() - started) / 60000)} min)\n`);
  log('deleting the previous run\'s tree and this run\'s scratch outputs (fleets and logs stay)');
  rmSync(trash, { recursive: true, force: true });
  for (const sites of options.sizes) rmSync(join(out, `n${sites}`, 'scratch'), { recursive: true, force: true });
}

try {
  await main(parseOptions(process.argv.slice(2)));
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\nphases: ${PHASES.join(', ')}\n`);
  process.exitCode = 2;
}
