/**
 * Why validate-manifest.ts does not also run the models' own validate(): everything the upstream
 * validators reject, our schemas reject too. Each case is checked against both.
 */
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../../scripts/generate-schemas.js';
import { loadUpstreamValidator } from '../../../scripts/schema-generate/probe-upstream.js';
import { validateManifest } from '../../../src/validate/schema/index.js';
import { allValidFixtures, fixture, type Manifest } from './helpers.js';

const upstreamRejects = async (m: Manifest): Promise<boolean> => {
  const spec = KINDS.find((k) => k.apiVersion === m.apiVersion && k.kind === m.kind);
  if (!spec) throw new Error(`${m.apiVersion}/${m.kind} is not listed`);
  return (await loadUpstreamValidator(spec))(m).length > 0;
};

const container = (m: Manifest) => m.spec.template.spec.containers[0];

const broken: Array<[string, Manifest]> = [
  ['replicas 1.5', fixture('Deployment', (d) => (d.spec.replicas = 1.5))],
  ['containerPort beyond int32', fixture('Deployment', (d) => (container(d).ports[0].containerPort = 2 ** 40))],
  ['imagePullPolicy outside its enum', fixture('Deployment', (d) => (container(d).imagePullPolicy = 'Sometimes'))],
  ['container without name', fixture('Deployment', (d) => delete container(d).name)],
  ['Secret data not base64', fixture('Secret', (s) => (s.data.token = '***'))],
  ['creationTimestamp not RFC 3339', fixture('Pod', (p) => (p.metadata.creationTimestamp = 'noon'))],
  ['Kustomization interval "5 minutes"', fixture('Kustomization', (k) => (k.spec.interval = '5 minutes'))],
  ['Kustomization without sourceRef', fixture('Kustomization', (k) => delete k.spec.sourceRef)],
  ['Kustomization targetNamespace over its maxLength', fixture('Kustomization', (k) => (k.spec.targetNamespace = 'x'.repeat(64)))],
  ['GitRepository url scheme', fixture('GitRepository', (g) => (g.spec.url = 'ftp://example.com/repo'))],
  ['HelmRelease chart name empty', fixture('HelmRelease', (h) => (h.spec.chart.spec.chart = ''))],
];

describe('upstream validate() finds nothing our schemas miss', () => {
  it.each(broken)('%s: upstream rejects and so do we', async (_title, m) => {
    expect(await upstreamRejects(m)).toBe(true);
    expect(validateManifest(m).status).toBe('invalid');
  });

  it('the valid fixtures: upstream accepts them too', async () => {
    for (const m of allValidFixtures()) expect(await upstreamRejects(m), `${m.kind}`).toBe(false);
  });
});
