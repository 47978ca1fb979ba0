import { readFileSync, statSync } from 'node:fs';
import type { InputProblem } from './errors.js';

/**
 * Size limits, checked with stat before a file is read: a 35 MB site file took minutes and GBs of
 * memory to parse. An inventory file (fleet.yaml, a site, an app.yaml) is a page or two of YAML; a
 * manifest file can bundle many objects (CRDs are large), so it gets more room.
 */
export const MAX_INVENTORY_FILE_BYTES = 1024 * 1024;
export const MAX_MANIFEST_FILE_BYTES = 16 * 1024 * 1024;

/** What Node's error codes mean, for messages that say what went wrong without a stack trace. */
const CODES: Record<string, string> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory, expected a file',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'directory not empty',
};

/** `EACCES (permission denied)` for a filesystem error, the message for anything else. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') return CODES[code] ? `${code} (${CODES[code]})` : code;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Reads a text file the user gave us, or says at `file:1:1` why it cannot be used: missing, a
 * directory, unreadable, or over `maxBytes`.
 */
export function readInputFile(abs: string, file: string, what: string, maxBytes: number): { text: string } | { problem: InputProblem } {
  const at = (message: string): { problem: InputProblem } => ({ problem: { file, line: 1, column: 1, path: '', message } });
  try {
    const st = statSync(abs);
    if (st.isDirectory()) return at(`cannot read ${what}: it is a directory, expected a file`);
    if (!st.isFile()) return at(`cannot read ${what}: not a regular file`);
    if (st.size > maxBytes) return at(`${what} is ${mib(st.size)}, more than the limit of ${mib(maxBytes)} for one file`);
    return { text: readFileSync(abs, 'utf8') };
  } catch (err) {
    return at(`cannot read ${what}: ${describeFsError(err)}`);
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MiB`;
}
