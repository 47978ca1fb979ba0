import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/secrets-vault-site-scope.js';
import { runRule, where } from '../rule-tester.js';

// lyon-pos-01: kvMount secret, prefix edge/eu-west/lyon-pos-01, auth mount k8s-lyon-pos-01, app pos-api.
const OWN = 'secret/data/edge/eu-west/lyon-pos-01';

const deployment = (annotations: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: pos-api
spec:
  template:
    metadata:
      annotations:
        vault.hashicorp.com/agent-inject: "true"
${annotations}
    spec:
      containers: [{ name: pos-api, image: pos-api:3.4.1 }]
`;

describe('secrets-vault-site-scope', () => {
  it('is silent on the site\'s own paths, auth path and the app\'s role', () => {
    const yaml = deployment(`        vault.hashicorp.com/role: pos-api
        vault.hashicorp.com/auth-path: auth/k8s-lyon-pos-01
        vault.hashicorp.com/agent-inject-secret-store-db.env: ${OWN}/pos-api/store-db
        vault.hashicorp.com/agent-inject-template-store-db.env: |
          {{- with secret "${OWN}/pos-api/store-db" -}}
          DB_PASSWORD={{ .Data.data.DB_PASSWORD }}
          {{- end }}`);
    expect(runRule(rule, { yaml, app: 'pos-api' })).toEqual([]);
    // A trailing slash or a doubled one changes nothing; no auth-path means the injector's default.
    const loose = deployment(`        vault.hashicorp.com/role: pos-api
        vault.hashicorp.com/agent-inject-secret-x: /${OWN}//pos-api/x`);
    expect(runRule(rule, { yaml: loose, app: 'pos-api' })).toEqual([]);
  });

  it('fires on a secret path under another site\'s prefix, by segment, not by string prefix', () => {
    const yaml = deployment(`        vault.hashicorp.com/role: pos-api
        vault.hashicorp.com/agent-inject-secret-a: secret/data/edge/us-central/ohio-gw-02/pos-api/store-db
        vault.hashicorp.com/agent-inject-secret-b: ${OWN}-old/pos-api/store-db
        vault.hashicorp.com/agent-inject-secret-c: ${OWN}/../ohio-gw-02/pos-api/store-db
        vault.hashicorp.com/agent-inject-secret-d: ${OWN}`);
    const findings = runRule(rule, { yaml, app: 'pos-api' });
    expect(where(findings)).toEqual([
      '11:52 spec.template.metadata.annotations["vault.hashicorp.com/agent-inject-secret-a"]',
      '12:52 spec.template.metadata.annotations["vault.hashicorp.com/agent-inject-secret-b"]',
      '13:52 spec.template.metadata.annotations["vault.hashicorp.com/agent-inject-secret-c"]',
      '14:52 spec.template.metadata.annotations["vault.hashicorp.com/agent-inject-secret-d"]',
    ]);
    expect(findings[0]!.message).toBe(`secret path "secret/data/edge/us-central/ohio-gw-02/pos-api/store-db" is outside the site's own prefix "${OWN}/": the site could read another site's secrets`);
  });

  it('fires on a template that reads another site\'s secret or computes its path', () => {
    const yaml = deployment(`        vault.hashicorp.com/role: pos-api
        vault.hashicorp.com/agent-inject-template-db: |
          {{- with secret "${OWN}/pos-api/store-db" -}}{{ .Data.data.secret }}{{- end }}
          {{- with secret "secret/data/edge/eu-central/fra-inference-01/x" -}}{{ .Data.data.k }}{{- end }}
          {{- with secret (printf "secret/data/%s" .Env.SITE) -}}{{ .Data.data.k }}{{- end }}`);
    const findings = runRule(rule, { yaml, app: 'pos-api' });
    expect(where(findings)).toEqual([
      '11:55 spec.template.metadata.annotations["vault.hashicorp.com/agent-inject-template-db"]',
      '11:55 spec.template.metadata.annotations["vault.hashicorp.com/agent-inject-template-db"]',
    ]);
    expect(findings[0]!.message).toContain('the template reads secret "secret/data/edge/eu-central/fra-inference-01/x", outside the site\'s own prefix');
    expect(findings[1]!.message).toContain('the template reads a secret whose path it computes');
  });

  it('fires on another site\'s auth path, a missing role, another app\'s role, and the injector\'s default auth path', () => {
    const other = deployment(`        vault.hashicorp.com/role: telemetry
        vault.hashicorp.com/auth-path: auth/k8s-ohio-gw-02`);
    const findings = runRule(rule, { yaml: other, app: 'pos-api' });
    expect(where(findings)).toEqual([
      '11:40 spec.template.metadata.annotations["vault.hashicorp.com/auth-path"]',
      '10:35 spec.template.metadata.annotations["vault.hashicorp.com/role"]',
    ]);
    expect(findings[0]!.message).toBe('auth-path "auth/k8s-ohio-gw-02" is not the site\'s own Kubernetes auth mount "auth/k8s-lyon-pos-01"');
    expect(findings[1]!.message).toBe('role "telemetry" is not the role of app "pos-api" in the site\'s auth mount');

    const noRole = runRule(rule, { yaml: deployment(`        vault.hashicorp.com/agent-inject-secret-x: ${OWN}/pos-api/x`), app: 'pos-api' });
    expect(where(noRole)).toEqual(['9:9 spec.template.metadata.annotations']);
    expect(noRole[0]!.message).toContain('without vault.hashicorp.com/role');

    const injector = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: vault-agent-injector
spec:
  template:
    spec:
      containers:
        - name: injector
          image: hashicorp/vault-k8s:1.7.0
          env:
            - { name: AGENT_INJECT_VAULT_AUTH_PATH, value: "auth/k8s-fra-inference-01" }
`;
    const inj = runRule(rule, { yaml: injector });
    expect(where(inj)).toEqual(['12:60 spec.template.spec.containers[0].env[0].value']);
    expect(inj[0]!.message).toBe('the Vault injector\'s default auth path is "auth/k8s-fra-inference-01", not the site\'s own "auth/k8s-lyon-pos-01"');
    expect(runRule(rule, { yaml: injector.replace('fra-inference-01', 'lyon-pos-01') })).toEqual([]);
  });
});

describe('secrets-vault-site-scope: every form a template reads Vault in', () => {
  const OTHER = 'secret/data/edge/us-central/ohio-gw-02/pos-api/store-db';
  const messages = (yaml: string): string[] => runRule(rule, { yaml, app: 'pos-api' }).map((f) => f.message);

  it('judges the piped form `"path" | secret` like the call form', () => {
    const template = (path: string) => deployment(`        vault.hashicorp.com/role: pos-api
        vault.hashicorp.com/agent-inject-template-db: |
          {{- with "${path}" | secret -}}{{ .Data.data.k }}{{- end }}`);
    expect(messages(template(`${OWN}/pos-api/store-db`))).toEqual([]);
    expect(messages(template(OTHER))).toEqual([`the template reads secret "${OTHER}", outside the site's own prefix "${OWN}/": the site could read another site's secrets`]);
  });

  it('judges pkiCert reads against the site prefix', () => {
    const template = (path: string) => deployment(`        vault.hashicorp.com/role: pos-api
        vault.hashicorp.com/agent-inject-template-tls: |
          {{- with pkiCert "${path}" "common_name=pos.local" -}}{{ .Cert }}{{- end }}`);
    expect(messages(template('edge/eu-west/lyon-pos-01/pki/issue/pos'))).toEqual([]);
    expect(messages(template('pki/issue/shared'))).toEqual(['the template reads certificate "pki/issue/shared", outside the site\'s own prefix "edge/eu-west/lyon-pos-01/": the site could read another site\'s secrets']);
  });

  const configMap = (name: string, key: string, text: string) => `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  ${key}: |
    ${text}
`;

  it('reads template files from the ConfigMaps the pod mounts', () => {
    const withFile = (path: string) => `${deployment(`        vault.hashicorp.com/role: pos-api
        vault.hashicorp.com/agent-inject-template-file-db: /vault/templates/db.tpl`)}      volumes: [{ name: tpl, configMap: { name: vault-templates } }]
${configMap('vault-templates', 'db.tpl', `{{ with secret "${path}" }}{{ .Data.data.k }}{{ end }}`)}`;
    expect(messages(withFile(`${OWN}/pos-api/store-db`))).toEqual([]);
    expect(messages(withFile(OTHER))).toEqual([`template file "/vault/templates/db.tpl" (ConfigMap "vault-templates" key "db.tpl") reads secret "${OTHER}", outside the site's own prefix "${OWN}/": the site could read another site's secrets`]);
  });

  it('reads the agent configuration named by agent-configmap', () => {
    const withAgent = (path: string) => `${deployment(`        vault.hashicorp.com/role: pos-api
        vault.hashicorp.com/agent-configmap: vault-agent`)}${configMap('vault-agent', 'config.hcl', `template { contents = "{{ with secret \\"${path}\\" }}{{ .Data.data.k }}{{ end }}" }`)}`;
    expect(messages(withAgent(`${OWN}/pos-api/store-db`))).toEqual([]);
    expect(messages(withAgent(OTHER))).toEqual([`agent ConfigMap "vault-agent" key "config.hcl" reads secret "${OTHER}", outside the site's own prefix "${OWN}/": the site could read another site's secrets`]);
  });
});
