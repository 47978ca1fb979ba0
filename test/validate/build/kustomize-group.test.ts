import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBuildCache } from '../../../src/validate/build/cache.js';
import { KustomizeRunError, PART_LABEL, runKustomize, runKustomizeGroup, type RawBuild } from '../../../src/validate/build/kustomize.js';
import { RunCache, type KustomizeRequest } from '../../../src/validate/build/run-cache.js';
import { validateRepository } from '../../../src/validate/validate-repo.js';
import { FIXTURE_FLEET, FIXTURE_FLEET_FILE } from '../../helpers/fixture-fleet.js';

// Several builds in one kustomize process must give each build exactly what it gives alone.

describe('kustomize builds in a group', () => {
  const requests: KustomizeRequest[] = [];

  beforeAll(async () => {
    // every distinct build of the example fleet, as validate asks for them
    const recording = (r: KustomizeRequest): Promise<RawBuild> => {
      requests.push(r);
      return runKustomize(r.realRoot, r.dirRel, r.text);
    };
    const cache = createBuildCache({ runner: recording });
    await validateRepository({ fleetFile: FIXTURE_FLEET_FILE, cache, today: '2026-11-26', jobs: 1 });
  }, 120_000);

  test('each part is what its own build gives: objects, order, origin annotations, no marker label left', async () => {
    const alone = await Promise.all(requests.map((r) => runKustomize(r.realRoot, r.dirRel, r.text)));
    // one build of each path, as the cache groups them (builds of one path would make the same objects)
    const firsts = requests.filter((r, i) => requests.findIndex((o) => o.dirRel === r.dirRel) === i);
    expect(firsts.length).toBeGreaterThan(3);
    const built = await runKustomizeGroup(FIXTURE_FLEET, firsts);
    expect(built).toBeDefined();
    firsts.forEach((r, i) => expect(built?.[i], r.dirRel).toEqual(alone[requests.indexOf(r)]));
    expect(JSON.stringify(built)).not.toContain(PART_LABEL);
  }, 120_000);

  test('through the cache, every request of the fleet gets what its own build gives', async () => {
    const alone = await Promise.all(requests.map((r) => runKustomize(r.realRoot, r.dirRel, r.text)));
    const cache = new RunCache({ concurrency: 1 });
    const grouped = await Promise.all(requests.map((r) => cache.run(r)));
    expect(grouped).toEqual(alone);
    expect(cache.stats).toEqual({ builds: requests.length, hits: 0 });
  }, 120_000);
});

describe('a group that kustomize rejects', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'edgefleet-group-'));
    for (const app of ['good', 'bad', 'twin']) {
      mkdirSync(join(root, 'apps', app), { recursive: true });
      writeFileSync(join(root, 'apps', app, 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app === 'twin' ? 'good' : app}\n  namespace: default\ndata:\n  k: v\n`);
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const text = (resource: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nbuildMetadata: [originAnnotations]\nresources:\n  - ${resource}\n`;

  test('is undefined when a part fails or two parts make the same object', async () => {
    expect(await runKustomizeGroup(root, [{ dirRel: 'apps/good', text: text('cm.yaml') }, { dirRel: 'apps/bad', text: text('missing.yaml') }])).toBeUndefined();
    expect(await runKustomizeGroup(root, [{ dirRel: 'apps/good', text: text('cm.yaml') }, { dirRel: 'apps/twin', text: text('cm.yaml') }])).toBeUndefined();
    // a part that is not a kustomization at all: left to its own build to report
    expect(await runKustomizeGroup(root, [{ dirRel: 'apps/good', text: text('cm.yaml') }, { dirRel: 'apps/bad', text: 'resources: [' }])).toBeUndefined();
    const ok = await runKustomizeGroup(root, [{ dirRel: 'apps/good', text: text('cm.yaml') }, { dirRel: 'apps/bad', text: text('cm.yaml') }]);
    expect(ok?.map((b) => b.objects.map((o) => (o.metadata as { name: string }).name))).toEqual([['good'], ['bad']]);
    expect(ok?.[0]?.objects[0]).toEqual((await runKustomize(root, 'apps/good', text('cm.yaml'))).objects[0]);
  }, 60_000);

  test('the cache then builds each part alone: every request gets its own result or error', async () => {
    const cache = new RunCache({ concurrency: 1 });
    const req = (app: string, resource: string): KustomizeRequest => ({ key: `${app}:${resource}`, realRoot: root, dirRel: `apps/${app}`, text: text(resource) });
    // made in the same turn, so they wait for the one slot together and are built as one group first
    const [good, bad, twin] = await Promise.allSettled([cache.run(req('good', 'cm.yaml')), cache.run(req('bad', 'missing.yaml')), cache.run(req('twin', 'cm.yaml'))]);
    expect(good).toMatchObject({ status: 'fulfilled', value: { objects: [{ metadata: { name: 'good' } }] } });
    expect(twin).toMatchObject({ status: 'fulfilled', value: { objects: [{ metadata: { name: 'good' } }] } });
    expect(bad.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toBeInstanceOf(KustomizeRunError);
    expect(String((bad as PromiseRejectedResult).reason.message)).toContain('missing.yaml');
    expect(cache.stats).toEqual({ builds: 3, hits: 0 });
  }, 60_000);
});
