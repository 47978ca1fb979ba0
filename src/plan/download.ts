/**
 * What each site's Flux source downloads when the branch moves to the new commit, measured with git.
 *
 * source-controller (fluxcd/pkg git/gogit cloneBranch, as used by the GitRepository reconciler) first
 * lists the remote branch and stops if its head is the revision it already has; otherwise it clones the
 * branch afresh into an empty temporary directory with `Depth: 1`, `SingleBranch`, no tags. It keeps no
 * clone between reconciliations, so nothing is fetched incrementally: every site downloads the complete
 * tree of the new commit — every file of the repository, not only its own directory, and whether or not
 * the change affects it.
 *
 * So the measure is a real `git clone --depth 1 --single-branch --no-tags` of the new commit over the pack
 * protocol (a `file://` URL, so git runs upload-pack rather than copying files), and the size of the
 * pack it receives and keeps (`fetch.unpackLimit=1` so it is never exploded into loose objects). That is
 * the payload of the transfer: it leaves out the protocol's framing (ref advertisement, pkt-line and
 * side-band headers, a few hundred bytes) and TLS or SSH overhead, and the server's git may delta-compress
 * a little differently. An estimate per site of the git transfer, then, not a measurement of a link.
 *
 * For a working tree the new commit does not exist yet: it is made in a throw-away bare repository that
 * borrows the user's objects through `objects/info/alternates` and has its own index, holding the
 * working tree's files (tracked and untracked, .gitignore applied) with clusters/ as synth renders it.
 * Nothing is written to the user's repository, index or working tree.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, existsSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, gitText } from '../select/git.js';

export interface ShallowCloneSize {
  /** Bytes of the pack a depth-1 clone of the commit receives. */
  readonly bytes: number;
  /** Objects in it (the commit, its trees and every blob). */
  readonly objects: number;
  /** The commit measured (for a working tree, the throw-away commit made for the measurement). */
  readonly commit: string;
}

export interface HeadCommitSpec {
  /** An existing commit of the repository… */
  readonly commit?: string;
  /** …or the working tree, on top of `parent`, with these files (repository-relative) replaced or removed. */
  readonly workingTree?: { readonly parent: string; readonly replace: ReadonlyMap<string, string>; readonly remove: readonly string[] };
}

const IDENTITY = ['-c', 'user.name=edgefleet plan', '-c', 'user.email=plan@edgefleet.invalid'];
const BRANCH = 'edgefleet-plan';

export async function measureShallowClone(repoTop: string, head: HeadCommitSpec): Promise<ShallowCloneSize> {
  const tmp = mkdtempSync(join(tmpdir(), 'edgefleet-download-'));
  try {
    const probe = join(tmp, 'probe.git');
    await git(tmp, ['init', '--quiet', '--bare', probe]);
    const objects = (await gitText(repoTop, ['rev-parse', '--path-format=absolute', '--git-path', 'objects'])).trim();
    writeFileSync(join(probe, 'objects', 'info', 'alternates'), `${objects}\n`);
    let commit = head.commit;
    if (!commit) {
      const wt = head.workingTree;
      if (!wt) throw new Error('measureShallowClone: give a commit or a working tree');
      commit = await workingTreeCommit(repoTop, probe, tmp, wt);
    }
    await git(tmp, ['--git-dir', probe, 'update-ref', `refs/heads/${BRANCH}`, commit]);
    const clone = join(tmp, 'clone.git');
    await git(tmp, ['-c', 'fetch.unpackLimit=1', '-c', 'transfer.unpackLimit=1', 'clone', '--quiet', '--bare', '--depth', '1', '--single-branch', '--no-tags', '--branch', BRANCH, `file://${probe}`, clone]);
    const packDir = join(clone, 'objects', 'pack');
    const bytes = readdirSync(packDir).filter((f) => f.endsWith('.pack')).reduce((sum, f) => sum + statSync(join(packDir, f)).size, 0);
    const counts = await gitText(tmp, ['--git-dir', clone, 'count-objects', '-v']);
    const inPack = Number(/^in-pack: (\d+)$/m.exec(counts)?.[1] ?? 0) + Number(/^count: (\d+)$/m.exec(counts)?.[1] ?? 0);
    return { bytes, objects: inPack, commit };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function workingTreeCommit(repoTop: string, probe: string, tmp: string, wt: NonNullable<HeadCommitSpec['workingTree']>): Promise<string> {
  const env = { GIT_INDEX_FILE: join(tmp, 'index') };
  const at = ['--git-dir', probe, '--work-tree', repoTop];
  // The repository's own excludes apply too, as they do to `git add` there.
  const exclude = (await gitText(repoTop, ['rev-parse', '--path-format=absolute', '--git-path', 'info/exclude'])).trim();
  if (existsSync(exclude)) {
    mkdirSync(join(probe, 'info'), { recursive: true });
    copyFileSync(exclude, join(probe, 'info', 'exclude'));
  }
  await git(repoTop, [...at, 'read-tree', wt.parent], { env });
  await git(repoTop, [...at, 'add', '--all', '--', '.'], { env });
  for (const [path, text] of wt.replace) {
    const oid = (await gitText(repoTop, ['--git-dir', probe, 'hash-object', '-w', '--stdin'], { input: text })).trim();
    await git(repoTop, [...at, 'update-index', '--add', '--cacheinfo', `100644,${oid},${path}`], { env });
  }
  if (wt.remove.length > 0) await git(repoTop, [...at, 'update-index', '--force-remove', '--', ...wt.remove], { env });
  const tree = (await gitText(repoTop, [...at, 'write-tree'], { env })).trim();
  return (await gitText(repoTop, ['--git-dir', probe, ...IDENTITY, 'commit-tree', tree, '-p', wt.parent, '-m', 'edgefleet plan: working tree'])).trim();
}
