import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { editKustomization, isLocalRelativePath, type PathKustomization } from '../../../src/validate/build/overlay.js';
import type { FluxBuildSpec } from '../../../src/validate/build/types.js';

const existing = (value: Record<string, unknown>): PathKustomization => ({ kind: 'existing', value });
const base = existing({
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
  namespace: 'base-ns',
  namePrefix: 'base-',
  resources: ['deployment.yaml'],
  patches: [{ path: 'own-patch.yaml' }],
  components: ['components/own'],
  images: [{ name: 'nginx', newName: 'mirror/nginx' }, { name: 'redis', newTag: '7' }],
});
const everything = () => true;

const smp = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${REPLICAS}\n';
const json6902 = '- op: replace\n  path: /spec/replicas\n  value: 3\n';

describe('editKustomization: what kustomize-controller writes at the path', () => {
  const cases: { name: string; spec: FluxBuildSpec; expected: Record<string, unknown> }[] = [
    {
      name: 'patches with targets are appended after the file’s own, target fields kept',
      spec: { patches: [{ patch: smp, target: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web', labelSelector: 'tier=front' } }] },
      expected: {
        patches: [
          { path: 'own-patch.yaml' },
          { patch: smp, target: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web', labelSelector: 'tier=front' } },
        ],
      },
    },
    {
      name: 'a JSON 6902 patch is passed on as text with its target',
      spec: { patches: [{ patch: json6902, target: { kind: 'Deployment', name: 'web' } }] },
      expected: { patches: [{ path: 'own-patch.yaml' }, { patch: json6902, target: { kind: 'Deployment', name: 'web' } }] },
    },
    {
      name: 'a patch without target stays without one',
      spec: { patches: [{ patch: smp }] },
      expected: { patches: [{ path: 'own-patch.yaml' }, { patch: smp }] },
    },
    {
      name: 'targetNamespace replaces the file’s namespace',
      spec: { targetNamespace: 'site-ns' },
      expected: { namespace: 'site-ns' },
    },
    {
      name: 'namePrefix and nameSuffix replace (not stack on) the file’s',
      spec: { namePrefix: 'site-', nameSuffix: '-x' },
      expected: { namePrefix: 'site-', nameSuffix: '-x' },
    },
    {
      name: 'an image of the same name is replaced, a new one appended',
      spec: { images: [{ name: 'nginx', newTag: '1.27' }, { name: 'busybox', digest: 'sha256:abc' }] },
      expected: { images: [{ name: 'nginx', newTag: '1.27' }, { name: 'redis', newTag: '7' }, { name: 'busybox', digest: 'sha256:abc' }] },
    },
    {
      name: 'components are appended, relative to the path',
      spec: { components: ['../shared/gpu'] },
      expected: { components: ['components/own', '../shared/gpu'] },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const edit = editKustomization(c.spec, base, everything);
      expect(edit.problems).toEqual([]);
      expect(edit.value).toMatchObject(c.expected);
      expect(parse(edit.text)).toEqual(edit.value);
    });
  }

  test('without any of these fields the file comes back as it was', () => {
    const edit = editKustomization({ path: './x' }, base, everything);
    expect(edit.value).toEqual(base.kind === 'existing' ? base.value : {});
    expect(edit.keepsOriginAnnotations).toBe(false);
  });

  test('the text is deterministic (sorted keys) whatever the input order', () => {
    const a = editKustomization({ targetNamespace: 'n' }, existing({ resources: ['a.yaml'], namespace: 'x' }), everything);
    const b = editKustomization({ targetNamespace: 'n' }, existing({ namespace: 'x', resources: ['a.yaml'] }), everything);
    expect(a.text).toBe(b.text);
    expect(a.text).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: n\nresources:\n  - a.yaml\n');
  });

  test('apiVersion and kind default to a Kustomization, as Flux’s decoding does', () => {
    expect(editKustomization({}, existing({ resources: ['a.yaml'] }), everything).value).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['a.yaml'],
    });
  });

  test('unknown top-level fields are dropped and reported', () => {
    const edit = editKustomization({}, existing({ resources: ['a.yaml'], commonLables: { a: 'b' } }), everything);
    expect(edit.droppedFields).toEqual(['commonLables']);
    expect(edit.value).not.toHaveProperty('commonLables');
  });

  test('an existing file without resources gets originAnnotations (replacing other buildMetadata)', () => {
    const edit = editKustomization({}, existing({ components: ['c'], buildMetadata: ['transformerAnnotations'] }), everything);
    expect(edit.value.buildMetadata).toEqual(['originAnnotations']);
    expect(edit.keepsOriginAnnotations).toBe(true);
  });

  test('a generated kustomization lists the scanned resources', () => {
    const edit = editKustomization({ targetNamespace: 'n' }, { kind: 'generated', resources: ['./a.yaml', './sub'] }, everything);
    expect(edit.value).toEqual({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['./a.yaml', './sub'], namespace: 'n' });
    expect(edit.keepsOriginAnnotations).toBe(false);
  });

  test('a generated kustomization with nothing to list gets the placeholder namespace', () => {
    expect(editKustomization({}, { kind: 'generated', resources: [] }, everything).value.namespace).toBe('_placeholder');
  });

  test('a remote or absolute component is rejected at its spec entry', () => {
    const edit = editKustomization({ components: ['ok', 'https://github.com/x/y', '/abs'] }, base, everything);
    expect(edit.problems).toEqual([
      { specPath: ['spec', 'components', 1], message: "component path 'https://github.com/x/y' must be local and relative" },
      { specPath: ['spec', 'components', 2], message: "component path '/abs' must be local and relative" },
    ]);
    expect(edit.value.components).toEqual(['components/own', 'ok']);
    expect(edit.componentSources).toEqual([undefined, 0]);
  });

  test('ignoreMissingComponents skips a component that does not exist', () => {
    const exists = (c: string) => c !== 'gone';
    expect(editKustomization({ components: ['gone', 'here'], ignoreMissingComponents: true }, base, exists).value.components).toEqual(['components/own', 'here']);
    expect(editKustomization({ components: ['gone'] }, base, exists).value.components).toEqual(['components/own', 'gone']);
  });
});

test.each([
  ['foo.yaml', true],
  ['./foo', true],
  ['../foo', true],
  ['file://foo.yaml', true],
  ['file:///foo.yaml', false],
  ['/foo.yaml', false],
  ['https://github.com/owner/repo', false],
  ['git@github.com:owner/repo', false],
  ['ssh://git@github.com/owner/repo', false],
  ['github.com/owner/repo', false],
])('isLocalRelativePath(%s) = %s', (p, expected) => {
  expect(isLocalRelativePath(p)).toBe(expected);
});
