import { describe, expect, it } from 'vitest';
import { fixture, issueAt, issuesOf, type Manifest } from './helpers.js';

const limits = (m: Manifest) => m.spec.template.spec.containers[0].resources.limits;

describe('quantities', () => {
  it('LimitRange max memory "2GB": fires', () => {
    const m = fixture('LimitRange', (l) => (l.spec.limits[0].max.memory = '2GB'));
    expect(issueAt(m, 'spec.limits[0].max.memory')).toMatchObject({
      keyword: 'pattern',
      message: expect.stringContaining('invalid quantity "2GB"'),
    });
  });
  it('LimitRange max memory "2Gi": does not fire', () => {
    expect(issuesOf(fixture('LimitRange', (l) => (l.spec.limits[0].max.memory = '2Gi')))).toEqual([]);
  });

  it('container resources memory "2GB": fires', () => {
    const m = fixture('Deployment', (d) => (limits(d).memory = '2GB'));
    expect(issueAt(m, 'spec.template.spec.containers[0].resources.limits.memory').message).toMatch(/^invalid quantity "2GB"/);
  });

  it.each(['1.5', '500m', '1Gi', '2e3', 2, 0.25, '.5', '+1', '100n', '1E3', '10k'])('quantity %j: does not fire', (q) => {
    expect(issuesOf(fixture('Deployment', (d) => (limits(d).cpu = q)))).toEqual([]);
  });

  it.each(['2GB', '1gi', 'one', '', '1.5.2', '5 Mi', '1Ki5', 'm'])('quantity %j: fires', (q) => {
    const issue = issueAt(fixture('Deployment', (d) => (limits(d).cpu = q)), 'spec.template.spec.containers[0].resources.limits.cpu');
    expect(issue.message).toContain(`invalid quantity ${JSON.stringify(q)}`);
  });

  it('a quantity of the wrong type: fires', () => {
    const m = fixture('PersistentVolumeClaim', (p) => (p.spec.resources.requests.storage = true));
    expect(issueAt(m, 'spec.resources.requests.storage').message).toBe('expected a string or a number, got boolean true');
  });
});

describe('Flux durations', () => {
  it('Kustomization interval "5 minutes": fires', () => {
    const m = fixture('Kustomization', (k) => (k.spec.interval = '5 minutes'));
    expect(issueAt(m, 'spec.interval')).toMatchObject({
      keyword: 'pattern',
      message: 'invalid duration "5 minutes": expected e.g. "30s", "5m" or "1h30m"',
    });
  });
  it('Kustomization interval "1h30m": does not fire', () => {
    expect(issuesOf(fixture('Kustomization', (k) => (k.spec.interval = '1h30m')))).toEqual([]);
  });

  it.each([
    ['Kustomization', 'retryInterval'],
    ['Kustomization', 'timeout'],
    ['HelmRelease', 'timeout'],
    ['GitRepository', 'interval'],
  ])('%s spec.%s "10 min": fires, "500ms": does not', (kind, field) => {
    expect(issueAt(fixture(kind, (m) => (m.spec[field] = '10 min')), `spec.${field}`).message).toMatch(/^invalid duration/);
    expect(issuesOf(fixture(kind, (m) => (m.spec[field] = '500ms')))).toEqual([]);
  });
});

describe('times and base64 (formats from the upstream schemas)', () => {
  it('a Secret data value that is not base64: fires', () => {
    const m = fixture('Secret', (s) => (s.data.token = 'not base64!'));
    expect(issueAt(m, 'data.token')).toMatchObject({ keyword: 'format', message: expect.stringContaining('base64') });
  });
  it('a Secret data value in base64: does not fire', () => {
    expect(issuesOf(fixture('Secret', (s) => (s.data.token = Buffer.from('x').toString('base64'))))).toEqual([]);
  });

  it('metadata.creationTimestamp "yesterday": fires, RFC 3339: does not', () => {
    expect(issueAt(fixture('Pod', (p) => (p.metadata.creationTimestamp = 'yesterday')), 'metadata.creationTimestamp').message).toMatch(
      /^invalid RFC 3339 time "yesterday"/,
    );
    expect(issuesOf(fixture('Pod', (p) => (p.metadata.creationTimestamp = '2025-01-31T12:00:00Z')))).toEqual([]);
  });
});
