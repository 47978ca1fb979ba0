import { cpus, release, totalmem, type as osType, availableParallelism } from 'node:os';
import type { Figure } from './figures.js';
import type { Target } from './targets.js';

export interface Machine {
  readonly cpus: number;
  readonly model: string;
  readonly memory: string;
  readonly os: string;
}

export function machineInfo(): Machine {
  return {
    cpus: availableParallelism(),
    model: cpus()[0]?.model.trim() ?? 'unknown',
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${osType()} ${release()}`,
  };
}

export interface Results {
  readonly machine: Machine;
  readonly node: string;
  readonly date: string;
  readonly units: Readonly<Record<string, string>>;
  readonly method: Readonly<Record<string, string>>;
  readonly figures: readonly Figure[];
  readonly targets: readonly Target[];
}

const UNITS = {
  wall_s: 'seconds, spawn to exit as the parent sees it (process start included)',
  cpu_s: 'seconds, user + system CPU of the process and the children it waited for (kubectl, git), from wait4 via GNU time',
  sys_s: 'seconds, the system (kernel) part of cpu_s',
  max_rss_mb: 'decimal MB (10^6 bytes) of the OS maximum resident set (GNU time %M), not the JS heap',
  cpu_per_wall: 'median CPU ÷ median wall',
  ratio_to_floor: 'median wall ÷ median wall of the floor measured in the same run, alternating rounds',
};

const METHOD = {
  children: 'every measured run is a fresh `node` process under /usr/bin/time; outputs go to fresh directories; `sync` before each run',
  floor: 'bench/floor.mjs (plain JS, no tsx): load the documents synth wrote (parsed beforehand, outside the timed region, one JSON file), yaml.stringify each with synth\'s options, writeFileSync each file into a fresh directory; its output is checked byte-identical to synth\'s',
  floor_atomic: 'the same, but each file written like synth does (temporary file, fsync, rename, 16 at a time); informational',
  plan: 'git repository of the generated fleet with clusters/ committed; one site\'s replicas override changed in the working tree; `edgefleet plan --base HEAD --format json`',
  one_site: 'the same changed site: `synth --site X` (clusters/X reset to HEAD first) then `validate --site X`, each a fresh process',
};

/** Key order is fixed here, figures and targets arrive sorted: the file diffs cleanly between runs. */
export function buildResults(machine: Machine, figures: readonly Figure[], targets: readonly Target[], date: Date): Results {
  return { machine, node: process.version, date: date.toISOString(), units: UNITS, method: METHOD, figures, targets };
}
