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
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { mode: 'not-a-secret-object' } };
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

describe('redactObject, credentials the secrets-credential-literals rule finds (issue 15)', () => {
  const LEAKS = ['hunter2', 'abc123def', 's3cret', 'pin-0000'];
  const leaky = (): Record<string, unknown>[] => [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'n', annotations: { 'example.com/db-password': 'hunter2', 'example.com/owner': 'retail' } },
      spec: {
        template: {
          metadata: { annotations: { 'example.com/api-token': 'abc123def' } },
          spec: {
            containers: [{ name: 'app', env: [{ name: 'DB_PASS', value: 'hunter2' }, { name: 'DB_URL', value: 'postgres://pos:s3cret@db:5432/pos' }, { name: 'LOG_LEVEL', value: 'info' }], args: ['--admin-pw=hunter2', '--listen=:8080'] }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { ADMIN_PW: 'hunter2', MODE: 'store' }, binaryData: { 'app.env': Buffer.from('API_TOKEN=abc123def\n').toString('base64') } },
    { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'db' }, spec: { values: { auth: { password: 'hunter2', existingSecret: 'db-auth', pin: 'x' }, api: { token: 'pin-0000' } } } },
  ];

  it('hides each form, keeps what is not a credential', () => {
    const [deploy, cm, hr] = leaky().map((o) => stableYaml(redactObject(o, secretSlots(o), undefined, 'head')));
    for (const text of [deploy, cm, hr]) for (const v of LEAKS) expect(text).not.toContain(v);
    expect(cm).not.toContain(Buffer.from('API_TOKEN=abc123def\n').toString('base64'));
    expect(deploy).toContain('example.com/owner: retail');
    expect(deploy).toContain('value: info');
    expect(deploy).toContain('--listen=:8080');
    expect(cm).toContain('MODE: store');
    expect(hr).toContain('existingSecret: db-auth');
  });

  it('a changed credential in a ConfigMap shows as changed in the plan diff, never in clear', () => {
    const cm = (v: string) => ({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { DB_PASSWORD: v, MODE: 'store' } }, file: 'c.yaml' });
    const r = compareObjects([cm('old-hunter2')], [cm('new-hunter3')]);
    expect(r.objects[0]?.diff).toContain('DB_PASSWORD: "<redacted: 1 line changed>"');
    expect(r.objects[0]?.diff).not.toMatch(/hunter/);
  });

  it('a reference is no credential: it stays visible', () => {
    const o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { DB_PASSWORD: '${DB_PASSWORD}', TOKEN_FILE: '/vault/secrets/token' } };
    expect(secretSlots(o).size).toBe(0);
    expect(stableYaml(redactObject(o, secretSlots(o), undefined, 'head'))).toContain('TOKEN_FILE: /vault/secrets/token');
  });
});
