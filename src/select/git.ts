import { execFile, type ExecFileOptions } from 'node:child_process';
import { UsageError } from '../util/errors.js';

/**
 * Runs git and returns stdout. Every call sets GIT_OPTIONAL_LOCKS=0 so that read-only commands
 * (diff, ls-files, status) never refresh and rewrite the user's index behind their back.
 */
export function git(cwd: string, args: readonly string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const opts: ExecFileOptions & { encoding: 'buffer' } = {
      cwd,
      encoding: 'buffer',
      maxBuffer: 1 << 30,
      env: { ...process.env, ...options.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
    };
    const child = execFile('git', [...args], opts, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') reject(new GitError(args, 'git is not installed or not on PATH'));
        else reject(new GitError(args, Buffer.from(stderr).toString('utf8').trim() || err.message));
        return;
      }
      resolvePromise(Buffer.from(stdout));
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export async function gitText(cwd: string, args: readonly string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return (await git(cwd, args, options)).toString('utf8');
}

/**
 * A git command failed. Almost always the command line's fault (an unknown ref, a directory that is not
 * a repository), so it is a UsageError: the CLI exits 2.
 */
export class GitError extends UsageError {
  readonly args: readonly string[];
  constructor(args: readonly string[], message: string) {
    super(`git ${args.join(' ')}: ${message}`);
    this.name = 'GitError';
    this.args = args;
  }
}

/** The working tree's top level, absolute. */
export async function gitTopLevel(cwd: string): Promise<string> {
  return (await gitText(cwd, ['rev-parse', '--show-toplevel'])).trim();
}

/** The commit a ref names (`main`, `HEAD~2`, a sha); an unknown ref is an InputError. */
export async function resolveCommit(cwd: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new GitError(['rev-parse', ref], 'a ref cannot start with "-"');
  return (await gitText(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).catch(() => {
    throw new GitError(['rev-parse', ref], `unknown revision "${ref}"`);
  })).trim();
}

/** NUL-separated output → entries (empty trailing entry dropped). */
export function splitNul(text: string): string[] {
  return text.split('\0').filter((s) => s !== '');
}
