import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_FLEET, FIXTURE_FLEET_FILE, REPO_ROOT } from '../helpers/fixture-fleet.js';
import { runCli } from '../helpers/temp-repo.js';

// The tests run on test/fixtures/fleet; its committed clusters/ must be what synth renders from its
// inventory, or tests would check output the current sources no longer produce.
const REGENERATE = 'npm run -s build && node bin/edgefleet.js synth --fleet test/fixtures/fleet/fleet.yaml --out test/fixtures/fleet/clusters';

describe('the fixture fleet', () => {
  it('passes synth --check (regenerate its clusters/ otherwise)', async () => {
    const r = await runCli(['synth', '--check', '--fleet', FIXTURE_FLEET_FILE, '--out', join(FIXTURE_FLEET, 'clusters')], REPO_ROOT);
    expect(r.code, `test/fixtures/fleet/clusters/ is stale; regenerate it with\n  ${REGENERATE}\n${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/is up to date \(\d+ files, 8 sites\)/);
  });
});
