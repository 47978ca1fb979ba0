import { dirname } from 'node:path';
import type { Inventory } from '../inventory/types.js';
import { affectedSites } from '../select/affected.js';
import { changedFiles } from '../select/changed-files.js';
import { gitTopLevel } from '../select/git.js';

/**
 * The sites a change since `ref` can affect (committed, staged, unstaged and untracked files), or
 * `'all'`. May name sites that no longer exist in the inventory (a deleted site file): synth still
 * owns their clusters/ directories.
 */
export async function sitesChangedSince(inv: Inventory, fleetFile: string, ref: string): Promise<readonly string[] | 'all'> {
  const top = await gitTopLevel(dirname(fleetFile));
  const files = await changedFiles(top, ref);
  return affectedSites(top, files, inv).sites;
}
