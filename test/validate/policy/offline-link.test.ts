import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import type { SitePlan } from '../../../src/model/plan.js';
import { resolveFleet } from '../../../src/model/resolve.js';
import vaultOfflineStart from '../../../src/validate/policy/rules/secrets-vault-offline-start.js';
import imagePullPolicy from '../../../src/validate/policy/rules/security-image-pull-policy.js';
import { copyExample } from '../../helpers/example-copy.js';
import { runRule } from './rule-tester.js';

const INJECTED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: mqtt-broker
spec:
  template:
    metadata:
      annotations:
        vault.hashicorp.com/agent-inject: "true"
    spec:
      containers: [{ name: mosquitto, image: eclipse-mosquitto:2.0.20, imagePullPolicy: Always }]
`;

/** ohio-gw-02 of the example, after `edit` of fleet.yaml (and every site's `profile: intermittent` renamed to `rename`). */
function ohio(edit: (fleet: string) => string, rename = 'intermittent'): SitePlan {
  const { dir, cleanup } = copyExample('edgefleet-link-');
  cleanups.push(cleanup);
  writeFileSync(join(dir, 'fleet.yaml'), edit(readFileSync(join(dir, 'fleet.yaml'), 'utf8')));
  for (const f of readdirSync(join(dir, 'sites'))) {
    const p = join(dir, 'sites', f);
    writeFileSync(p, readFileSync(p, 'utf8').replace('profile: intermittent', `profile: ${rename}`));
  }
  const site = resolveFleet(loadInventory(join(dir, 'fleet.yaml'), { displayFrom: dir }), new Set(['ohio-gw-02'])).sites[0];
  if (!site) throw new Error('no ohio-gw-02');
  return site;
}
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('offline-link rules follow the network profile\'s link, not its name', () => {
  it('a profile named "satellite" with link: intermittent triggers them', () => {
    const site = ohio((f) => f.replace('\n    intermittent:\n', '\n    satellite:\n'), 'satellite');
    expect(site.networkProfile).toBe('satellite');
    expect(site.link).toBe('intermittent');
    expect(runRule(vaultOfflineStart, { site, yaml: INJECTED })).toHaveLength(1);
    expect(runRule(imagePullPolicy, { site, yaml: INJECTED })).toHaveLength(1);
  });

  it('a profile named "intermittent" whose link is always-on does not', () => {
    const site = ohio((f) => f.replace('link: intermittent', 'link: always-on'));
    expect(site.link).toBe('always-on');
    expect(runRule(vaultOfflineStart, { site, yaml: INJECTED })).toEqual([]);
    expect(runRule(imagePullPolicy, { site, yaml: INJECTED })).toEqual([]);
  });

  it('a profile without link is always-on; an unknown link is rejected by the schema', () => {
    expect(ohio((f) => f.replace('      link: intermittent\n', '')).link).toBe('always-on');
    expect(() => ohio((f) => f.replace('link: intermittent', 'link: sometimes'))).toThrow(/link/);
  });
});
