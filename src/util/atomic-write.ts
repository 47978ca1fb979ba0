import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** Prefix of temporary files; a crash can leave one behind, never a truncated target. */
export const TEMP_PREFIX = '.edgefleet-tmp-';

/**
 * Replaces `path` atomically: the content goes to a temporary file in the same directory (same
 * filesystem, so rename is atomic), is flushed, then renamed over the target.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `${TEMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(tmp, content, { flush: true });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
