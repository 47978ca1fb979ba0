import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_ENTRIES, REPO_ROOT } from './temp-repo.js';

export { REPO_ROOT };

/** A throwaway copy of the example inventory (and its committed clusters/). */
export function copyExample(prefix = 'edgefleet-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const entry of EXAMPLE_ENTRIES) {
    cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
