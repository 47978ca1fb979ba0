import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterEach, expect } from 'vitest';
import type { Io } from '../../src/cli/exit.js';
import { run } from '../../src/cli/main.js';
import { copyFixtureFleet, FLEET_ENTRIES } from './fixture-fleet.js';

export { FIXTURE_FLEET, FIXTURE_FLEET_FILE, REPO_ROOT } from './fixture-fleet.js';

/** What a copy of the fixture fleet holds. */
export const EXAMPLE_ENTRIES = FLEET_ENTRIES;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Path (relative to the snapshotted directory, forward slashes) → sha256 of the content. */
export type Snapshot = Record<string, string>;

export interface TempRepo {
  /** Absolute path of the temp directory; the fixture fleet's files sit under `<dir>/<prefix>`. */
  readonly dir: string;
  /** Absolute path of a file relative to the temp directory. */
  abs(rel: string): string;
  read(rel: string): string;
  write(rel: string, content: string): void;
  remove(rel: string): void;
  exists(rel: string): boolean;
  /** Replaces `from` with `to` in a file; fails the test unless `from` occurs exactly once. */
  edit(rel: string, from: string, to: string): void;
  /**
   * `file:line:column` of the place marked with `^` in `marked`, a snippet that must occur exactly once
   * in the file (with the marker removed). Computed from the text, independently of the code under test.
   */
  at(rel: string, marked: string): string;
  /** sha256 of every file under `sub` (default `clusters`), dotfiles included. */
  snapshot(sub?: string): Snapshot;
  /** Runs the CLI in-process with `cwd` = the temp directory (or `cwd` relative to it). */
  run(argv: readonly string[], opts?: { cwd?: string }): Promise<CliResult>;
}

/**
 * Registers an afterEach that removes every temp repo created through the returned factory.
 * Each repo is a copy of the fixture fleet (test/fixtures/fleet), never of the repository's own fleet.
 * `prefix` puts the fleet in a subdirectory (to run from a different directory than the fleet's).
 */
export function useTempRepos(): (opts?: { prefix?: string }) => TempRepo {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return (opts = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'edgefleet-inv-'));
    dirs.push(dir);
    const base = opts.prefix ? join(dir, opts.prefix) : dir;
    copyFixtureFleet(base);
    return tempRepo(dir);
  };
}

function tempRepo(dir: string): TempRepo {
  const abs = (rel: string): string => join(dir, rel);
  const read = (rel: string): string => readFileSync(abs(rel), 'utf8');
  return {
    dir,
    abs,
    read,
    write(rel, content) {
      mkdirSync(dirname(abs(rel)), { recursive: true });
      writeFileSync(abs(rel), content);
    },
    remove(rel) {
      rmSync(abs(rel), { recursive: true });
    },
    exists(rel) {
      return existsSync(abs(rel));
    },
    edit(rel, from, to) {
      const text = read(rel);
      expect(occurrences(text, from), `"${from}" should occur exactly once in ${rel}`).toBe(1);
      writeFileSync(abs(rel), text.replace(from, () => to));
    },
    at(rel, marked) {
      const caret = marked.indexOf('^');
      expect(caret, `marker ^ missing in ${JSON.stringify(marked)}`).toBeGreaterThanOrEqual(0);
      const needle = marked.slice(0, caret) + marked.slice(caret + 1);
      const text = read(rel);
      expect(occurrences(text, needle), `${JSON.stringify(needle)} should occur exactly once in ${rel}`).toBe(1);
      const offset = text.indexOf(needle) + caret;
      const before = text.slice(0, offset).split('\n');
      return `${rel}:${before.length}:${(before.at(-1) ?? '').length + 1}`;
    },
    snapshot(sub = 'clusters') {
      const out: Snapshot = {};
      const root = abs(sub);
      const walk = (d: string): void => {
        if (!existsSync(d)) return;
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (e.isDirectory()) walk(p);
          else out[relative(root, p).split(sep).join('/')] = createHash('sha256').update(readFileSync(p)).digest('hex');
        }
      };
      walk(root);
      return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
    },
    run(argv, opts = {}) {
      return runCli(argv, opts.cwd ? join(dir, opts.cwd) : dir);
    },
  };
}

/** Runs `run(argv, io)` from src/cli/main.ts with captured, non-TTY stdout and stderr. */
export async function runCli(argv: readonly string[], cwd: string): Promise<CliResult> {
  const out = capture();
  const err = capture();
  const code = await run(argv, { stdout: out.stream, stderr: err.stream, cwd } satisfies Io);
  return { code, stdout: out.text(), stderr: err.text() };
}

function capture(): { stream: Io['stdout']; text: () => string } {
  let text = '';
  const stream = {
    isTTY: false,
    write(chunk: string | Uint8Array): boolean {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
  };
  return { stream: stream as unknown as Io['stdout'], text: () => text };
}

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) n++;
  return n;
}

/** The `error: ...` lines of a run's stderr. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('error: '));
}

export interface ExpectedProblem {
  /** `file:line:column`, usually from `repo.at(...)`. */
  readonly at: string;
  /** Dotted field path; omitted for problems with no field (YAML syntax). */
  readonly path?: string;
  /** Words the message must contain. */
  readonly says: readonly string[];
}

/**
 * Asserts the contract for bad input: exit code 2, nothing on stdout, every expected problem on one
 * `error:` line naming its location, field path and key words, and clusters/ byte-for-byte unchanged.
 * Returns the error lines for further checks.
 */
export async function expectRejected(
  repo: TempRepo,
  expected: readonly ExpectedProblem[],
  opts: { argv?: readonly string[]; count?: number; clusters?: string } = {},
): Promise<string[]> {
  const before = repo.snapshot(opts.clusters);
  const r = await repo.run(opts.argv ?? ['synth']);
  const lines = errorLines(r.stderr);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  for (const p of expected) {
    const prefix = `error: ${p.at}: ${p.path ? `${p.path}: ` : ''}`;
    const line = lines.find((l) => l.startsWith(prefix) && p.says.every((w) => l.includes(w)));
    expect(line, `no error line starting ${JSON.stringify(prefix)} saying ${JSON.stringify(p.says)} in:\n${r.stderr}`).toBeDefined();
  }
  if (opts.count !== undefined) {
    expect(lines, r.stderr).toHaveLength(opts.count);
    expect(r.stderr).toContain(`${opts.count} problem(s); nothing was written.`);
  }
  expect(repo.snapshot(opts.clusters)).toEqual(before);
  return lines;
}
