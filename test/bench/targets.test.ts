import { describe, expect, it } from 'vitest';
import { summarise, sumSamples, withFloor, type Figure, type FigureName } from '../../bench/lib/figures.js';
import type { Sample } from '../../bench/lib/measure.js';
import { evaluateTargets, type Target } from '../../bench/lib/targets.js';

const sample = (wallS: number, cpuS: number, rssMb: number, exitCode = 0): Sample => ({ wallS, cpuS, sysS: cpuS / 10, maxRssKiB: (rssMb * 1e6) / 1024, exitCode });
const fig = (name: FigureName, sites: number, wallS: number, cpuS: number, rssMb: number): Figure => summarise(name, sites, [sample(wallS, cpuS, rssMb)], 1);
const byName = (targets: readonly Target[], name: string): Target | undefined => targets.find((t) => t.name === name);

describe('summarise', () => {
  it('reports medians, every run, CPU per wall and the largest RSS', () => {
    const f = summarise('validate', 1000, [sample(20, 22, 480), sample(24, 25, 500), sample(22, 23, 490)], 3);
    expect(f.wall_s).toEqual({ median: 22, runs: [20, 24, 22] });
    expect(f.cpu_s.median).toBe(23);
    expect(f.cpu_per_wall).toBe(1.05);
    expect(f.max_rss_mb).toEqual({ median: 490, max: 500, runs: [480, 500, 490] });
    expect(f.rounds).toEqual({ planned: 3, run: 3 });
    expect(Object.keys(f)).toEqual(['name', 'sites', 'wall_s', 'cpu_s', 'sys_s', 'cpu_per_wall', 'max_rss_mb', 'exit_codes', 'rounds']);
  });

  it('keeps the note when the budget cut the rounds', () => {
    expect(summarise('validate', 10000, [sample(271, 250, 2300)], 3, 'over budget').rounds).toEqual({ planned: 3, run: 1, note: 'over budget' });
  });

  it('relates a figure to its floor by the ratio of medians', () => {
    const floor = fig('synth-floor', 10000, 10, 10, 400);
    expect(withFloor(fig('synth', 10000, 38, 40, 1300), floor)).toMatchObject({ floor: { name: 'synth-floor', wall_s: 10 }, ratio_to_floor: 3.8 });
  });

  it('adds two sequential commands per round, peak RSS being the larger', () => {
    expect(sumSamples([sample(1, 1.2, 260)], [sample(1.5, 2, 250, 1)])).toEqual([{ wallS: 2.5, cpuS: 3.2, sysS: 0.32, maxRssKiB: sample(0, 0, 260).maxRssKiB, exitCode: 1 }]);
  });
});

describe('evaluateTargets', () => {
  const floor = fig('synth-floor', 10000, 10, 10, 400);
  const figures: Figure[] = [
    fig('synth', 1000, 4, 5, 284),
    withFloor(fig('synth', 10000, 19, 36, 1296), floor),
    fig('validate', 10000, 271, 255, 2330),
    fig('validate', 1000, 22, 25, 485),
    fig('one-site', 1000, 1.6, 2, 150),
    fig('one-site', 10000, 6.5, 7, 262),
  ];
  const targets = evaluateTargets(figures, { cores: 2, sizes: [1000, 10000] });

  it('passes and fails on the stated limits', () => {
    expect(byName(targets, 'full synth, 10,000 sites: wall ÷ floor wall')).toEqual({ name: 'full synth, 10,000 sites: wall ÷ floor wall', comparison: '<=', limit: 2, unit: '×', measured: 1.9, pass: true });
    expect(byName(targets, 'full validate, 10,000 sites: wall')).toMatchObject({ measured: 271, pass: false });
    expect(byName(targets, 'one-site synth + validate, cold, 1,000 sites: wall')).toMatchObject({ measured: 1.6, pass: true });
    expect(byName(targets, 'one-site synth + validate, cold, 10,000 sites: wall')).toMatchObject({ measured: 6.5, pass: false });
    expect(byName(targets, 'peak RSS, 10,000 sites: synth')).toMatchObject({ limit: 1500, measured: 1296, pass: true });
    expect(byName(targets, 'peak RSS, 10,000 sites: validate')).toMatchObject({ measured: 2330, pass: false });
  });

  it('measures RSS growth between the two sizes', () => {
    expect(byName(targets, 'RSS growth 1,000 → 10,000 sites: synth')).toMatchObject({ measured: 1012, pass: false });
    expect(byName(targets, 'RSS growth 1,000 → 10,000 sites: validate')).toMatchObject({ measured: 1845, pass: false });
  });

  it('reads "both cores used" as CPU ÷ wall ≥ 0.75 × cores', () => {
    expect(byName(targets, 'CPU ÷ wall (parallel work), 10,000 sites: synth')).toMatchObject({ comparison: '>=', limit: 1.5, measured: 1.89, pass: true });
    expect(byName(targets, 'CPU ÷ wall (parallel work), 10,000 sites: validate')).toMatchObject({ measured: 0.94, pass: false });
  });

  it('judges CPU ÷ wall only for work spread over sites (not a one-site plan)', () => {
    const plan = evaluateTargets([fig('plan-one-site', 10000, 20, 24, 210)], { cores: 2, sizes: [10000] });
    expect(plan.filter((t) => t.name.startsWith('CPU ÷ wall')).map((t) => t.name)).toEqual([
      'CPU ÷ wall (parallel work), 10,000 sites: synth',
      'CPU ÷ wall (parallel work), 10,000 sites: validate',
    ]);
    expect(byName(plan, 'peak RSS, 10,000 sites: plan-one-site')).toMatchObject({ measured: 210, pass: true });
  });

  it('says "not measured" rather than pass or fail for what the run skipped', () => {
    const small = evaluateTargets([fig('synth', 1000, 4, 5, 284)], { cores: 2, sizes: [1000] });
    expect(byName(small, 'full validate, 10,000 sites: wall')).toMatchObject({ measured: null, pass: null });
    expect(byName(small, 'RSS growth 1,000 → 10,000 sites: synth')).toMatchObject({ measured: null, pass: null });
    expect(byName(small, 'one-site synth + validate, cold, 1,000 sites: wall')).toMatchObject({ measured: null, pass: null });
    expect(small.filter((t) => t.pass !== null)).toEqual([]);
  });

  it('reads the one-site target from the one-process run, not the two-process sum', () => {
    const two = evaluateTargets([fig('one-site-total', 10000, 1.2, 1.5, 130)], { cores: 2, sizes: [10000] });
    expect(byName(two, 'one-site synth + validate, cold, 10,000 sites: wall')).toMatchObject({ measured: null, pass: null });
  });
});
