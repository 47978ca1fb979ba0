import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectRejected, useTempRepos } from '../helpers/temp-repo.js';

// Inputs that crashed with an internal error (or hung) before: each is a located error, exit 2, and
// clusters/ is left as it was.

const LYON = 'sites/lyon-pos-01.yaml';

describe('synth rejects hostile inventories with located errors', () => {
  const tempRepo = useTempRepos();

  it('an alias with no anchor points at the alias', async () => {
    const repo = tempRepo();
    repo.edit(LYON, 'region: eu-west', 'region: *where');
    await expectRejected(repo, [{ at: repo.at(LYON, 'region: ^*where'), path: 'spec.region', says: ['invalid YAML', 'alias *where'] }], { count: 1 });
  });

  it('an alias bomb is refused', async () => {
    const repo = tempRepo();
    const bomb = ['    x0: &x0 [a, a, a, a, a, a, a, a, a, a]'];
    for (let i = 1; i < 8; i++) bomb.push(`    x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]`);
    repo.edit(LYON, '  labels:\n', `  labels:\n${bomb.join('\n')}\n`);
    await expectRejected(repo, [{ at: `${LYON}:2:1`, says: ['alias bomb'] }], { count: 1 });
  });

  it('40,000 duplicate keys (a file under the size limit) are reported as the first 100 and a count', async () => {
    const repo = tempRepo();
    repo.edit(LYON, '    scenario: retail\n', '    scenario: retail\n'.repeat(40_000));
    const lines = await expectRejected(repo, [{ at: `${LYON}:8:5`, says: ['unique'] }], { argv: ['synth'] });
    expect(lines).toHaveLength(101);
    expect(lines.filter((l) => /: 39899 more YAML problem\(s\) in this file not shown$/.test(l))).toHaveLength(1);
  });

  it('a site file over 1 MiB is refused before it is read', async () => {
    const repo = tempRepo();
    repo.edit(LYON, '  region: eu-west\n', `  region: eu-west\n${'# padding\n'.repeat(120_000)}`);
    await expectRejected(repo, [{ at: `${LYON}:1:1`, says: ['MiB', 'more than the limit of 1.0 MiB'] }], { count: 1 });
  });

  it('fleet.yaml that is a directory', async () => {
    const repo = tempRepo();
    repo.remove('fleet.yaml');
    mkdirSync(repo.abs('fleet.yaml'));
    await expectRejected(repo, [{ at: 'fleet.yaml:1:1', says: ['cannot read Fleet file', 'it is a directory'] }], { count: 1 });
  });

  it('a file where sites/ is expected', async () => {
    const repo = tempRepo();
    repo.remove('sites');
    repo.write('sites', 'not a directory\n');
    const lines = await expectRejected(repo, [{ at: 'sites:1:1', says: ['cannot list sites/', 'expected a directory'] }]);
    expect(lines.join('\n')).not.toContain('internal error');
  });

  it('--out under /proc is refused at once, not a hang', async () => {
    const repo = tempRepo();
    // A hang (the old behaviour) fails by the test's timeout; the test asserts the refusal, not a duration.
    await expectRejected(repo, [{ at: '/proc/edgefleet-x:1:1', says: ['cannot create the output directory'] }], { argv: ['synth', '--out', '/proc/edgefleet-x'], count: 1 });
  });
});
