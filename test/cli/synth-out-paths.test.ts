import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectRejected, useTempRepos } from '../helpers/temp-repo.js';

// Every path synth will write is checked before the first write: the output root and its parents in
// the repository are real directories, and nothing but an owned file sits where a generated file goes.

describe('synth checks where it writes before writing anything', () => {
  const tempRepo = useTempRepos();

  it('a symlinked clusters/ (the --out root) is refused; the directory it points to is untouched', async () => {
    const repo = tempRepo();
    renameSync(repo.abs('clusters'), repo.abs('elsewhere'));
    symlinkSync('elsewhere', repo.abs('clusters'), 'dir');
    await expectRejected(repo, [{ at: 'clusters:1:1', says: ['is a symbolic link'] }], { count: 1, clusters: 'elsewhere' });
  });

  it('--out below a symlinked directory of the repository is refused', async () => {
    const repo = tempRepo();
    mkdirSync(repo.abs('real'));
    renameSync(repo.abs('clusters'), repo.abs('real/clusters'));
    symlinkSync('real', repo.abs('gen'), 'dir');
    await expectRejected(repo, [{ at: 'gen:1:1', says: ['is a symbolic link'] }], { count: 1, clusters: 'real', argv: ['synth', '--out', 'gen/clusters'] });
  });

  it('a directory where a generated file goes: located error, no site rewritten', async () => {
    const repo = tempRepo();
    // An edit that makes synth rewrite another site, to prove that nothing is written first.
    repo.edit('sites/austin-pos-02.yaml', 'memory: 8Gi', 'memory: 16Gi');
    repo.remove('clusters/lyon-pos-01/apps/pos-api.yaml');
    mkdirSync(repo.abs('clusters/lyon-pos-01/apps/pos-api.yaml'));
    const lines = await expectRejected(repo, [{ at: 'clusters/lyon-pos-01/apps/pos-api.yaml:1:1', says: ['is a directory', 'move it out of the way'] }], { count: 1 });
    expect(lines).toHaveLength(1);
  });

  it('a file where a generated directory goes: located error', async () => {
    const repo = tempRepo();
    repo.remove('clusters/lyon-pos-01/apps');
    repo.write('clusters/lyon-pos-01/apps', 'not a directory\n');
    await expectRejected(repo, [{ at: 'clusters/lyon-pos-01/apps:1:1', says: ['is a file', 'needs a directory'] }]);
  });
});
