import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateFleet } from '../generate-fleet.js';
import { summarise, sumSamples, withFloor, type Figure, type FigureName } from './figures.js';
import { differingFiles, writeFloorInput } from './floor-input.js';
import { commitFleet, editOneSite, resetSiteClusters } from './fleet-repo.js';
import { measure, type Sample } from './measure.js';
import type { BenchOptions } from './options.js';

export interface Paths {
  /** bin/edgefleet.js (runs dist/, compiled by `npm run build`). */
  readonly bin: string;
  /** bench/floor.mjs */
  readonly floor: string;
}

export type Log = (message: string) => void;

const mb = (kib: number): string => `${Math.round((kib * 1024) / 1e6)} MB`;

/** Everything measured at one fleet size; returns its figures. */
export async function benchSize(sites: number, options: BenchOptions, paths: Paths, log: Log): Promise<Figure[]> {
  const base = join(options.out, `n${sites}`);
  const fleet = join(base, 'fleet');
  const scratch = join(base, 'scratch');
  const logs = join(base, 'logs');
  // Nothing is deleted while measuring (the caller starts from an empty directory and deletes at the
  // end): on ext4, creating files within minutes of deleting tens of thousands costs seconds of system
  // time (the inode allocator's recently_deleted() scan), which would land on whichever run comes next.
  mkdirSync(scratch, { recursive: true });
  mkdirSync(logs, { recursive: true });
  const figures: Figure[] = [];
  const R = options.rounds;

  /** One measured child: fresh process, `sync` first so no run pays for the previous one's writeback. */
  const run = async (figure: FigureName, round: number, nodeArgs: readonly string[], okCodes: readonly number[] = [0]): Promise<Sample> => {
    execFileSync('sync');
    const stem = join(logs, `${figure}-r${round}`);
    const sample = await measure({ nodeArgs, cwd: fleet, stdoutFile: `${stem}.out`, stderrFile: `${stem}.err`, timeFile: `${stem}.time` });
    log(`  ${sites} sites · ${figure} round ${round}: ${sample.wallS.toFixed(2)} s wall, ${sample.cpuS.toFixed(1)} s CPU (${sample.sysS.toFixed(1)} sys), ${mb(sample.maxRssKiB)} max RSS, exit ${sample.exitCode}`);
    if (!okCodes.includes(sample.exitCode)) throw new Error(`${figure} at ${sites} sites exited ${sample.exitCode}; see ${stem}.err`);
    return sample;
  };

  /** Runs `once` for up to `planned` rounds, fewer when round 1 shows the set would exceed the budget. */
  const rounds = async (what: string, planned: number, once: (round: number) => Promise<number>): Promise<{ run: number; note?: string }> => {
    let limit = planned;
    let note: string | undefined;
    for (let r = 1; r <= limit; r++) {
      const wall = await once(r);
      if (r === 1 && planned > 1 && wall * planned > options.budgetS) {
        limit = Math.max(1, Math.floor(options.budgetS / wall));
        note = `${limit} of ${planned} rounds: ${planned} would take ~${((wall * planned) / 60).toFixed(1)} min, over the ${(options.budgetS / 60).toFixed(0)} min budget per figure (--budget-min)`;
        log(`  ${what}: ${note}`);
      }
    }
    return note === undefined ? { run: limit } : { run: limit, note };
  };

  log(`${sites} sites: generating the fleet in ${fleet}`);
  generateFleet(sites, fleet);
  const warm = await run('synth', 0, [paths.bin, 'synth', '--fleet', 'fleet.yaml', '--json']);
  log(`  warm-up synth into fleet/clusters (not counted): ${warm.wallS.toFixed(1)} s`);

  if (options.phases.has('synth')) {
    const input = join(scratch, 'floor-input.json');
    const count = writeFloorInput(join(fleet, 'clusters'), input);
    log(`  floor input: ${count} files parsed into ${input} (not timed)`);
    const floor: Sample[] = [];
    const real: Sample[] = [];
    const atomic: Sample[] = [];
    // Every run writes into a directory of its own, like a first synth into an empty clusters/.
    const out = (figure: FigureName, r: number): string => join(scratch, `${figure}-r${r}`);
    await run('synth-floor', 0, [paths.floor, input, out('synth-floor', 0)]);
    const differ = differingFiles(out('synth-floor', 0), join(fleet, 'clusters'));
    if (differ.length > 0) throw new Error(`the floor does not write what synth writes: ${differ.length} file(s) differ, e.g. ${differ.slice(0, 3).join(', ')}`);
    log(`  warm-up floor (not counted): output byte-identical to synth's (${count} files)`);
    const done = await rounds(`${sites} sites · synth`, R, async (r) => {
      floor.push(await run('synth-floor', r, [paths.floor, input, out('synth-floor', r)]));
      const s = await run('synth', r, [paths.bin, 'synth', '--fleet', 'fleet.yaml', '--out', out('synth', r), '--json']);
      const files = (JSON.parse(readFileSync(join(logs, `synth-r${r}.out`), 'utf8')) as { files: number }).files;
      if (files !== count) throw new Error(`synth wrote ${files} files, the floor ${count}`);
      real.push(s);
      atomic.push(await run('synth-floor-atomic', r, [paths.floor, input, out('synth-floor-atomic', r), '--atomic']));
      return (floor.at(-1)?.wallS ?? 0) + s.wallS + (atomic.at(-1)?.wallS ?? 0);
    });
    const floorFig = summarise('synth-floor', sites, floor, R, done.note);
    figures.push(floorFig, withFloor(summarise('synth', sites, real, R, done.note), floorFig), withFloor(summarise('synth-floor-atomic', sites, atomic, R, done.note), floorFig));
  }

  if (options.phases.has('validate')) {
    const samples: Sample[] = [];
    // Exit 1 (findings) is still a complete run; exit 2 is not.
    const done = await rounds(`${sites} sites · validate`, R, async (r) => {
      const s = await run('validate', r, [paths.bin, 'validate', '--fleet', 'fleet.yaml', '--format', 'json'], [0, 1]);
      samples.push(s);
      return s.wallS;
    });
    figures.push(summarise('validate', sites, samples, R, done.note));
  }

  if (options.phases.has('plan') || options.phases.has('one-site')) {
    commitFleet(fleet);
    const edit = editOneSite(fleet);
    log(`  committed the fleet; one-site change: ${edit.file} (${edit.description})`);

    if (options.phases.has('plan')) {
      const samples: Sample[] = [];
      const done = await rounds(`${sites} sites · plan`, R, async (r) => {
        const s = await run('plan-one-site', r, [paths.bin, 'plan', '--base', 'HEAD', '--fleet', 'fleet.yaml', '--format', 'json']);
        if (r === 1) {
          const plan = JSON.parse(readFileSync(join(logs, 'plan-one-site-r1.out'), 'utf8')) as { fleet: { sites: number; affected: number } };
          log(`  plan: ${plan.fleet.affected} of ${plan.fleet.sites} sites affected`);
        }
        samples.push(s);
        return s.wallS;
      });
      figures.push(summarise('plan-one-site', sites, samples, R, done.note));
    }

    if (options.phases.has('one-site')) {
      // The engineer's loop, `synth --site S --validate` (one cold process: the target), and for
      // comparison the same work as two processes, `synth --site S` then `validate --site S`.
      const both: Sample[] = [];
      const synth: Sample[] = [];
      const validate: Sample[] = [];
      const done = await rounds(`${sites} sites · one site`, R, async (r) => {
        resetSiteClusters(fleet, edit.site);
        both.push(await run('one-site', r, [paths.bin, 'synth', '--fleet', 'fleet.yaml', '--site', edit.site, '--validate', '--format', 'json'], [0, 1]));
        resetSiteClusters(fleet, edit.site);
        synth.push(await run('one-site-synth', r, [paths.bin, 'synth', '--fleet', 'fleet.yaml', '--site', edit.site, '--json']));
        validate.push(await run('one-site-validate', r, [paths.bin, 'validate', '--fleet', 'fleet.yaml', '--site', edit.site, '--format', 'json'], [0, 1]));
        return (both.at(-1)?.wallS ?? 0) + (synth.at(-1)?.wallS ?? 0) + (validate.at(-1)?.wallS ?? 0);
      });
      figures.push(
        summarise('one-site', sites, both, R, done.note),
        summarise('one-site-synth', sites, synth, R, done.note),
        summarise('one-site-validate', sites, validate, R, done.note),
        summarise('one-site-total', sites, sumSamples(synth, validate), R, done.note),
      );
    }
  }
  return figures;
}
