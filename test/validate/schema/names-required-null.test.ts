import { describe, expect, it } from 'vitest';
import { fixture, issueAt, issuesOf, type Manifest } from './helpers.js';

const container = (m: Manifest) => m.spec.template.spec.containers[0];

describe('metadata.name', () => {
  it('Deployment "Bad_Name": fires', () => {
    expect(issueAt(fixture('Deployment', (d) => (d.metadata.name = 'Bad_Name')), 'metadata.name')).toMatchObject({
      keyword: 'pattern',
      message: expect.stringMatching(/^invalid name "Bad_Name": must be a lowercase RFC 1123 subdomain/),
    });
  });
  it('Deployment "web.v2-canary": does not fire', () => {
    expect(issuesOf(fixture('Deployment', (d) => (d.metadata.name = 'web.v2-canary')))).toEqual([]);
  });
  it('a subdomain longer than 253 characters: fires', () => {
    const m = fixture('ConfigMap', (c) => (c.metadata.name = `${'a'.repeat(63)}.`.repeat(4) + 'abc'));
    expect(issueAt(m, 'metadata.name').keyword).toBe('maxLength');
  });
  it('Service names are RFC 1035 labels: "web.v2" fires, "web-v2" does not', () => {
    expect(issueAt(fixture('Service', (s) => (s.metadata.name = 'web.v2')), 'metadata.name').message).toMatch(/RFC 1035 label/);
    expect(issuesOf(fixture('Service', (s) => (s.metadata.name = 'web-v2')))).toEqual([]);
  });
  it('Namespace names are RFC 1123 labels: "edge.apps" fires, "edge-apps" does not', () => {
    expect(issueAt(fixture('Namespace', (n) => (n.metadata.name = 'edge.apps')), 'metadata.name').message).toMatch(/RFC 1123 label/);
    expect(issuesOf(fixture('Namespace', (n) => (n.metadata.name = 'edge-apps')))).toEqual([]);
  });
  it('RBAC names are path segments: "a/b" fires, "system:edge-reader" does not', () => {
    expect(issueAt(fixture('ClusterRole', (r) => (r.metadata.name = 'a/b')), 'metadata.name').message).toMatch(/path segment/);
    expect(issuesOf(fixture('ClusterRole', (r) => (r.metadata.name = 'system:edge-reader')))).toEqual([]);
  });
  it('metadata.namespace "Edge_Apps": fires', () => {
    expect(issueAt(fixture('Role', (r) => (r.metadata.namespace = 'Edge_Apps')), 'metadata.namespace').message).toMatch(/RFC 1123 label/);
  });
});

describe('missing required fields', () => {
  it('container without name: fires at the missing field', () => {
    const m = fixture('Deployment', (d) => delete container(d).name);
    expect(issueAt(m, 'spec.template.spec.containers[0].name')).toMatchObject({
      keyword: 'required',
      pointer: '/spec/template/spec/containers/0/name',
      message: 'missing required field "name"',
    });
  });
  it('container with name: does not fire', () => {
    expect(issuesOf(fixture('Deployment', (d) => (container(d).name = 'web')))).toEqual([]);
  });
  it('Kustomization without sourceRef: fires', () => {
    const m = fixture('Kustomization', (k) => delete k.spec.sourceRef);
    expect(issueAt(m, 'spec.sourceRef')).toMatchObject({ keyword: 'required', message: 'missing required field "sourceRef"' });
  });
  it('a document without apiVersion: fires before any schema is chosen', () => {
    const m = fixture('Pod', (p) => delete p.apiVersion);
    expect(issuesOf(m)).toEqual([{ jsonPath: 'apiVersion', pointer: '/apiVersion', keyword: 'required', message: 'missing required field "apiVersion"' }]);
  });
});

describe('null', () => {
  it('on optional fields: does not fire (the API server treats it as unset)', () => {
    const m = fixture('Deployment', (d) => {
      d.metadata.creationTimestamp = null;
      d.metadata.annotations = null;
      d.spec.replicas = null;
      d.spec.strategy = null;
      d.status = null;
      container(d).imagePullPolicy = null;
      container(d).resources = null;
      container(d).readinessProbe.httpGet.port = 8080;
      container(d).readinessProbe.httpGet.host = null;
    });
    expect(issuesOf(m)).toEqual([]);
  });
  it('on required fields: fires', () => {
    const m = fixture('Deployment', (d) => {
      d.spec.selector = null;
      container(d).name = null;
    });
    expect(issuesOf(m)).toEqual([
      { jsonPath: 'spec.selector', pointer: '/spec/selector', keyword: 'type', message: 'expected an object, got null' },
      { jsonPath: 'spec.template.spec.containers[0].name', pointer: '/spec/template/spec/containers/0/name', keyword: 'type', message: 'expected a string, got null' },
    ]);
  });
});

describe('enums and wrong types', () => {
  it('imagePullPolicy "always": fires with a suggestion', () => {
    const m = fixture('Deployment', (d) => (container(d).imagePullPolicy = 'always'));
    expect(issueAt(m, 'spec.template.spec.containers[0].imagePullPolicy').message).toBe(
      'expected one of "Always", "IfNotPresent", "Never", got string "always" (did you mean "Always"?)',
    );
  });
  it('spec given as a string: one message, not one per union branch', () => {
    expect(issuesOf(fixture('Deployment', (d) => (d.spec = 'oops')))).toEqual([
      { jsonPath: 'spec', pointer: '/spec', keyword: 'type', message: 'expected an object, got string "oops"' },
    ]);
  });
});
