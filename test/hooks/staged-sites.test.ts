import { describe, expect, it } from 'vitest';
import { stagedSites } from '../../scripts/staged-sites.js';

const KNOWN = new Set(['lyon-pos-01', 'oslo-gw-03']);

describe('stagedSites', () => {
  it.each([
    [['sites/lyon-pos-01.yaml'], ['lyon-pos-01']],
    [['clusters/oslo-gw-03/apps/telemetry.yaml'], ['oslo-gw-03']],
    [['sites/oslo-gw-03.yaml', 'clusters/oslo-gw-03/infrastructure.yaml', 'clusters/lyon-pos-01/apps/pos-api.yaml'], ['lyon-pos-01', 'oslo-gw-03']],
    [['sites/oslo-gw-03.yaml', 'README.md', 'docs/rules.md', 'test/x.test.ts', '.github/workflows/ci.yml'], ['oslo-gw-03']],
  ])('%j → those sites', (files, sites) => {
    expect(stagedSites(files, KNOWN)).toEqual({ kind: 'sites', sites });
  });

  it.each([
    ['fleet.yaml', 'fleet.yaml can affect every site'],
    ['apps/pos-api/base/deployment.yaml', 'apps/pos-api/base/deployment.yaml can affect every site'],
    ['infrastructure/vault/agent.yaml', 'infrastructure/vault/agent.yaml can affect every site'],
    ['src/synth/flux.ts', 'src/synth/flux.ts can affect every site'],
    ['schemas/site.schema.json', 'schemas/site.schema.json can affect every site'],
    ['sites/README.md', 'sites/README.md can affect every site'],
    ['sites/removed-01.yaml', 'sites/removed-01.yaml belongs to no site of the inventory'],
    ['clusters/removed-01/apps/a.yaml', 'clusters/removed-01/apps/a.yaml belongs to no site of the inventory'],
  ])('%s → every site', (file, because) => {
    expect(stagedSites(['sites/lyon-pos-01.yaml', file], KNOWN)).toEqual({ kind: 'all', because });
  });

  it('checks nothing for files that cannot change what synth or validate see', () => {
    expect(stagedSites(['README.md', 'docs/a.md', 'test/a.test.ts', 'package-lock.json', 'fleet.yaml.bak'], KNOWN)).toEqual({ kind: 'none' });
    expect(stagedSites([], KNOWN)).toEqual({ kind: 'none' });
  });
});
