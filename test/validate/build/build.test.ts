/**
 * The Flux build against the real kubectl (no mocks): the fixture fleet's bases (test/fixtures/fleet), and small
 * kustomize trees in test/fixtures/build/repo/ (a repository root of its own).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test, vi } from 'vitest';
import { BuildCache, createBuildCache } from '../../../src/validate/build/cache.js';
import { BuildError, KubectlNotFoundError, KustomizeError } from '../../../src/validate/build/errors.js';
import { locateInSource } from '../../../src/validate/build/locate.js';
import type { BuiltObject, FluxKustomizationLike } from '../../../src/validate/build/types.js';
import { parseYamlFile, type SourceDocument } from '../../../src/util/yaml-source.js';
import { FIXTURE_FLEET } from '../../helpers/fixture-fleet.js';

const REPO = FIXTURE_FLEET;
const FIXTURE = fileURLToPath(new URL('../../fixtures/build/repo', import.meta.url));

/** The Flux Kustomization `name` of a clusters/ file, with the document it is written in. */
function clusterKustomization(file: string, name: string): { ks: FluxKustomizationLike; source: SourceDocument } {
  const parsed = parseYamlFile(file, readFileSync(`${REPO}/${file}`, 'utf8'));
  const source = parsed.documents.find((d) => {
    const v = d.value as { kind?: string; metadata?: { name?: string } };
    return v.kind === 'Kustomization' && v.metadata?.name === name;
  });
  if (!source) throw new Error(`no Kustomization ${name} in ${file}`);
  return { ks: source.value as FluxKustomizationLike, source };
}

