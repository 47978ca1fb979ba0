import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changedFiles } from '../../src/select/changed-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(): { dir: string; git: (...a: string[]) => string; write: (rel: string, text: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'edgefleet-changed-'));
  dirs.push(dir);
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  const write = (rel: string, text: string): void => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  git('init', '--quiet');
  return { dir, git, write };
}

describe('changedFiles', () => {
  it('lists committed, staged, unstaged and untracked changes, both names of a rename, never ignored files', async () => {
    const { dir, git, write } = repo();
    write('.gitignore', 'ignored/\n');
    for (const f of ['sites/a.yaml', 'sites/b.yaml', 'apps/x/app.yaml', 'old name.yaml', 'gone.yaml', 'same.yaml']) write(f, `${f}\n`);
    git('add', '-A');
    git('commit', '-qm', 'one');
    const base = git('rev-parse', 'HEAD').trim();
    write('sites/a.yaml', 'committed\n');
    git('commit', '-qam', 'two');
    write('sites/b.yaml', 'staged\n');
    git('add', 'sites/b.yaml');
    write('apps/x/app.yaml', 'unstaged\n');
    write('apps/x/new.yaml', 'untracked\n');
    write('ignored/secret.yaml', 'ignored\n');
    git('mv', 'old name.yaml', 'new name.yaml');
    git('rm', '-q', 'gone.yaml');
    const index = execFileSync('sha256sum', [join(dir, '.git/index')], { encoding: 'utf8' });

    expect(await changedFiles(dir, base)).toEqual(['apps/x/app.yaml', 'apps/x/new.yaml', 'gone.yaml', 'new name.yaml', 'old name.yaml', 'sites/a.yaml', 'sites/b.yaml']);
    // From a sub-directory, still relative to the top level.
    expect(await changedFiles(join(dir, 'apps'), 'HEAD')).toEqual(['apps/x/app.yaml', 'apps/x/new.yaml', 'gone.yaml', 'new name.yaml', 'old name.yaml', 'sites/b.yaml']);
    // Between two commits: the working tree does not count.
    expect(await changedFiles(dir, base, { head: 'HEAD' })).toEqual(['sites/a.yaml']);
    expect(execFileSync('sha256sum', [join(dir, '.git/index')], { encoding: 'utf8' })).toBe(index);
  });

  it('rejects an unknown ref as a usage error', async () => {
    const { dir, git, write } = repo();
    write('a', 'a\n');
    git('add', '-A');
    git('commit', '-qm', 'one');
    await expect(changedFiles(dir, 'nope')).rejects.toThrow(/unknown revision "nope"/);
    await expect(changedFiles(dir, '--output=/tmp/x')).rejects.toThrow(/cannot start with "-"/);
  });
});
