import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository checkout these tests run from (holds bin/, dist/, src/ and node_modules/). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

/**
 * The fleet the tests run on: a copy of the example fleet taken when tests stopped reading the
 * repository's own inventory, so adding a site or an app at the top level (as the README says) does
 * not change what the tests see. The repository's fleet is checked by `synth --check` and `validate`
 * in CI instead.
 *
 * Its clusters/ must match its inventory (test/fixtures/fleet.test.ts checks). After a change to src/
 * that changes synthesized output, regenerate it with
 *   npm run -s build && node bin/edgefleet.js synth --fleet test/fixtures/fleet/fleet.yaml --out test/fixtures/fleet/clusters
 */
export const FIXTURE_FLEET = join(REPO_ROOT, 'test/fixtures/fleet');

/** fleet.yaml of the fixture fleet. */
export const FIXTURE_FLEET_FILE = join(FIXTURE_FLEET, 'fleet.yaml');

/** What a copy of the fleet needs; schemas come from the package itself, not from the inventory. */
export const FLEET_ENTRIES = ['fleet.yaml', 'sites', 'apps', 'infrastructure', 'clusters'] as const;

/** Copies the fixture fleet (all of FLEET_ENTRIES, or just `entries`) into `dir`. */
export function copyFixtureFleet(dir: string, entries: readonly string[] = FLEET_ENTRIES): void {
  for (const entry of entries) cpSync(join(FIXTURE_FLEET, entry), join(dir, entry), { recursive: true });
}
