import { dirname, resolve } from 'node:path';
import { collectInventory, missingSites, siteNames } from '../../inventory/load.js';
import { siteDirs } from '../../synth/clusters-dir.js';
import { prepareSynth, streamSynth } from '../../synth/stream.js';
import { assertWritableDir } from '../../util/atomic-write.js';
import { defaultJobs } from '../../util/worker-pool.js';
import { InputError, UsageError, type InputProblem } from '../../util/errors.js';
import { EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, type Io } from '../exit.js';
import { progress } from '../progress.js';
import { formatterFor } from '../../report/formatters/index.js';
import { sitesChangedSince } from '../changed-since.js';
import { checkNow } from '../dates.js';
import { withSuggestions } from '../../util/suggest.js';

export interface SynthArgs {
  readonly fleet: string;
  readonly out: string | undefined;
  readonly sites: readonly string[];
  readonly check: boolean;
  readonly json: boolean;
  /** Only the sites a change since this git ref can affect. */
  readonly changedSince?: string | undefined;
  /** Then validate the same sites in this process, reporting in this format (`edgefleet validate --format`). */
  readonly validate?: { readonly format: string; readonly now?: string | undefined } | undefined;
}

export async function synthCommand(args: SynthArgs, io: Io): Promise<number> {
  if (args.validate && (args.check || args.json)) throw new UsageError('--validate writes a validation report; it cannot be combined with --check or --json');
  if (args.validate) {
    formatterFor(args.validate.format); // reject an unknown format or date before writing anything
    checkNow(args.validate.now);
  }
  const fleetFile = resolve(io.cwd, args.fleet);
  const outDir = resolve(io.cwd, args.out ?? resolve(fleetFile, '..', 'clusters'));
  const tick = progress(io, 'synth');
  // Named sites without --changed-since: only their inventory files are read (one site of 10,000 in
  // well under a second); the names are checked against sites/ first, so a typo is a usage error.
  const partial = args.sites.length > 0 && args.changedSince === undefined;
  if (partial) {
    const missing = missingSites(fleetFile, args.sites);
    if (missing.length > 0) {
      const all = siteNames(fleetFile);
      throw new UsageError(`unknown site(s): ${withSuggestions(missing, all)} (the inventory has ${all.length} sites)`);
    }
  }
  // A broken inventory file does not stop the run here: the sites that did load are still resolved
  // and their output paths checked, so that one run reports every problem of its input.
  const collected = collectInventory(fleetFile, { displayFrom: io.cwd, ...(partial ? { sites: args.sites } : {}) });
  const inv = collected.usable;
  if (!inv) throw new InputError(collected.problems);
  const loadProblems = collected.problems;
  const known = new Set(inv.sites.map((s) => s.value.metadata.name));
  const unknown = args.sites.filter((s) => !known.has(s));
  if (unknown.length > 0 && loadProblems.length === 0) throw new UsageError(`unknown site(s): ${withSuggestions(unknown, [...known])} (the inventory has ${known.size} sites)`);
  // The sites this run owns: named ones, those a change can affect (deleted ones included, to remove
  // their files), or everything — then also the directories of sites that no longer exist.
  let selected: readonly string[] | undefined = args.sites.length > 0 ? args.sites : undefined;
  if (args.changedSince !== undefined) {
    const changed = await sitesChangedSince(inv, fleetFile, args.changedSince);
    if (changed !== 'all') selected = selected ? selected.filter((s) => changed.includes(s)) : changed;
  }
  // Everything is checked before the first write: capacity (resolve), then files synth does not own
  // or would reach through a symbolic link. Then sites stream through worker threads.
  const scope = selected ? [...selected] : [...new Set([...known, ...siteDirs(outDir)])].sort();
  const display = (c: InputProblem): InputProblem => ({ ...c, file: relTo(io.cwd, c.file) });
  const prepared = prepareSynth(inv, outDir, scope, { ...(selected ? { sites: selected.filter((s) => known.has(s)) } : {}), problems: loadProblems, display });
  const { conflicts } = prepared.layout;
  if (conflicts.length > 0) throw new InputError(conflicts.map(display));
  defaultJobs(); // a bad EDGEFLEET_JOBS is a usage error before the output directory is created
  if (!args.check) await assertWritableDir(outDir).catch((err: unknown) => {
    throw err instanceof InputError ? new InputError(err.problems.map(display)) : err;
  });
  const sites = prepared.plan.sites.length;
  tick(args.check ? `rendering and comparing ${sites} sites` : `rendering and writing ${sites} sites`);
  const { change, files } = await streamSynth(prepared, { check: args.check });
  tick.done();
  // Leftover temporary files of a killed run are drift too: a real synth would remove them.
  const drift = [...change.create, ...change.update, ...change.remove, ...change.leftovers];

  if (args.check) {
    if (args.json) io.stdout.write(`${JSON.stringify({ ok: drift.length === 0, create: change.create, update: change.update, remove: change.remove, leftovers: change.leftovers }, null, 2)}\n`);
    else if (drift.length === 0) io.stdout.write(`clusters/ is up to date (${files} files, ${sites} sites)\n`);
    else {
      const outRel = relTo(io.cwd, outDir);
      for (const p of change.create) io.stdout.write(`missing:  ${outRel}/${p}\n`);
      for (const p of change.update) io.stdout.write(`differs:  ${outRel}/${p}\n`);
      for (const p of change.remove) io.stdout.write(`stale:    ${outRel}/${p}\n`);
      for (const p of change.leftovers) io.stdout.write(`leftover: ${outRel}/${p}\n`);
      io.stdout.write(`\n${drift.length} file(s) differ from a fresh synth. Fix: npm run synth (then commit ${outRel}/)\n`);
    }
    return drift.length === 0 ? EXIT_OK : EXIT_FINDINGS;
  }

  const summary = { sites, files, created: change.create.length, updated: change.update.length, removed: change.remove.length, unchanged: change.unchanged };
  const line = `synth: ${summary.sites} sites, ${summary.files} files (${summary.created} created, ${summary.updated} updated, ${summary.removed} removed, ${summary.unchanged} unchanged) in ${relTo(io.cwd, outDir)}/\n`;
  if (args.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else if (args.validate) io.stderr.write(line); // stdout carries the validation report alone
  else io.stdout.write(line);
  if (!args.validate) return EXIT_OK;
  // The same selection, validated in this process: one cold start for an engineer's one-site loop. The
  // inventory is reused when its file names are what validate reports (relative to the fleet's directory).
  const { validateCommand } = await import('./validate.js');
  const reuse = dirname(fleetFile) === resolve(io.cwd);
  return validateCommand({ paths: [], fleet: fleetFile, root: undefined, sites: args.sites, format: args.validate.format, now: args.validate.now, shard: undefined, changedSince: args.changedSince, clustersDir: outDir, inventory: reuse ? inv : undefined }, io);
}

function relTo(cwd: string, p: string): string {
  const r = resolve(p).startsWith(cwd + '/') ? resolve(p).slice(cwd.length + 1) : resolve(p);
  return r || '.';
}

export { EXIT_BAD_INPUT };
