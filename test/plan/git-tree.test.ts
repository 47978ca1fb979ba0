import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { measureShallowClone } from '../../src/plan/download.js';
import { extractTree } from '../../src/plan/git-tree.js';
import { repoAt, type GitFixture } from './git-fixture.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function repo(): GitFixture {
  const r = repoAt(mkdtempSync(join(tmpdir(), 'edgefleet-tree-')));
  cleanups.push(() => r.cleanup());
  return r;
}

describe('extractTree', () => {
  it('writes the committed bytes from the object store, ignoring .gitattributes and the working tree', async () => {
    const r = repo();
    r.write('.gitattributes', 'hidden.yaml export-ignore\nsubst.txt export-subst\n');
    r.write('hidden.yaml', 'kept: true\n');
    r.write('subst.txt', '$Format:%H$\n');
    r.write('dir/run.sh', '#!/bin/sh\n');
    chmodSync(join(r.dir, 'dir/run.sh'), 0o755);
    symlinkSync('dir/run.sh', join(r.dir, 'link'));
    const commit = r.commit('one');
    r.write('hidden.yaml', 'uncommitted: true\n');
    const before = r.state();
    const dest = mkdtempSync(join(tmpdir(), 'edgefleet-tree-out-'));
    cleanups.push(() => rmSync(dest, { recursive: true, force: true }));
    const stats = await extractTree(r.dir, commit, dest);
    expect(readFileSync(join(dest, 'hidden.yaml'), 'utf8')).toBe('kept: true\n');
    expect(readFileSync(join(dest, 'subst.txt'), 'utf8')).toBe('$Format:%H$\n');
    expect(statSync(join(dest, 'dir/run.sh')).mode & 0o111).not.toBe(0);
    expect(lstatSync(join(dest, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dest, 'link'))).toBe('dir/run.sh');
    expect(existsSync(join(dest, '.git'))).toBe(false);
    expect(stats.files).toBe(5);
    expect(r.state()).toEqual(before);
  });
});

describe('extractTree streaming', () => {
  it('writes every byte of blobs that span many pipe chunks, shared contents and empty files', async () => {
    const r = repo();
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251; // newlines and header-like bytes included
    r.write('big.bin', big.toString('latin1'));
    r.write('a/same.txt', 'x 1 missing\n');
    r.write('b/same.txt', 'x 1 missing\n');
    r.write('empty', '');
    for (let i = 0; i < 300; i++) r.write(`many/f${i}.yaml`, `i: ${i}\n`);
    const commit = r.commit('blobs');
    const dest = mkdtempSync(join(tmpdir(), 'edgefleet-tree-out-'));
    cleanups.push(() => rmSync(dest, { recursive: true, force: true }));
    const stats = await extractTree(r.dir, commit, dest);
    expect(readFileSync(join(dest, 'big.bin')).equals(Buffer.from(big.toString('latin1'), 'utf8'))).toBe(true);
    expect(readFileSync(join(dest, 'a/same.txt'), 'utf8')).toBe('x 1 missing\n');
    expect(readFileSync(join(dest, 'b/same.txt'), 'utf8')).toBe('x 1 missing\n');
    expect(readFileSync(join(dest, 'empty'), 'utf8')).toBe('');
    expect(readFileSync(join(dest, 'many/f299.yaml'), 'utf8')).toBe('i: 299\n');
    expect(stats.files).toBe(304);
  });
});

describe('measureShallowClone', () => {
  it('measures a depth-1 clone: the whole tree of the commit, none of its history', async () => {
    const r = repo();
    const big = Array.from({ length: 2000 }, (_, i) => `line ${i} ${Math.sin(i)}`).join('\n');
    r.write('a.txt', big);
    const first = r.commit('one');
    r.write('b.txt', 'small\n');
    const second = r.commit('two');
    const one = await measureShallowClone(r.dir, { commit: first });
    const two = await measureShallowClone(r.dir, { commit: second });
    // The second commit's clone still carries a.txt (the whole tree), plus b.txt, a tree and a commit.
    expect(two.bytes).toBeGreaterThan(one.bytes);
    expect(two.bytes - one.bytes).toBeLessThan(1000);
    expect(one.objects).toBe(3); // commit, tree, a.txt
    expect(two.objects).toBe(4); // no parent commit, no old tree
  });

  it('measures the working tree as the next commit, writing nothing into the repository', async () => {
    const r = repo();
    r.write('a.txt', 'committed\n');
    const head = r.commit('one');
    r.write('a.txt', 'changed in the working tree, much longer than before\n'.repeat(50));
    r.write('new.txt', 'untracked\n');
    const before = r.state();
    const size = await measureShallowClone(r.dir, { workingTree: { parent: head, replace: new Map([['gen/x.yaml', 'generated: true\n']]), remove: [] } });
    expect(size.objects).toBe(6); // commit, root tree, gen/ tree, a.txt, new.txt, gen/x.yaml
    expect(size.commit).not.toBe(head);
    expect(r.state()).toEqual(before);
  });
});
