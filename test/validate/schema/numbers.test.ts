import { describe, expect, it } from 'vitest';
import { fixture, issueAt, issuesOf, type Manifest } from './helpers.js';

const container = (m: Manifest) => m.spec.template.spec.containers[0];

describe('integer fields', () => {
  it('Deployment replicas 1.5: fires', () => {
    expect(issueAt(fixture('Deployment', (d) => (d.spec.replicas = 1.5)), 'spec.replicas')).toMatchObject({
      message: 'expected an integer, got 1.5',
      keyword: 'type',
      pointer: '/spec/replicas',
    });
  });
  it('Deployment replicas 3: does not fire', () => {
    expect(issuesOf(fixture('Deployment', (d) => (d.spec.replicas = 3)))).toEqual([]);
  });

  it('containerPort 1.5: fires', () => {
    const m = fixture('Deployment', (d) => (container(d).ports[0].containerPort = 1.5));
    expect(issueAt(m, 'spec.template.spec.containers[0].ports[0].containerPort').message).toBe('expected an integer, got 1.5');
  });
  it('containerPort 8080: does not fire', () => {
    expect(issuesOf(fixture('Deployment', (d) => (container(d).ports[0].containerPort = 8080)))).toEqual([]);
  });

  it('an int32 field beyond 32 bits: fires', () => {
    const m = fixture('Deployment', (d) => (d.spec.replicas = 2 ** 31));
    expect(issueAt(m, 'spec.replicas')).toMatchObject({ keyword: 'format', message: 'expected a 32-bit integer, got 2147483648' });
  });

  it('a quoted number is a string, not an integer: fires', () => {
    expect(issueAt(fixture('Deployment', (d) => (d.spec.replicas = '3')), 'spec.replicas').message).toBe(
      'expected an integer, got string "3"',
    );
  });
});

describe('int-or-string fields', () => {
  const withTargetPort = (targetPort: unknown) => fixture('Service', (s) => (s.spec.ports[0].targetPort = targetPort));

  it.each([8080, 'http', '25%'])('targetPort %j: does not fire', (targetPort) => {
    expect(issuesOf(withTargetPort(targetPort))).toEqual([]);
  });

  it('targetPort 1.5: fires with one merged message', () => {
    expect(issuesOf(withTargetPort(1.5))).toEqual([
      { jsonPath: 'spec.ports[0].targetPort', pointer: '/spec/ports/0/targetPort', keyword: 'type', message: 'expected an integer or a string, got 1.5' },
    ]);
  });

  it('rollingUpdate.maxUnavailable true: fires', () => {
    const m = fixture('Deployment', (d) => (d.spec.strategy.rollingUpdate.maxUnavailable = true));
    expect(issueAt(m, 'spec.strategy.rollingUpdate.maxUnavailable').message).toBe('expected an integer or a string, got boolean true');
  });
});
