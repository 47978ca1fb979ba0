import { describe, expect, it } from 'vitest';
import { fixture, issueAt, issuesOf, type Manifest } from './helpers.js';

const podSpec = (m: Manifest) => m.spec.template.spec;
const container = (m: Manifest) => podSpec(m).containers[0];

describe('unknown fields are errors at any depth', () => {
  const cases: Array<[string, string, (m: Manifest) => void, (m: Manifest) => void, string, string]> = [
    // [title, kind, typo, correct spelling, jsonPath of the typo, message]
    [
      'pod spec nodeselector',
      'Deployment',
      (m) => (podSpec(m).nodeselector = { disk: 'ssd' }),
      (m) => (podSpec(m).nodeSelector = { disk: 'ssd' }),
      'spec.template.spec.nodeselector',
      'unknown field "nodeselector" (did you mean "nodeSelector"?)',
    ],
    [
      'container imagePullPolicyy',
      'Deployment',
      (m) => (container(m).imagePullPolicyy = 'Always'),
      (m) => (container(m).imagePullPolicy = 'Always'),
      'spec.template.spec.containers[0].imagePullPolicyy',
      'unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?)',
    ],
    [
      'resources.limit',
      'Deployment',
      (m) => (container(m).resources = { limit: { cpu: '1' } }),
      (m) => (container(m).resources = { limits: { cpu: '1' } }),
      'spec.template.spec.containers[0].resources.limit',
      'unknown field "limit" (did you mean "limits"?)',
    ],
    [
      'Flux Kustomization spec.retryIntervall',
      'Kustomization',
      (m) => (m.spec.retryIntervall = '1m'),
      (m) => (m.spec.retryInterval = '1m'),
      'spec.retryIntervall',
      'unknown field "retryIntervall" (did you mean "retryInterval"?)',
    ],
    [
      'Flux Kustomization spec.postBuild.substitutes',
      'Kustomization',
      (m) => (m.spec.postBuild.substitutes = { SITE: 'b' }),
      (m) => (m.spec.postBuild.substitute = { SITE: 'b' }),
      'spec.postBuild.substitutes',
      'unknown field "substitutes" (did you mean "substitute"?)',
    ],
    [
      'top level',
      'ConfigMap',
      (m) => (m.dta = {}),
      (m) => (m.data = {}),
      'dta',
      'unknown field "dta" (did you mean "data"?)',
    ],
    [
      'metadata (shared ObjectMeta beside the per-kind name rule)',
      'Service',
      (m) => (m.metadata.label = {}),
      (m) => (m.metadata.labels = {}),
      'metadata.label',
      'unknown field "label" (did you mean "labels"?)',
    ],
  ];

  for (const [title, kind, typo, correct, jsonPath, message] of cases) {
    it(`${title}: fires`, () => {
      const issue = issueAt(fixture(kind, typo), jsonPath);
      expect(issue).toMatchObject({ message, keyword: 'additionalProperties' });
      expect(issue.pointer).toBe(`/${jsonPath.replace(/\[(\d+)\]/g, '.$1').split('.').join('/')}`);
    });
    it(`${title}: correct spelling does not fire`, () => {
      expect(issuesOf(fixture(kind, correct))).toEqual([]);
    });
  }

  it('prefers a case-insensitive match', () => {
    const m = fixture('Deployment', (d) => (podSpec(d).NodeSelector = {}));
    expect(issueAt(m, 'spec.template.spec.NodeSelector').message).toBe('unknown field "NodeSelector" (did you mean "nodeSelector"?)');
  });

  it('suggests nothing when no field is within two edits', () => {
    const m = fixture('Deployment', (d) => (container(d).sidecarMode = true));
    expect(issueAt(m, 'spec.template.spec.containers[0].sidecarMode').message).toBe('unknown field "sidecarMode"');
  });

  it('map keys are not fields: any label, annotation, nodeSelector or substitute key is fine', () => {
    const m = fixture('Kustomization', (d) => {
      d.metadata.labels = { 'example.com/Any_Key': 'v' };
      d.spec.postBuild.substitute = { anything_goes: 'x' };
    });
    expect(issuesOf(m)).toEqual([]);
  });

  it('free-form upstream objects stay open: HelmRelease values', () => {
    const m = fixture('HelmRelease', (d) => (d.spec.values = { whatever: { nested: [1, 'two'] } }));
    expect(issuesOf(m)).toEqual([]);
  });
});
