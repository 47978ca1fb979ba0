import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertWritableDir, writeFileAtomic } from '../../src/util/atomic-write.js';
import { InputError } from '../../src/util/errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'edgefleet-aw-'));
  dirs.push(d);
  return d;
};

const problemOf = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).message;
};

// Filesystem failures are the user's environment, not bugs: each is a located InputError.
describe('output directories and writes', () => {
  it.runIf(process.platform === 'linux')('an output directory under /proc is refused at once (Node recursive mkdir spins there)', async () => {
    // A hang (the old behaviour) fails by the test's timeout; the test asserts the refusal, not a duration.
    expect(await problemOf(assertWritableDir('/proc/edgefleet-x/clusters'))).toMatch(/^\/proc\/edgefleet-x\/clusters:1:1: cannot create the output directory: ENOENT/);
  });

  it('an output directory that is a file, or under a file, is refused', async () => {
    const d = temp();
    writeFileSync(join(d, 'f'), 'x');
    expect(await problemOf(assertWritableDir(join(d, 'f')))).toContain('it is a file, expected a directory');
    expect(await problemOf(assertWritableDir(join(d, 'f', 'sub')))).toContain('ENOTDIR');
  });

  it('a usable directory passes and keeps no probe file', async () => {
    const d = temp();
    await assertWritableDir(join(d, 'a', 'b'));
    expect(readdirSync(join(d, 'a', 'b'))).toEqual([]);
  });

  it('a write that fails (target is a directory) is an InputError naming the file, with no temporary file left', async () => {
    const d = temp();
    await writeFileAtomic(join(d, 'x', 'ok.yaml'), 'a: 1\n');
    expect(await problemOf(writeFileAtomic(join(d, 'x'), 'a: 1\n'))).toMatch(/x:1:1: cannot write the file: /);
    expect(readdirSync(d)).toEqual(['x']);
  });
});
