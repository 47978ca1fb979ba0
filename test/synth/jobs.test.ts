import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fleetOf } from '../helpers/example-fleet.js';
import { REPO_ROOT } from '../helpers/example-copy.js';

// The built CLI (dist/, plain JavaScript workers) with EDGEFLEET_JOBS=1 and 2: same bytes, same summary.

const BIN = join(REPO_ROOT, 'bin/edgefleet.js');

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

function synth(fleetFile: string, out: string, jobs: string, ...extra: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'synth', '--fleet', fleetFile, '--out', out, '--json', ...extra], { encoding: 'utf8', env: { ...process.env, EDGEFLEET_JOBS: jobs }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('synth with EDGEFLEET_JOBS', () => {
  // EDGEFLEET_JOBS=2 starts two worker threads even for a fleet smaller than 2 × MIN_SITES_PER_JOB.
  const fleet = fleetOf(320);
  afterAll(() => fleet.cleanup());

  it('renders byte-identical trees with one job and with two', () => {
    const one = synth(fleet.fleetFile, join(fleet.dir, 'one'), '1');
    const two = synth(fleet.fleetFile, join(fleet.dir, 'two'), '2');
    expect(one.stderr).toBe('');
    expect(two.stderr).toBe('');
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    expect(JSON.parse(one.stdout)).toMatchObject({ sites: 320, created: JSON.parse(one.stdout).files, updated: 0, removed: 0, unchanged: 0 });
    const a = tree(join(fleet.dir, 'one'));
    expect(a.size).toBe(JSON.parse(one.stdout).files);
    expect(tree(join(fleet.dir, 'two'))).toEqual(a);

    const check = synth(fleet.fleetFile, join(fleet.dir, 'two'), '2', '--check');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toEqual({ ok: true, create: [], update: [], remove: [], leftovers: [] });
  });

  it('rejects an EDGEFLEET_JOBS that is not a positive integer (exit 2, nothing written)', () => {
    const out = join(fleet.dir, 'bad');
    const r = synth(fleet.fleetFile, out, 'many');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('EDGEFLEET_JOBS must be a positive integer, got "many"');
    expect(existsSync(out)).toBe(false);
  });
});
