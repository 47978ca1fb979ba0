import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixtureFleet, REPO_ROOT } from '../helpers/fixture-fleet.js';

/**
 * The pre-commit hook through a real `git commit`: a temp repository with the example fleet, the real
 * package.json (its lint-staged config) and .husky/pre-commit, hooks installed by the real husky, and the
 * toolchain (node_modules, scripts/, src/) linked from this checkout.
 */

const BIN = join(REPO_ROOT, 'bin/edgefleet.js');
let dir: string;
let home: string;
let env: NodeJS.ProcessEnv;

function sh(cmd: string, args: readonly string[], opts: { cwd?: string } = {}): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? dir, env, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function git(...args: string[]): string {
  const r = sh('git', args);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.out}`);
  return r.out.trim();
}

function commit(message: string): { status: number | null; out: string } {
  return sh('git', ['commit', '-m', message]);
}

const head = (): string => git('rev-parse', 'HEAD');
const read = (rel: string): string => readFileSync(join(dir, rel), 'utf8');
const write = (rel: string, text: string): void => writeFileSync(join(dir, rel), text);
const edit = (rel: string, from: string, to: string): void => {
  const text = read(rel);
  expect(text).toContain(from);
  write(rel, text.replace(from, to));
};
const synth = (site: string): void => {
  const r = sh(process.execPath, [BIN, 'synth', '--site', site]);
  expect(r.status, r.out).toBe(0);
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'edgefleet-hook-'));
  home = mkdtempSync(join(tmpdir(), 'edgefleet-hook-home-'));
  const { HUSKY: _husky, GIT_DIR: _gitDir, GIT_INDEX_FILE: _index, GIT_WORK_TREE: _workTree, ...rest } = process.env;
  env = {
    ...rest,
    HOME: home,
    XDG_CONFIG_HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
  };
  copyFixtureFleet(dir);
  for (const entry of ['package.json', '.husky/pre-commit']) cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  for (const entry of ['node_modules', 'scripts', 'src', 'tsconfig.json']) symlinkSync(join(REPO_ROOT, entry), join(dir, entry));
  write('.gitignore', '/node_modules\n/scripts\n/src\n/tsconfig.json\n');
  git('init', '-q', '-b', 'main');
  // What `npm ci` does through "prepare" in a clone.
  const husky = sh(process.execPath, [join(REPO_ROOT, 'node_modules/husky/bin.js')]);
  expect(husky.status, husky.out).toBe(0);
  expect(git('config', 'core.hooksPath')).toBe('.husky/_');
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'example fleet');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('pre-commit hook (husky + lint-staged)', () => {
  it('blocks an invalid quantity in a site file, and leaves it staged', () => {
    const before = head();
    edit('sites/lyon-pos-01.yaml', 'memory: 8Gi', 'memory: 8Gx');
    git('add', 'sites/lyon-pos-01.yaml');
    const r = commit('bad quantity');
    expect(r.status, r.out).not.toBe(0);
    expect(r.out).toContain('checking 1 site(s): lyon-pos-01');
    expect(r.out).toContain('sites/lyon-pos-01.yaml:17:13: spec.hardware.memory: expected a Kubernetes quantity');
    expect(r.out).toContain('this commit would break a site');
    expect(head()).toBe(before);
    expect(git('diff', '--cached', '--name-only')).toBe('sites/lyon-pos-01.yaml');
    git('checkout', 'HEAD', '--', 'sites/lyon-pos-01.yaml');
  });

  it('blocks a hand edit of clusters/', () => {
    const before = head();
    edit('clusters/oslo-gw-03/infrastructure.yaml', 'wait: true', 'wait: false');
    git('add', 'clusters');
    const r = commit('hand edit');
    expect(r.status, r.out).not.toBe(0);
    expect(r.out).toContain('checking 1 site(s): oslo-gw-03');
    expect(r.out).toContain('differs:  clusters/oslo-gw-03/infrastructure.yaml');
    expect(head()).toBe(before);
    git('checkout', 'HEAD', '--', 'clusters');
  });

  it('blocks a site change committed without its re-rendered clusters/', () => {
    const before = head();
    edit('sites/lyon-pos-01.yaml', 'memory: 8Gi', 'memory: 16Gi');
    git('add', 'sites/lyon-pos-01.yaml');
    const r = commit('forgot synth');
    expect(r.status, r.out).not.toBe(0);
    expect(r.out).toContain('differs:  clusters/lyon-pos-01/apps/');
    expect(head()).toBe(before);
  });

  it('lets the same change through with clusters/ re-rendered', () => {
    const before = head();
    synth('lyon-pos-01');
    git('add', 'sites', 'clusters');
    const r = commit('more memory for lyon');
    expect(r.status, r.out).toBe(0);
    expect(git('rev-parse', 'HEAD^')).toBe(before);
    expect(git('status', '--porcelain', '--untracked-files=no')).toBe('');
  });

  it('checks what is staged: an unstaged bad edit of the same file neither blocks nor gets lost', () => {
    const before = head();
    edit('sites/oslo-gw-03.yaml', 'apiVersion:', '# staged comment\napiVersion:');
    git('add', 'sites/oslo-gw-03.yaml');
    edit('sites/oslo-gw-03.yaml', 'kind: Site', 'kind: Site\nbogus: [');
    const r = commit('comment');
    expect(r.status, r.out).toBe(0);
    expect(git('rev-parse', 'HEAD^')).toBe(before);
    expect(git('show', 'HEAD:sites/oslo-gw-03.yaml')).not.toContain('bogus');
    expect(read('sites/oslo-gw-03.yaml')).toContain('bogus: [');
    git('checkout', 'HEAD', '--', 'sites/oslo-gw-03.yaml');
  });

  it('checks the sites running an app when its base changes, and blocks a broken one', () => {
    const before = head();
    edit('apps/pos-api/base/deployment.yaml', 'readOnlyRootFilesystem:', 'readOnlyRootFilesystm:');
    git('add', 'apps');
    const r = commit('typo in a base');
    expect(r.status, r.out).not.toBe(0);
    // Only the sites running the app, as `--changed-since` selects them.
    expect(r.out).toContain('checking 3 site(s): austin-pos-02, berlin-kiosk-03, lyon-pos-01');
    expect(r.out).toContain('unknown field "readOnlyRootFilesystm"');
    expect(head()).toBe(before);
    git('checkout', 'HEAD', '--', 'apps');
  });

  it('lets a site removed together with its clusters/ through, checking every site', () => {
    git('rm', '-q', '-r', 'sites/ohio-gw-02.yaml', 'clusters/ohio-gw-02');
    const r = commit('decommission ohio-gw-02');
    expect(r.status, r.out).toBe(0);
    expect(git('ls-files', 'clusters/ohio-gw-02', 'sites/ohio-gw-02.yaml')).toBe('');
  });

  it('does not check anything for a change outside the inventory', () => {
    write('NOTES.md', 'notes\n');
    git('add', 'NOTES.md');
    const r = commit('notes');
    expect(r.status, r.out).toBe(0);
    expect(r.out).not.toContain('edgefleet pre-commit');
  });

  // The hook's speed on a one-site change is the work it skips: it checks that site only, in one run
  // of the hook (no CLI process per command). Its time is the bench's target "one-site synth +
  // validate, cold" (npm run bench), not a wall-clock limit here, where other test files share the CPU.
  it('checks only the changed site on a one-site change', () => {
    appendFileSync(join(dir, 'sites/rotterdam-gw-01.yaml'), '# note\n');
    git('add', 'sites/rotterdam-gw-01.yaml');
    const r = commit('note');
    expect(r.status, r.out).toBe(0);
    // lint-staged shows the hook's output only on failure: run its command on the same file to see what it checked.
    const hook = sh(process.execPath, ['--import', 'tsx', 'scripts/pre-commit.ts', 'sites/rotterdam-gw-01.yaml']);
    expect(hook.status, hook.out).toBe(0);
    expect(hook.out.match(/edgefleet pre-commit: checking .*/g)).toEqual(['edgefleet pre-commit: checking 1 site(s): rotterdam-gw-01']);
    expect(hook.out).toContain('clusters/ is up to date (3 files, 1 sites)');
    expect(hook.out).toContain('— 1 site(s), 3 Flux Kustomization(s)');
  });
});

describe('husky in a tree without .git (npm ci from a tarball)', () => {
  it('prints a notice and exits 0, so "prepare" does not fail', () => {
    const bare = mkdtempSync(join(tmpdir(), 'edgefleet-nogit-'));
    try {
      const r = sh(process.execPath, [join(REPO_ROOT, 'node_modules/husky/bin.js')], { cwd: bare });
      expect(r.status, r.out).toBe(0);
      expect(r.out).toContain(".git can't be found");
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('runs from "prepare" after the build', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prepare).toBe('npm run -s build && husky');
  });
});