/** A Flux Kustomization written in a pretend clusters/ file, so problems in its spec have a line to point at. */
function fluxKs(spec: Record<string, unknown>, name = 'app'): { ks: FluxKustomizationLike; source: SourceDocument } {
  const text = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec: ${JSON.stringify(spec)}
`;
  const source = parseYamlFile('clusters/site/app.yaml', text).documents[0] as SourceDocument;
  return { ks: source.value as FluxKustomizationLike, source };
}

function find(objects: readonly BuiltObject[], kind: string, name: string): BuiltObject {
  const o = objects.find((b) => b.object.kind === kind && (b.object.metadata as { name?: string }).name === name);
  if (!o) throw new Error(`no ${kind}/${name} in ${objects.map((b) => `${b.object.kind}/${(b.object.metadata as { name?: string }).name}`).join(', ')}`);
  return o;
}

async function buildError(p: Promise<unknown>): Promise<BuildError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof BuildError) return err;
    throw err;
  }
  throw new Error('expected the build to fail');
}

describe('the example repository', () => {
  test('apps/telemetry/base as clusters/det-inference-02 builds it: namespace, patch, ${VAR} untouched, origins', async () => {
    const { ks, source } = clusterKustomization('clusters/det-inference-02/apps/telemetry.yaml', 'app-telemetry');
    const { objects, key } = await createBuildCache().build(REPO, ks, { source });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(objects.map((b) => `${b.object.kind}/${(b.object.metadata as { name: string }).name}`).sort()).toEqual([
      'ConfigMap/telemetry', 'Deployment/telemetry', 'PersistentVolumeClaim/vector-data', 'Service/telemetry', 'ServiceAccount/telemetry',
    ]);
    for (const b of objects) {
      expect((b.object.metadata as { namespace?: string }).namespace).toBe('telemetry');
      expect(JSON.stringify(b.object)).not.toContain('config.kubernetes.io/origin');
    }

    const deployment = find(objects, 'Deployment', 'telemetry') as { object: any; origin: BuiltObject['origin'] };
    expect(deployment.origin).toEqual({ file: 'apps/telemetry/base/deployment.yaml', line: 1, column: 1, documentIndex: 0 });
    // The patch from spec.patches is applied, its ${VAR}s left for postBuild.
    expect(deployment.object.spec.replicas).toBe('${TELEMETRY_REPLICAS}');
    expect(deployment.object.spec.strategy).toEqual({ type: '${TELEMETRY_STRATEGY}' });
    expect(deployment.object.spec.template.metadata.annotations['vault.hashicorp.com/role']).toBe('telemetry');
    expect(deployment.object.spec.template.spec.containers[0].resources.limits).toEqual({ cpu: '${VECTOR_CPU_LIMIT}', memory: '${VECTOR_MEMORY_LIMIT}' });
    // The base's own label transformer ran too.
    expect(deployment.object.metadata.labels['app.kubernetes.io/part-of']).toBe('telemetry');

    const pvc = find(objects, 'PersistentVolumeClaim', 'vector-data') as { object: any; origin: BuiltObject['origin'] };
    expect(pvc.object.spec.storageClassName).toBe('${STORAGE_CLASS}');
    expect(pvc.origin.file).toBe('apps/telemetry/base/pvc.yaml');
    const cm = find(objects, 'ConfigMap', 'telemetry') as { object: any };
    expect(cm.object.data['vector.yaml']).toContain('.collector = "$${HOSTNAME}"');

    // A field of the base is found in the base; a field only the patch adds falls back to its nearest parent.
    expect(locateInSource(REPO, deployment.origin, 'spec.template.spec.containers[0].image')).toEqual({ file: 'apps/telemetry/base/deployment.yaml', line: 27, column: 18 });
    expect(locateInSource(REPO, deployment.origin, ['spec', 'strategy', 'type'])).toEqual({ file: 'apps/telemetry/base/deployment.yaml', line: 11, column: 3 });
  });

  test('components from the spec are built inside the path’s kustomization, as Flux edits it in place', async () => {
    const { ks, source } = clusterKustomization('clusters/det-inference-02/infrastructure.yaml', 'infra-nvidia-device-plugin');
    const { objects } = await createBuildCache().build(REPO, ks, { source });
    const runtimeClass = find(objects, 'RuntimeClass', 'nvidia') as { object: any; origin: BuiltObject['origin'] };
    // With an overlay on top of the path the component would miss the base's labels; Flux's in-place edit gives them.
    expect(runtimeClass.object.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'nvidia-device-plugin', 'app.kubernetes.io/part-of': 'nvidia-device-plugin' });
    expect(runtimeClass.origin).toEqual({ file: 'infrastructure/nvidia-device-plugin/components/k3s-runtime-class/runtimeclass.yaml', line: 3, column: 1, documentIndex: 0 });
    const ds = find(objects, 'DaemonSet', 'nvidia-device-plugin') as { object: any };
    expect(ds.object.spec.template.spec.runtimeClassName).toBe('nvidia');
  });
});

describe('fixture trees', () => {
  test('targetNamespace, namePrefix and images replace the kustomization’s own; origins name the document', async () => {
    const { ks, source } = fluxKs({
      path: './prefixed',
      targetNamespace: 'site-ns',
      namePrefix: 'site-',
      images: [{ name: 'nginx', newTag: '1.28' }],
      patches: [{ patch: '- op: replace\n  path: /spec/replicas\n  value: 3\n', target: { kind: 'Deployment', name: 'web' } }],
    });
    const { objects } = await createBuildCache().build(FIXTURE, ks, { source });
    const web = find(objects, 'Deployment', 'site-web') as { object: any; origin: BuiltObject['origin'] };
    expect(web.object.metadata.namespace).toBe('site-ns');
    // The image entry for nginx was replaced: no newName from the file any more.
    expect(web.object.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    // The JSON 6902 patch targets the name before the prefix, as it runs inside the path's kustomization.
    expect(web.object.spec.replicas).toBe(3);
    expect(web.object.spec.template.spec.containers[0].env[0].value).toBe('${REGION}');
    expect(web.origin).toEqual({ file: 'base/web.yaml', line: 1, column: 1, documentIndex: 0 });
    expect(find(objects, 'Service', 'site-web').origin).toEqual({ file: 'base/extras.yaml', line: 7, column: 1, documentIndex: 1 });
    expect(find(objects, 'ServiceAccount', 'site-web').origin).toEqual({ file: 'base/extras.yaml', line: 2, column: 1, documentIndex: 0 });
  });

  test('a component from the spec and a generated ConfigMap trace back to their files', async () => {
    const { ks, source } = fluxKs({ path: './generators', components: ['../comp'] });
    const { objects } = await createBuildCache().build(FIXTURE, ks, { source });
    expect(find(objects, 'ResourceQuota', 'quota').origin).toEqual({ file: 'comp/quota.yaml', line: 1, column: 1, documentIndex: 0 });
    const generated = objects.find((b) => b.object.kind === 'ConfigMap');
    expect(generated?.origin).toEqual({ file: 'generators/kustomization.yaml', line: 6, column: 5, generatedBy: 'ConfigMapGenerator' });
    expect((generated?.object as any).data['settings.conf']).toBe('region = ${REGION}\n');
  });

  test('a path without a kustomization is built as Flux generates one', async () => {
    const { ks, source } = fluxKs({ path: './plain', targetNamespace: 'gen' });
    const { objects } = await createBuildCache().build(FIXTURE, ks, { source });
    // a.yaml and sub/b.yml as files; sub/nested as a kustomization (its prefix applies); .sops.yaml and README.md left out.
    expect(objects.map((b) => (b.object.metadata as { name: string }).name).sort()).toEqual(['a', 'b', 'nested-c']);
    expect(objects.every((b) => (b.object.metadata as { namespace?: string }).namespace === 'gen')).toBe(true);
    expect(find(objects, 'ConfigMap', 'a').origin.file).toBe('plain/a.yaml');
    expect(find(objects, 'ConfigMap', 'nested-c').origin.file).toBe('plain/sub/nested/c.yaml');
    expect((find(objects, 'ConfigMap', 'a').object as any).data.greeting).toBe('hello ${NAME}');
  });

  test('a resource naming a missing file: error at the kustomization entry, before kustomize runs', async () => {
    const cache = createBuildCache();
    const err = await buildError(cache.build(FIXTURE, fluxKs({ path: './missing-resource' }).ks));
    expect(err.problems).toEqual([
      { file: 'missing-resource/kustomization.yaml', line: 5, column: 5, path: 'resources[1]', message: "resource 'nope.yaml' not found (missing-resource/nope.yaml)" },
    ]);
    expect(cache.stats.builds).toBe(0);
  });

  test('a path that does not exist: error at spec.path', async () => {
    const { ks, source } = fluxKs({ path: './nowhere' });
    const err = await buildError(createBuildCache().build(FIXTURE, ks, { source }));
    expect(err.problems).toEqual([{ file: 'clusters/site/app.yaml', line: 6, column: 15, path: 'spec.path', message: "kustomization path not found: './nowhere' (nowhere)" }]);
  });

  test('a ../../.. resource escaping the root: error before kustomize runs', async () => {
    const cache = createBuildCache();
    const err = await buildError(cache.build(FIXTURE, fluxKs({ path: './escape' }).ks));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ file: 'escape/kustomization.yaml', line: 5, column: 5, path: 'resources[1]' });
    expect(err.problems[0]?.message).toMatch(/^resource '..\/..\/..\/outside.yaml' is outside the repository root \(..\/..\/outside.yaml\)/);
    expect(err.message).not.toContain(FIXTURE);
    expect(cache.stats.builds).toBe(0);
  });

  test('a remote base cannot be checked offline', async () => {
    const err = await buildError(createBuildCache().build(FIXTURE, fluxKs({ path: './remote' }).ks));
    expect(err.problems).toEqual([
      expect.objectContaining({ file: 'remote/kustomization.yaml', line: 5, column: 5, cannotCheck: true, message: expect.stringContaining('remote resource') }),
    ]);
  });

  test('a missing component from the spec points at the spec; with ignoreMissingComponents it is skipped', async () => {
    const { ks, source } = fluxKs({ path: './base', components: ['../nope'] });
    const err = await buildError(createBuildCache().build(FIXTURE, ks, { source }));
    expect(err.problems).toEqual([{ file: 'clusters/site/app.yaml', line: 6, column: 38, path: 'spec.components[0]', message: "component '../nope' not found (nope)" }]);
    const ok = fluxKs({ path: './base', components: ['../nope'], ignoreMissingComponents: true });
    expect((await createBuildCache().build(FIXTURE, ok.ks, { source: ok.source })).objects).toHaveLength(3);
  });

  test('kustomize’s own error names the nested kustomization and line; no temp path leaks', async () => {
    const err = await buildError(createBuildCache().build(FIXTURE, fluxKs({ path: './bad-field' }).ks));
    expect(err).toBeInstanceOf(KustomizeError);
    expect(err.problems).toEqual([
      expect.objectContaining({ file: 'bad-field/inner/kustomization.yaml', line: 5, column: 1, path: 'commonLables', message: expect.stringContaining('unknown field') }),
    ]);
    expect((err as KustomizeError).kustomizeMessage).not.toMatch(/edgefleet-build-|\/tmp\//);
  });

  test('a spec patch that does not apply is reported at that patch', async () => {
    const { ks, source } = fluxKs({
      path: './base',
      patches: [
        { patch: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n' },
        { patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: absent\nspec:\n  replicas: 2\n' },
      ],
    });
    const err = await buildError(createBuildCache().build(FIXTURE, ks, { source }));
    expect(err).toBeInstanceOf(KustomizeError);
    expect(err.problems).toEqual([expect.objectContaining({ file: 'clusters/site/app.yaml', path: 'spec.patches[1]', message: expect.stringContaining('absent') })]);
  });
});

test('a spec JSON 6902 patch that does not apply is reported at that patch', async () => {
  const { ks, source } = fluxKs({
    path: './base',
    patches: [
      { patch: '- op: add\n  path: /metadata/labels\n  value: {a: b}\n', target: { kind: 'Service' } },
      { patch: '- op: replace\n  path: /spec/strategy/type\n  value: Recreate\n', target: { kind: 'Deployment' } },
    ],
  });
  const err = await buildError(createBuildCache().build(FIXTURE, ks, { source }));
  expect(err.problems).toEqual([expect.objectContaining({ file: 'clusters/site/app.yaml', path: 'spec.patches[1]', message: expect.stringContaining('/spec/strategy/type') })]);
});

describe('the cache', () => {
  test('two sites with the same Kustomization build once; different patch text builds again', async () => {
    const cache = createBuildCache();
    const patch = (replicas: string) => [{ patch: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n`, target: { kind: 'Deployment' } }];
    const siteA = fluxKs({ path: './base', targetNamespace: 'web', patches: patch('${REPLICAS}'), postBuild: { substitute: { REPLICAS: '1' } } }, 'site-a');
    const siteB = fluxKs({ path: 'base/', targetNamespace: 'web', patches: patch('${REPLICAS}'), postBuild: { substitute: { REPLICAS: '3' } } }, 'site-b');
    const [a, b] = await Promise.all([cache.build(FIXTURE, siteA.ks), cache.build(FIXTURE, siteB.ks)]);
    expect(cache.stats).toEqual({ builds: 1, hits: 1 });
    expect(a.key).toBe(b.key);
    expect(a.objects).toEqual(b.objects);
    // Sites share the built objects (so what is derived from them is done once), frozen: a caller
    // changing one cannot change another's.
    expect(a.objects[0]?.object).toBe(b.objects[0]?.object);
    expect(() => {
      (a.objects[0]?.object.metadata as Record<string, unknown>).name = 'changed';
    }).toThrow(TypeError);

    const siteC = fluxKs({ path: './base', targetNamespace: 'web', patches: patch('2') }, 'site-c');
    const c = await cache.build(FIXTURE, siteC.ks);
    expect(cache.stats).toEqual({ builds: 2, hits: 1 });
    expect(c.key).not.toBe(a.key);
    await cache.build(FIXTURE, siteA.ks);
    expect(cache.stats).toEqual({ builds: 2, hits: 2 });
  });

  test('a failed build is remembered too', async () => {
    const cache = createBuildCache();
    const ks = fluxKs({ path: './bad-field' }).ks;
    await buildError(cache.build(FIXTURE, ks));
    await buildError(cache.build(FIXTURE, ks));
    expect(cache.stats).toEqual({ builds: 1, hits: 1 });
  });

  test('concurrency must be a positive integer', () => {
    expect(() => new BuildCache({ concurrency: 0 })).toThrow(RangeError);
  });
});

describe('kubectl', () => {
  test('EDGEFLEET_KUBECTL is read from the process environment by default', async () => {
    vi.stubEnv('EDGEFLEET_KUBECTL', '/nonexistent/kubectl-from-env');
    try {
      const err = await createBuildCache().build(FIXTURE, fluxKs({ path: './base' }).ks).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubectlNotFoundError);
      expect((err as KubectlNotFoundError).command).toBe('/nonexistent/kubectl-from-env');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test('missing: the error says how to install it', async () => {
    const cache = createBuildCache({ env: { ...process.env, EDGEFLEET_KUBECTL: '/nonexistent/kubectl' } });
    const err = await cache.build(FIXTURE, fluxKs({ path: './base' }).ks).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubectlNotFoundError);
    expect((err as Error).message).toContain("cannot run kubectl ('/nonexistent/kubectl')");
    expect((err as Error).message).toContain('apt-get install kubectl');
    expect((err as Error).message).toContain('EDGEFLEET_KUBECTL=/path/to/kubectl');
  });
});
