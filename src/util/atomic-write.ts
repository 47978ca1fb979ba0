import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { InputError } from './errors.js';
import { describeFsError } from './read-input.js';

/** Prefix of temporary files; a crash can leave one behind, never a truncated target. */
export const TEMP_PREFIX = '.edgefleet-tmp-';

/** A filesystem failure while writing `path`, as a located user-facing error (EROFS, ENOSPC, EACCES are not bugs). */
export function writeError(path: string, doing: string, err: unknown): InputError {
  return new InputError([{ file: path, line: 1, column: 1, path: '', message: `cannot ${doing}: ${describeFsError(err)}` }]);
}

/**
 * Replaces `path` atomically: the content goes to a temporary file in the same directory (same
 * filesystem, so rename is atomic), is flushed, then renamed over the target.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  try {
    await makeDirs(dir);
  } catch (err) {
    throw writeError(dir, 'create the directory', err);
  }
  const tmp = join(dir, `${TEMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(tmp, content, { flush: true });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw writeError(path, 'write the file', err);
  }
}

/**
 * `mkdir -p`, one level at a time: Node's `mkdir(dir, { recursive: true })` spins forever where a
 * directory cannot be created in an existing parent (`/proc/x`: ENOENT, then EEXIST for /proc, again).
 */
export async function makeDirs(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => undefined);
  if (st?.isDirectory()) return;
  if (st) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
  const parent = dirname(dir);
  if (parent !== dir) await makeDirs(parent);
  try {
    await mkdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !(await stat(dir)).isDirectory()) throw err;
  }
}

/**
 * Checks, before anything is rendered, that files can be written in `dir` (created if missing): a
 * probe file is written and removed. An output directory under /proc, on a read-only or full
 * filesystem, or without permission is then one error up front instead of a failure (or a hang)
 * halfway through a run.
 */
export async function assertWritableDir(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => undefined);
  if (st && !st.isDirectory()) throw new InputError([{ file: dir, line: 1, column: 1, path: '', message: 'cannot use as output directory: it is a file, expected a directory' }]);
  if (!st) {
    try {
      await makeDirs(dir);
    } catch (err) {
      throw writeError(dir, 'create the output directory', err);
    }
  }
  const probe = join(dir, `${TEMP_PREFIX}probe.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, 'edgefleet\n', { flush: true });
  } catch (err) {
    throw writeError(dir, 'write in the output directory', err);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
