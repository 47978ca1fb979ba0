import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { GitError, gitText, splitNul } from '../select/git.js';

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
    return { mode, path: line.slice(tab + 1), type, oid };
  });
  // Blobs are written as git streams them (a 10,000-site tree is ~100 MB that need never be in memory at once).
  const byOid = new Map<string, { mode: string; path: string }[]>();
  for (const e of entries) if (e.type === 'blob') byOid.set(e.oid, [...(byOid.get(e.oid) ?? []), e]);
  mkdirSync(dest, { recursive: true });
  const made = new Set<string>([dest]);
  let files = 0;
  let bytes = 0;
  await catFileBatch(repo, [...byOid.keys()], (oid, data) => {
    for (const e of byOid.get(oid) ?? []) {
      const abs = join(dest, e.path);
      const dir = dirname(abs);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      files++;
      if (e.mode === '120000') {
        symlinkSync(data.toString('utf8'), abs);
        continue;
      }
      writeFileSync(abs, data);
      if (e.mode === '100755') chmodSync(abs, 0o755);
      bytes += data.length;
    }
  });
  return { files, bytes };
}

/**
 * `git cat-file --batch` over `oids`, each object handed to `onObject` as soon as it has arrived
 * (output: `<oid> <type> <size>\n<content>\n` per object, `<oid> missing\n` for an unknown one).
 */
function catFileBatch(repo: string, oids: readonly string[], onObject: (oid: string, data: Buffer) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: repo, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' }, stdio: ['pipe', 'pipe', 'pipe'] });
    // Unparsed output, kept as chunks until the object being received is complete (a large blob is
    // copied once, not once per chunk).
    let chunks: Buffer[] = [];
    let length = 0;
    let need = 0;
    let failed: unknown;
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      if (failed) return;
      chunks.push(chunk);
      length += chunk.length;
      if (length < need) return;
      const pending = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
      let at = 0;
      need = 0;
      try {
        for (;;) {
          const nl = pending.indexOf(10, at);
          if (nl < 0) break;
          const header = pending.subarray(at, nl).toString('utf8').split(' ');
          const size = Number(header[2]);
          if (header[1] === 'missing' || !Number.isFinite(size)) {
            at = nl + 1;
            continue;
          }
          if (pending.length < nl + 1 + size + 1) {
            need = nl + 1 + size + 1 - at; // the rest of this object is still coming
            break;
          }
          onObject(header[0] as string, pending.subarray(nl + 1, nl + 1 + size));
          at = nl + 1 + size + 1;
        }
      } catch (err) {
        failed = err;
        child.kill();
      }
      const rest = pending.subarray(at);
      chunks = rest.length > 0 ? [Buffer.from(rest)] : [];
      length = rest.length;
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new GitError(['cat-file', '--batch'], 'git is not installed or not on PATH') : err));
    child.on('close', (code) => {
      if (failed) reject(failed);
      else if (code !== 0) reject(new GitError(['cat-file', '--batch'], Buffer.concat(stderr).toString('utf8').trim() || `exit ${code}`));
      else resolvePromise();
    });
    child.stdin.on('error', () => undefined); // git exiting early is reported by 'close'
    child.stdin.end(oids.map((o) => `${o}\n`).join(''));
  });
}
