import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/types.js';
import { affectedSites } from '../../src/select/affected.js';
import { kustomizeReach } from '../../src/select/kustomize-tree.js';
import { copyFixtureFleet } from '../helpers/fixture-fleet.js';

const ALL = ['austin-pos-02', 'berlin-kiosk-03', 'det-inference-02', 'fra-inference-01', 'lyon-pos-01', 'ohio-gw-02', 'oslo-gw-03', 'rotterdam-gw-01'];
const POS = ['austin-pos-02', 'berlin-kiosk-03', 'lyon-pos-01'];
const GPU = ['det-inference-02', 'fra-inference-01'];
const MQTT = ['det-inference-02', 'ohio-gw-02', 'oslo-gw-03', 'rotterdam-gw-01'];

function copyTo(dir: string): void {
  copyFixtureFleet(dir);
}

describe('affectedSites', () => {
  let dir: string;
  let inv: Inventory;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'edgefleet-affected-'));
    copyTo(dir);
    // A shared file the vault add-on's kustomization reaches outside its own directory.
    mkdirSync(join(dir, 'infrastructure/shared'));
    writeFileSync(join(dir, 'infrastructure/shared/labels.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n');
    const k = join(dir, 'infrastructure/vault-agent-injector/kustomization.yaml');
    writeFileSync(k, readFileSync(k, 'utf8').replace('resources:\n', 'resources:\n  - ../shared/labels.yaml\n'));
    // A hand-written Kustomization committed in one site's directory.
    mkdirSync(join(dir, 'infrastructure/extra'));
    writeFileSync(join(dir, 'infrastructure/extra/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n');
    writeFileSync(
      join(dir, 'clusters/lyon-pos-01/extra.yaml'),
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: extra\n  namespace: flux-system\nspec:\n  interval: 5m\n  path: ./infrastructure/extra\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
    );
    inv = loadInventory(join(dir, 'fleet.yaml'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sites = (files: string[]): string[] | 'all' => affectedSites(dir, files, inv).sites;

  it.each([
    ['a site file → that site', ['sites/lyon-pos-01.yaml'], ['lyon-pos-01']],
    ["a deleted site's file → that site, though the inventory no longer has it", ['sites/gone-01.yaml'], ['gone-01']],
    ["an app's app.yaml → the sites running it", ['apps/pos-api/app.yaml'], POS],
    ["a file of an app's base → the sites running it", ['apps/mqtt-broker/base/deployment.yaml'], MQTT],
    ['a clusters/<site>/ file → that site', ['clusters/oslo-gw-03/apps/telemetry.yaml'], ['oslo-gw-03']],
    ['an add-on every site has → every site, by name', ['infrastructure/vault-agent-injector/deployment.yaml'], ALL],
    ['a GPU add-on → the GPU sites', ['infrastructure/nvidia-device-plugin/daemonset.yaml'], GPU],
    ['a component of an add-on → the sites whose Kustomization lists it', ['infrastructure/nvidia-device-plugin/components/k3s-runtime-class/runtimeclass.yaml'], GPU],
    ['a file a kustomization reaches outside its path → the sites building it', ['infrastructure/shared/labels.yaml'], ALL],
    ['the path of a hand-written Kustomization in clusters/ → that site', ['infrastructure/extra/cm.yaml'], ['lyon-pos-01']],
    ['documentation no build reads → no site', ['infrastructure/README.md', 'README.md', 'docs/rules.md', 'test/x.test.ts'], []],
    ['several files → the union', ['sites/ohio-gw-02.yaml', 'apps/pos-api/app.yaml'], [...POS, 'ohio-gw-02'].sort()],
  ])('%s', (_what, files, expected) => {
    expect(sites(files)).toEqual(expected);
  });

  it.each([
    ['fleet.yaml', 'fleet-wide settings'],
    ['src/synth/flux.ts', 'toolchain'],
    ['package-lock.json', 'toolchain'],
    ['schemas/kubernetes/index.json', 'toolchain'],
    ['apps/pos-api/base/.sourceignore', 'source-controller'],
  ])('%s → every site', (file, why) => {
    const r = affectedSites(dir, [file, 'sites/lyon-pos-01.yaml'], inv);
    expect(r.sites).toBe('all');
    expect(r.reasons.get('*')).toEqual([expect.stringContaining(why)]);
    expect(r.reasons.get('*')?.[0]).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')} `));
  });

  it('says why each site is selected', () => {
    const r = affectedSites(dir, ['apps/pos-api/base/deployment.yaml', 'sites/lyon-pos-01.yaml', 'infrastructure/nvidia-device-plugin/daemonset.yaml'], inv);
    expect(r.reasons.get('lyon-pos-01')).toEqual([
      'apps/pos-api/base/deployment.yaml (runs pos-api)',
      'sites/lyon-pos-01.yaml',
      'apps/pos-api/base/deployment.yaml (read by app-pos-api)',
    ]);
    expect(r.reasons.get('fra-inference-01')).toEqual(['infrastructure/nvidia-device-plugin/daemonset.yaml (read by infra-nvidia-device-plugin)']);
  });

  it('finds the fleet in a sub-directory of the repository', () => {
    const top = mkdtempSync(join(tmpdir(), 'edgefleet-affected-sub-'));
    try {
      mkdirSync(join(top, 'fleet'));
      copyTo(join(top, 'fleet'));
      const sub = loadInventory(join(top, 'fleet', 'fleet.yaml'));
      // Flux paths stay relative to the fleet directory here (synth writes ./apps/…), as validate's --root.
      const opts = { fluxRoot: join(top, 'fleet') };
      expect(affectedSites(top, ['fleet/sites/lyon-pos-01.yaml'], sub, opts).sites).toEqual(['lyon-pos-01']);
      expect(affectedSites(top, ['fleet/apps/pos-api/app.yaml'], sub, opts).sites).toEqual(POS);
      expect(affectedSites(top, ['fleet/infrastructure/nvidia-device-plugin/daemonset.yaml'], sub, opts).sites).toEqual(GPU);
      expect(affectedSites(top, ['fleet/clusters/oslo-gw-03/apps/telemetry.yaml'], sub, opts).sites).toEqual(['oslo-gw-03']);
      expect(affectedSites(top, ['fleet/fleet.yaml'], sub, opts).sites).toBe('all');
      expect(affectedSites(top, ['sites/lyon-pos-01.yaml'], sub, opts).sites).toEqual([]);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});

describe('kustomizeReach', () => {
  it('covers the path, its components and what its kustomization files name outside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgefleet-reach-'));
    try {
      const w = (rel: string, text: string): void => {
        mkdirSync(join(dir, rel, '..'), { recursive: true });
        writeFileSync(join(dir, rel), text);
      };
      w('base/kustomization.yaml', 'resources:\n  - a.yaml\n  - ../common\n  - ../gone.yaml\nconfigMapGenerator:\n  - name: x\n    files: [conf=../conf/app.conf]\n');
      w('base/a.yaml', 'kind: ConfigMap\n');
      w('common/kustomization.yaml', 'resources: [../deep/d.yaml]\n');
      w('deep/d.yaml', 'kind: ConfigMap\n');
      w('conf/app.conf', 'x=1\n');
      w('base/comp/kustomization.yaml', 'kind: Component\n');
      w('unrelated/u.yaml', 'kind: ConfigMap\n');
      const reach = kustomizeReach(dir, './base', ['comp']);
      expect(reach).toEqual(expect.arrayContaining(['base', 'common', 'deep/d.yaml', 'conf/app.conf', 'gone.yaml']));
      expect(reach.some((p) => p === 'unrelated' || p.startsWith('unrelated/'))).toBe(false);
      // `..` cannot climb above the root.
      expect(kustomizeReach(dir, '../../base')).toContain('base');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
