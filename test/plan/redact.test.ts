import { describe, expect, it } from 'vitest';
import { stableYaml } from '../../src/plan/identity.js';
import { redactObject, scrub, secretSlots } from '../../src/plan/redact.js';
import { compareObjects } from '../../src/plan/compare.js';

const TEMPLATE = 'vault.hashicorp.com/agent-inject-template-db.env';
const BODY = '{{- with secret "kv/data/edge/x/db" -}}\nUSER={{ .Data.data.user }}\nPASS={{ .Data.data.password }}\n{{- end }}\n';

function secret(values: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, stringData: values, data: { b64: Buffer.from('base64-hidden-value').toString('base64') } };
}

function deployment(body: string): Record<string, unknown> {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { template: { metadata: { annotations: { [TEMPLATE]: body, 'vault.hashicorp.com/role': 'app' } } } } };
}

function kustomization(body: string): Record<string, unknown> {
  const patch = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: d', 'spec:', '  template:', '    metadata:', '      annotations:', `        ${TEMPLATE}: |`, ...body.trimEnd().split('\n').map((l) => `          ${l}`), '        other: kept', ''].join('\n');
  const json6902 = JSON.stringify([{ op: 'add', path: '/spec/template/metadata/annotations/vault.hashicorp.com~1agent-inject-template-x', value: 'JSON-PATCH-TEMPLATE-BODY' }], null, 1);
  return { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'app-d', namespace: 'flux-system' }, spec: { patches: [{ patch }, { patch: `${json6902}\n` }] } };
}

describe('redactObject', () => {
  it('hides every Secret value, saying which changed', () => {
    const before = secret({ password: 'old-password-1', same: 'unchanged-value' });
    const after = secret({ password: 'new-password-2', same: 'unchanged-value', added: 'brand-new-value\nsecond line' });
    const b = secretSlots(before);
    const a = secretSlots(after);
    const shownBefore = stableYaml(redactObject(before, b, a, 'base'));
    const shownAfter = stableYaml(redactObject(after, a, b, 'head'));
    expect(shownBefore).toContain('password: <redacted>');
    expect(shownAfter).toContain('password: "<redacted: 1 line changed>"');
    expect(shownAfter).toContain('same: <redacted>');
    expect(shownAfter).toContain('added: "<redacted: 2 lines added>"');
    expect(shownAfter).toContain('b64: <redacted>');
    for (const text of [shownBefore, shownAfter]) {
      for (const v of ['old-password-1', 'new-password-2', 'unchanged-value', 'brand-new-value', Buffer.from('base64-hidden-value').toString('base64')]) expect(text).not.toContain(v);
    }
    // Only on one side: the size, nothing else.
    expect(stableYaml(redactObject(after, a, undefined, 'head'))).toContain('password: "<redacted: 1 line>"');
  });

  it('hides Vault template bodies in annotations, and counts the changed lines', () => {
    const changedBody = BODY.replace('PASS=', 'PASSWORD=');
    const before = deployment(BODY);
    const after = deployment(changedBody);
    const text = stableYaml(redactObject(after, secretSlots(after), secretSlots(before), 'head'));
    expect(text).toContain(`${TEMPLATE}: "<redacted: 1 line changed>"`);
    expect(text).toContain('vault.hashicorp.com/role: app');
    expect(text).not.toContain('.Data.data');
  });

  it('hides template bodies inside the YAML text of Flux patches, strategic merge and JSON 6902 alike', () => {
    const before = kustomization(BODY);
    const after = kustomization(`${BODY}EXTRA={{ .Data.data.extra }}\n`);
    const shown = stableYaml(redactObject(after, secretSlots(after), secretSlots(before), 'head'));
    expect(shown).not.toContain('.Data.data');
    expect(shown).not.toContain('JSON-PATCH-TEMPLATE-BODY');
    expect(shown).toContain(`${TEMPLATE}: "<redacted: 1 line changed>"`);
    expect(shown).toContain('other: kept');
    expect(shown).toContain('agent-inject-template-x');
    expect(secretSlots(after).size).toBe(2);
  });

  it('leaves objects without secrets as they are', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { password: 'not-a-secret-object' } };
    expect(secretSlots(cm).size).toBe(0);
    expect(redactObject(cm, new Map(), new Map(), 'head')).toEqual(cm);
  });
});

describe('compareObjects', () => {
  it('counts a change of a Secret value as a change, without printing it', () => {
    const r = compareObjects([{ object: secret({ k: 'value-before-1' }), file: 'a.yaml' }], [{ object: secret({ k: 'value-after-22' }), file: 'a.yaml' }]);
    expect(r.objects).toHaveLength(1);
    const o = r.objects[0];
    expect(o?.change).toBe('changed');
    expect(o?.diff).toBe('@@ -6,4 +6,4 @@\n   name: s\n   namespace: n\n stringData:\n-  k: <redacted>\n+  k: "<redacted: 1 line changed>"\n');
    // Bytes are those of the real lines: "  k: value-before-1\n" and "  k: value-after-22\n".
    expect(o?.bytes.changed).toBe(20 + 20);
  });
});

describe('compareObjects, a secret copied elsewhere', () => {
  it('scrubs the value of an unchanged Secret from the diff of a changed ConfigMap', () => {
    const s = { object: secret({ token: 'copied-token-value-123' }), file: 's.yaml' };
    const cm = (v: string) => ({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { v } }, file: 'c.yaml' });
    const r = compareObjects([s, cm('x')], [s, cm('copied-token-value-123')]);
    expect(r.objects.map((o) => o.id.kind)).toEqual(['ConfigMap']);
    expect(r.objects[0]?.diff).toContain('+  v: <redacted>');
    expect(r.objects[0]?.diff).not.toContain('copied-token-value-123');
  });
});

describe('scrub', () => {
  it('removes sensitive values wherever they ended up', () => {
    const values = ['hunter2-long-password', 'line one of it\n  a much longer second line\n', Buffer.from('decoded-secret!').toString('base64')];
    const text = 'env: hunter2-long-password\nnote: a much longer second line\nother: decoded-secret!\nshort: line one\n';
    expect(scrub(text, values)).toBe('env: <redacted>\nnote: <redacted>\nother: <redacted>\nshort: line one\n');
  });
});
