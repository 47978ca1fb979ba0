import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fleetOf } from '../helpers/example-fleet.js';
import { REPO_ROOT } from '../helpers/example-copy.js';

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

function synth(fleetFile: string, out: string): void {
  const r = spawnSync(process.execPath, [BIN, 'synth', '--fleet', fleetFile, '--out', out], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

describe('synth from a cold process', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => cleanups.forEach((c) => c()));

  it('renders byte-identical trees in two separate processes', () => {
    const fleet = fleetOf(24);
    cleanups.push(fleet.cleanup);
    synth(fleet.fleetFile, join(fleet.dir, 'a'));
    synth(fleet.fleetFile, join(fleet.dir, 'b'));
    const a = tree(join(fleet.dir, 'a'));
    expect(a.size).toBeGreaterThan(24 * 2);
    expect(tree(join(fleet.dir, 'b'))).toEqual(a);
  });

  it('leaves no truncated file when killed mid-run, and a rerun converges', async () => {
    const fleet = fleetOf(400);
    cleanups.push(fleet.cleanup);
    const out = join(fleet.dir, 'clusters');
    const reference = join(fleet.dir, 'reference');
    synth(fleet.fleetFile, reference);
    const expected = tree(reference);

    // Kill the writer as soon as it has started writing files.
    const child = spawn(process.execPath, [BIN, 'synth', '--fleet', fleet.fleetFile, '--out', out], { stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(out) && readdirSync(out).length >= 3) {
          child.kill('SIGKILL');
          clearInterval(poll);
        }
      }, 2);
      child.on('exit', () => {
        clearInterval(poll);
        resolve();
      });
    });
    const partial = tree(out);
    // Every complete file equals what a full run writes; only temp files may be left behind.
    let complete = 0;
    for (const [path, content] of partial) {
      if (path.split('/').pop()!.startsWith('.edgefleet-tmp-')) continue;
      expect(content, path).toBe(expected.get(path));
      complete++;
    }
    expect(complete).toBeLessThan(expected.size); // it really was interrupted

    synth(fleet.fleetFile, out);
    expect(tree(out)).toEqual(expected);
    expect(statSync(out).isDirectory()).toBe(true);
  });
});
