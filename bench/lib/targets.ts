import type { Figure, FigureName } from './figures.js';
import { round } from './stats.js';

/** The scale: targets are stated for 10,000 sites, growth from 1,000. */
export const LARGE = 10_000;
export const SMALL = 1_000;

export interface Target {
  readonly name: string;
  readonly comparison: '<=' | '>=';
  readonly limit: number;
  readonly unit: string;
  /** null when the run did not measure it (e.g. `--sizes 1000`). */
  readonly measured: number | null;
  readonly pass: boolean | null;
}

/** The commands a user runs (floors are not the tool's own memory or parallelism). */
const COMMANDS: readonly FigureName[] = ['synth', 'validate', 'plan-one-site', 'one-site', 'one-site-synth', 'one-site-validate'];
/**
 * Work that is parallel across sites: both cores should be busy. Not plan-one-site: a one-site change
 * renders and builds only the sites it reaches (one), and the rest is git and the extraction of the base
 * tree, one after the other; nothing there is spread over sites, so its CPU ÷ wall is reported, not judged.
 */
const PARALLEL: readonly FigureName[] = ['synth', 'validate'];

export interface TargetOptions {
  /** Cores of this machine; "both cores used" is read as CPU ÷ wall ≥ 0.75 × cores. */
  readonly cores: number;
  /** Sizes this run measured; the one-site target is evaluated at each, and always at LARGE. */
  readonly sizes: readonly number[];
}

function target(name: string, comparison: '<=' | '>=', limit: number, unit: string, measured: number | undefined): Target {
  if (measured === undefined || !Number.isFinite(measured)) return { name, comparison, limit, unit, measured: null, pass: null };
  return { name, comparison, limit, unit, measured, pass: comparison === '<=' ? measured <= limit : measured >= limit };
}

export function evaluateTargets(figures: readonly Figure[], options: TargetOptions): Target[] {
  const find = (name: FigureName, sites: number): Figure | undefined => figures.find((f) => f.name === name && f.sites === sites);
  const n = (sites: number): string => sites.toLocaleString('en-US');
  const targets: Target[] = [];
  targets.push(target(`full synth, ${n(LARGE)} sites: wall ÷ floor wall`, '<=', 2, '×', find('synth', LARGE)?.ratio_to_floor));
  targets.push(target(`full validate, ${n(LARGE)} sites: wall`, '<=', 60, 's', find('validate', LARGE)?.wall_s.median));
  for (const sites of [...new Set([...options.sizes, LARGE])].sort((a, b) => a - b)) {
    // `synth --site S --validate`: one cold process, start included (the two-process sum is info).
    targets.push(target(`one-site synth + validate, cold, ${n(sites)} sites: wall`, '<=', 2, 's', find('one-site', sites)?.wall_s.median));
  }
  for (const name of COMMANDS) {
    targets.push(target(`peak RSS, ${n(LARGE)} sites: ${name}`, '<=', 1500, 'MB', find(name, LARGE)?.max_rss_mb.max));
  }
  for (const name of COMMANDS) {
    const large = find(name, LARGE)?.max_rss_mb.max;
    const small = find(name, SMALL)?.max_rss_mb.max;
    targets.push(target(`RSS growth ${n(SMALL)} → ${n(LARGE)} sites: ${name}`, '<=', 300, 'MB', large === undefined || small === undefined ? undefined : round(large - small, 1)));
  }
  const busy = round(0.75 * options.cores, 2);
  for (const name of PARALLEL) {
    targets.push(target(`CPU ÷ wall (parallel work), ${n(LARGE)} sites: ${name}`, '>=', busy, `cores of ${options.cores}`, find(name, LARGE)?.cpu_per_wall));
  }
  return targets;
}
