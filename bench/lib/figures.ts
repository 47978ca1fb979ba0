import type { Sample } from './measure.js';
import { kibToMb, median, round } from './stats.js';

/** What a figure measures; the order is the table's and results.json's. */
export const FIGURE_NAMES = [
  'synth-floor',
  'synth',
  'synth-floor-atomic',
  'validate',
  'plan-one-site',
  'one-site',
  'one-site-synth',
  'one-site-validate',
  'one-site-total',
] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

export const FIGURE_LABELS: Readonly<Record<FigureName, string>> = {
  'synth-floor': 'floor: yaml.stringify + writeFileSync',
  synth: 'full synth',
  'synth-floor-atomic': 'floor, atomic writes (info)',
  validate: 'full validate',
  'plan-one-site': 'plan, one-site change',
  'one-site': 'one site: synth --validate (one cold process)',
  'one-site-synth': 'one site: synth (cold, info)',
  'one-site-validate': 'one site: validate (cold, info)',
  'one-site-total': 'one site: the two processes (info)',
};

export interface Series {
  readonly median: number;
  readonly runs: number[];
}

export interface Figure {
  readonly name: FigureName;
  readonly sites: number;
  readonly wall_s: Series;
  readonly cpu_s: Series;
  /** The kernel's share of cpu_s. */
  readonly sys_s: Series;
  /** median CPU ÷ median wall: 1 is one core busy, 2 both cores of this machine. */
  readonly cpu_per_wall: number;
  readonly max_rss_mb: Series & { readonly max: number };
  readonly exit_codes: number[];
  readonly rounds: { readonly planned: number; readonly run: number; readonly note?: string };
  readonly floor?: { readonly name: FigureName; readonly wall_s: number };
  readonly ratio_to_floor?: number;
}

export function series(values: readonly number[], digits: number): Series {
  return { median: round(median(values), digits), runs: values.map((v) => round(v, digits)) };
}

/** Summarises the samples of one figure (one sample per round), keys in a fixed order. */
export function summarise(name: FigureName, sites: number, samples: readonly Sample[], planned: number, note?: string): Figure {
  const wall = series(samples.map((s) => s.wallS), 3);
  const cpu = series(samples.map((s) => s.cpuS), 2);
  const rss = series(samples.map((s) => kibToMb(s.maxRssKiB)), 1);
  return {
    name,
    sites,
    wall_s: wall,
    cpu_s: cpu,
    sys_s: series(samples.map((s) => s.sysS), 2),
    cpu_per_wall: round(median(samples.map((s) => s.cpuS)) / median(samples.map((s) => s.wallS)), 2),
    max_rss_mb: { median: rss.median, max: Math.max(...rss.runs), runs: rss.runs },
    exit_codes: samples.map((s) => s.exitCode),
    rounds: note === undefined ? { planned, run: samples.length } : { planned, run: samples.length, note },
  };
}

/** Adds the floor of the same run: the ratio of medians. */
export function withFloor(figure: Figure, floor: Figure): Figure {
  return { ...figure, floor: { name: floor.name, wall_s: floor.wall_s.median }, ratio_to_floor: round(figure.wall_s.median / floor.wall_s.median, 2) };
}

/** Per-round sum of two sequential commands (wall and CPU add up; peak RSS is the larger of the two). */
export function sumSamples(a: readonly Sample[], b: readonly Sample[]): Sample[] {
  return a.map((x, i) => {
    const y = b[i] as Sample;
    return { wallS: x.wallS + y.wallS, cpuS: x.cpuS + y.cpuS, sysS: x.sysS + y.sysS, maxRssKiB: Math.max(x.maxRssKiB, y.maxRssKiB), exitCode: Math.max(x.exitCode, y.exitCode) };
  });
}

export function sortFigures(figures: readonly Figure[]): Figure[] {
  return [...figures].sort((a, b) => a.sites - b.sites || FIGURE_NAMES.indexOf(a.name) - FIGURE_NAMES.indexOf(b.name));
}
