import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, useTempRepos, type TempRepo } from '../helpers/temp-repo.js';

// The real launcher (bin/edgefleet.js → dist/) in a child process, in a temp git repository.

const BIN = join(REPO_ROOT, 'bin/edgefleet.js');
const MAIN = join(REPO_ROOT, 'dist/cli/main.js');

function edgefleet(repo: TempRepo, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: repo.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function git(repo: TempRepo, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@e', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd: repo.dir, encoding: 'utf8' });
}

describe('bin/edgefleet.js', () => {
  const tempRepo = useTempRepos();

  beforeAll(() => {
    if (existsSync(MAIN)) return;
    spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'ignore' });
    if (!existsSync(MAIN)) throw new Error(`no ${MAIN} after building with tsconfig.build.json`);
  });

  it('synth --check: 0 on the committed example, 1 after a hand edit, listing the file and the fix', () => {
    const repo = tempRepo();
    const ok = edgefleet(repo, 'synth', '--check');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('clusters/ is up to date');

    repo.edit('clusters/ohio-gw-02/apps/mqtt-broker.yaml', 'CLUSTER_ID: ohio-gw-02', 'CLUSTER_ID: ohio');
    const drift = edgefleet(repo, 'synth', '--check');
    expect(drift.status).toBe(1);
    expect(drift.stdout).toContain('differs:  clusters/ohio-gw-02/apps/mqtt-broker.yaml');
    expect(drift.stdout).toContain('Fix: npm run synth');
  });

  it('bad input: exit 2 and the git work tree stays clean', () => {
    const repo = tempRepo();
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'init');
    repo.edit('sites/lyon-pos-01.yaml', 'memory: 8Gi', 'memory: 2GB');
    git(repo, 'commit', '-qam', 'bad memory');
    expect(git(repo, 'status', '--porcelain')).toBe('');

    const r = edgefleet(repo, 'synth');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${repo.at('sites/lyon-pos-01.yaml', 'memory: ^2GB')}: spec.hardware.memory: expected a Kubernetes quantity`);
    expect(git(repo, 'status', '--porcelain', '--ignored', '--untracked-files=all')).toBe('');
  });

  it('a good synth in a clean checkout leaves git status empty too', () => {
    const repo = tempRepo();
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'init');
    const r = edgefleet(repo, 'synth', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sites: 8, created: 0, updated: 0, removed: 0 });
    expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('an unknown flag exits 2', () => {
    const repo = tempRepo();
    const r = edgefleet(repo, 'synth', '--nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--nope'");
  });

  describe('synth --site S --validate: the one-site loop in one cold process', () => {
    it('writes the site, then reports exactly what a separate validate --site reports', () => {
      const repo = tempRepo();
      repo.edit('sites/lyon-pos-01.yaml', 'memory: 8Gi', 'memory: 16Gi');
      const both = edgefleet(repo, 'synth', '--site', 'lyon-pos-01', '--validate', '--format', 'json', '--now', '2026-01-15');
      expect(both.status, both.stderr).toBe(0);
      expect(both.stderr).toMatch(/^synth: 1 sites, \d+ files \(0 created, [1-9]\d* updated/m);
      const report = JSON.parse(both.stdout) as { summary: { sites: number; errors: number; kustomizations: number } };
      expect(report.summary).toMatchObject({ sites: 1, errors: 0 });
      expect(report.summary.kustomizations).toBeGreaterThan(0);
      const alone = edgefleet(repo, 'validate', '--site', 'lyon-pos-01', '--format', 'json', '--now', '2026-01-15');
      expect(alone.status, alone.stderr).toBe(0);
      expect(both.stdout).toBe(alone.stdout);
      expect(edgefleet(repo, 'synth', '--check').status).toBe(0);
    });

    it('exits 1 on a finding at error severity, after writing the site', () => {
      const repo = tempRepo();
      repo.edit('apps/pos-api/base/deployment.yaml', 'pos-api:3.4.1', 'pos-api:latest');
      repo.edit('sites/lyon-pos-01.yaml', 'memory: 8Gi', 'memory: 16Gi');
      const r = edgefleet(repo, 'synth', '--site', 'lyon-pos-01', '--validate');
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('apps/pos-api/base/deployment.yaml');
      expect(r.stdout).toContain('security-image-pinning');
      expect(r.stderr).toMatch(/^synth: 1 sites, \d+ files \(0 created, [1-9]\d* updated/m);
    });

    it('rejects --check or --json with --validate, and --format without it, before writing', () => {
      const repo = tempRepo();
      repo.edit('sites/lyon-pos-01.yaml', 'memory: 8Gi', 'memory: 16Gi');
      for (const argv of [
        ['synth', '--validate', '--check'],
        ['synth', '--validate', '--json'],
        ['synth', '--format', 'json'],
        ['synth', '--validate', '--format', 'yaml'],
        ['synth', '--validate', '--now', '15/01/2026'],
      ]) {
        const r = edgefleet(repo, ...argv);
        expect(r.status, argv.join(' ')).toBe(2);
        expect(r.stdout, argv.join(' ')).toBe('');
      }
      expect(edgefleet(repo, 'synth', '--check').status).toBe(1); // still the old file
    });
  });
});
