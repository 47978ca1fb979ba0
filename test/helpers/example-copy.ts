import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFixtureFleet } from './fixture-fleet.js';

export { FIXTURE_FLEET, FIXTURE_FLEET_FILE, REPO_ROOT } from './fixture-fleet.js';

/** A throwaway copy of the fixture fleet (test/fixtures/fleet, with its committed clusters/). */
export function copyExample(prefix = 'edgefleet-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copyFixtureFleet(dir);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
