import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, gitText, splitNul } from '../select/git.js';

export interface ExtractStats {
  readonly files: number;
  readonly bytes: number;
}

/**
 * Writes the whole tree of `commit` into `dest` from git's object store (`ls-tree` + `cat-file --batch`):
 * no checkout, no stash, no index, so the user's working tree and index are never touched. Unlike
 * `git archive`, `.gitattributes` (`export-ignore`, `export-subst`) cannot change what is written, and
 * unlike a checkout no filters run — the bytes are the committed ones, as a clone would have them.
 * Submodules are skipped (source-controller does not fetch them unless asked to).
 * The whole tree, not just clusters/, apps/ and infrastructure/: a Kustomization may read any path.
 */
export async function extractTree(repo: string, commit: string, dest: string): Promise<ExtractStats> {
  const entries = splitNul(await gitText(repo, ['ls-tree', '-r', '-z', '--full-tree', commit])).map((line) => {
    const tab = line.indexOf('\t');
    const [mode, type, oid] = line.slice(0, tab).split(' ') as [string, string, string];
    return { mode, type, oid, path: line.slice(tab + 1) };
  });
  const blobs = entries.filter((e) => e.type === 'blob');
  const oids = [...new Set(blobs.map((e) => e.oid))];
  const contents = parseBatch(await git(repo, ['cat-file', '--batch'], { input: oids.map((o) => `${o}\n`).join('') }));
  mkdirSync(dest, { recursive: true });
  let bytes = 0;
  for (const e of blobs) {
    const data = contents.get(e.oid);
    if (!data) continue;
    const abs = join(dest, e.path);
    mkdirSync(dirname(abs), { recursive: true });
    if (e.mode === '120000') {
      symlinkSync(data.toString('utf8'), abs);
      continue;
    }
    writeFileSync(abs, data);
    if (e.mode === '100755') chmodSync(abs, 0o755);
    bytes += data.length;
  }
  return { files: blobs.length, bytes };
}

/** `cat-file --batch` output: `<oid> <type> <size>\n<content>\n` per object. */
function parseBatch(out: Buffer): Map<string, Buffer> {
  const map = new Map<string, Buffer>();
  let at = 0;
  while (at < out.length) {
    const nl = out.indexOf(10, at);
    if (nl < 0) break;
    const header = out.subarray(at, nl).toString('utf8').split(' ');
    const size = Number(header[2]);
    if (header[1] === 'missing' || !Number.isFinite(size)) {
      at = nl + 1;
      continue;
    }
    map.set(header[0] as string, out.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return map;
}
