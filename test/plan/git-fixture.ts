import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { planCommand, type PlanArgs } from '../../src/cli/commands/plan.js';
import type { Io } from '../../src/cli/exit.js';
import { copyFixtureFleet } from '../helpers/fixture-fleet.js';

export interface GitFixture {
  readonly dir: string;
  git(...args: string[]): string;
  write(rel: string, text: string): void;
  read(rel: string): string;
  /** Replaces `from` (which must occur exactly once) with `to`. */
  edit(rel: string, from: string, to: string): void;
  commit(message: string): string;
  /** Everything a plan must leave as it was: HEAD, refs, index bytes, status, objects, stash, every file. */
  state(): Record<string, string>;
  cleanup(): void;
}

const ENV = {
  ...process.env,
  GIT_OPTIONAL_LOCKS: '0',
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** A git repository in a temp directory holding a copy of the fixture fleet (not yet committed). */
export function exampleRepo(): GitFixture {
  const dir = mkdtempSync(join(tmpdir(), 'edgefleet-plan-repo-'));
  copyFixtureFleet(dir);
  return repoAt(dir);
}

/** A new git repository (no commit yet) around the files already in `dir`; cleanup removes `dir`. */
export function repoAt(dir: string): GitFixture {
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '--quiet');
  const abs = (rel: string): string => join(dir, rel);
  const read = (rel: string): string => readFileSync(abs(rel), 'utf8');
  return {
    dir,
    git,
    read,
    write(rel, text) {
      mkdirSync(dirname(abs(rel)), { recursive: true });
      writeFileSync(abs(rel), text);
    },
    edit(rel, from, to) {
      const text = read(rel);
      const n = text.split(from).length - 1;
      if (n !== 1) throw new Error(`"${from}" occurs ${n} times in ${rel}`);
      writeFileSync(abs(rel), text.replace(from, () => to));
    },
    commit(message) {
      git('add', '--all');
      git('commit', '--quiet', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    state() {
      const files: string[] = [];
      const walk = (d: string): void => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (e.isDirectory()) walk(p);
          else files.push(`${relative(dir, p).split(sep).join('/')} ${sha(readFileSync(p))}`);
        }
      };
      walk(dir);
      return {
        head: git('rev-parse', 'HEAD'),
        refs: git('for-each-ref'),
        index: sha(readFileSync(join(dir, '.git', 'index'))),
        status: git('status', '--porcelain=v1', '--untracked-files=all'),
        stash: git('stash', 'list'),
        objects: git('count-objects', '-v'),
        files: files.sort().join('\n'),
      };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export interface PlanRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the plan command in-process, as the CLI will once it is wired in. */
export async function runPlan(cwd: string, args: Partial<PlanArgs>): Promise<PlanRun> {
  let stdout = '';
  let stderr = '';
  const stream = (append: (s: string) => void): Io['stdout'] =>
    ({ isTTY: false, write: (c: string | Uint8Array) => (append(typeof c === 'string' ? c : Buffer.from(c).toString('utf8')), true) }) as unknown as Io['stdout'];
  const code = await planCommand(
    { base: undefined, head: undefined, format: 'text', fleet: 'fleet.yaml', changedSince: undefined, ...args },
    { stdout: stream((s) => (stdout += s)), stderr: stream((s) => (stderr += s)), cwd },
  );
  return { code, stdout, stderr };
}
