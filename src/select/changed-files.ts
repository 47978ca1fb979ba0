import { gitText, gitTopLevel, resolveCommit, splitNul } from './git.js';

export interface ChangedFilesOptions {
  /** Compare with this commit instead of the working tree (then untracked files do not count). */
  readonly head?: string;
}

/**
 * Files that differ between `ref` and the working tree: committed since `ref`, staged, unstaged and
 * untracked (not ignored) — every path a build of the working tree could read differently. Paths are
 * relative to the repository's top level, with forward slashes, sorted. Renames count as a deletion
 * and an addition, so both names are listed. With `head`, the files that differ between two commits.
 * Reads the repository only: never touches the index or the working tree.
 */
export async function changedFiles(root: string, ref: string, options: ChangedFilesOptions = {}): Promise<string[]> {
  const top = await gitTopLevel(root);
  const base = await resolveCommit(top, ref);
  const head = options.head === undefined ? undefined : await resolveCommit(top, options.head);
  // --no-renames: with rename detection --name-only prints only the new name; the old one matters too.
  const diff = await gitText(top, ['diff', '--name-only', '--no-renames', '--no-ext-diff', '--ignore-submodules', '-z', base, ...(head ? [head] : []), '--']);
  const files = new Set(splitNul(diff));
  if (!head) {
    for (const f of splitNul(await gitText(top, ['ls-files', '--others', '--exclude-standard', '-z', '--full-name']))) files.add(f);
  }
  return [...files].sort();
}
