import { describe, expect, it } from 'vitest';
import rule from '../../../../src/validate/policy/rules/secrets-credential-literals.js';
import { runRule, where } from '../rule-tester.js';

const RANDOM_BASE64 = 'fw3qLmHETJcA503M43jJ/6RgeFF3q/p6RSN2ps+l'; // 30 random bytes, base64: 40 characters

const deployment = (env: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: pos-api
spec:
  template:
    spec:
      containers:
        - name: pos-api
          image: registry.example.com/retail/pos-api:3.4.1
          env:
${env}
${extra}`;

describe('secrets-credential-literals', () => {
  it('is silent on references, file paths, qualifiers, booleans, numbers, sentences and the example ConfigMaps', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: pos-api
data:
  SECRETS_ENV_FILE: /vault/secrets/store-db.env
  PAYMENT_API_KEY_FILE: /vault/secrets/payment-api-key
  TOKEN_FILE: /vault/secrets/x
  DB_PASSWORD: \${DB_PASSWORD}
  PASSWORD_MIN_LENGTH: "12"
  TOKEN_TTL: 30m
  TOKENIZER_MODEL: bert-base-multilingual
  OAUTH_TOKEN_URL: https://auth.example.com/oauth/token
  REQUIRE_PASSWORD: "true"
  STORE_UUID: 3f2c1a9e-7b4d-4e21-9c3a-5d8e6f7a1b2c
  BUILD_COMMIT: 9fceb02d0ae598e95dc970b74767f19372d61af8
  MOTD: Welcome to the Lyon store, tills open at eight and close at twenty
  CACHE_DIR: /var/cache/pos-api/OrdinaryLongDirectoryName2024/offline-orders
  mosquitto.conf: |
    listener 1883 0.0.0.0
    allow_anonymous false
    password_file /vault/secrets/mosquitto-passwd
  vector.yaml: |
    sinks:
      upstream:
        auth:
          strategy: bearer
          token: SECRET[ingest.token]
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIIBszCCAVmgAwIBAgIUfw3qLmHETJcA503M43jJ6RgeFF3qp6RSN2psl
    -----END CERTIFICATE-----
`;
    expect(runRule(rule, { yaml })).toEqual([]);
    const env = `            - { name: AWS_SHARED_CREDENTIALS_FILE, value: /vault/secrets/aws-credentials }
            - name: DB_PASSWORD
              valueFrom: { secretKeyRef: { name: db, key: password } }
            - { name: API_TOKEN, value: "$(TOKEN_FROM_INIT)" }`;
    expect(runRule(rule, { yaml: deployment(env) })).toEqual([]);
  });

  it('fires on a credential-named key holding a literal, in env, ConfigMaps and args', () => {
    const env = `            - { name: LOG_LEVEL, value: info }
            - { name: DB_PASSWORD, value: hunter2 }`;
    const args = `          args: [--listen=:8080, --api-token=abcd1234, --client-secret, s3cr3t-value]`;
    const findings = runRule(rule, { yaml: deployment(env, args) });
    expect(where(findings)).toEqual([
      '13:43 spec.template.spec.containers[0].env[1].value',
      '14:34 spec.template.spec.containers[0].args[1]',
      '14:73 spec.template.spec.containers[0].args[3]',
    ]);
    expect(findings[0]!.message).toBe('env DB_PASSWORD of container "pos-api": "DB_PASSWORD" is named like a credential (password) and holds a literal (hunt…)');
    expect(findings[1]!.message).toContain('"api-token" is named like a credential (token)');
    expect(findings[1]!.message).toBe('args[1] of container "pos-api": "api-token" is named like a credential (token) and holds a literal (abcd…)');
    expect(findings[2]!.message).toBe('args[3] of container "pos-api": "client-secret" is named like a credential (secret) and holds a literal (s3cr…)');

    const cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  apiKey: k-live-12345
`;
    const f = runRule(rule, { yaml: cm });
    expect(where(f)).toEqual(['6:11 data.apiKey']);
    expect(f[0]!.message).toContain('"apiKey" is named like a credential (api_key)');
  });

  it('reads a multi-line ConfigMap value as a config file, line by line, and names the line', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  application.properties: |
    # the store database
    spring.datasource.url=jdbc:postgresql://db:5432/pos
    spring.datasource.password=hunter2
    spring.datasource.password-file=/vault/secrets/db
`;
    const findings = runRule(rule, { yaml });
    expect(where(findings)).toEqual(['6:27 data["application.properties"]']);
    expect(findings[0]!.message).toBe('ConfigMap key "application.properties", line 3: "spring.datasource.password" is named like a credential (password) and holds a literal (hunt…)');
  });

  it('fires on a random 40-character base64 string under any name, and not on a sentence or a path of the same length', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  UPSTREAM_OPTS: ${RANDOM_BASE64}
  GREETING: TheOrdinaryGreetingOfTheStoreIsHello2You
  ARCHIVE: /var/lib/pos-api/Archive2024/OrdinaryPath
`;
    const findings = runRule(rule, { yaml });
    expect(where(findings)).toEqual(['6:18 data.UPSTREAM_OPTS']);
    expect(findings[0]!.message).toMatch(/^ConfigMap key "UPSTREAM_OPTS": "UPSTREAM_OPTS" holds a random-looking literal \(fw3q…, 4\.\d bits\/char\)$/);
    // The thresholds are options: a stricter fleet can raise them.
    expect(runRule(rule, { yaml, options: { entropyThreshold: 5 } })).toEqual([]);
    expect(runRule(rule, { yaml, options: { entropyMinLength: 41 } })).toEqual([]);
  });

  it('judges k=v pairs inside a value (connection strings, query strings) by name too', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  JDBC_OPTS: "user=pos;password=hunter2;ssl=true"
  SYNC_URL: https://hq.example.com/sync?store=lyon&token=abc123def
  STARTUP: export TOKEN=$(cat /vault/secrets/token); exec app --password-file=/vault/secrets/db
`;
    const findings = runRule(rule, { yaml });
    expect(where(findings)).toEqual(['6:14 data.JDBC_OPTS', '7:13 data.SYNC_URL']);
    expect(findings[0]!.message).toBe('ConfigMap key "JDBC_OPTS": "JDBC_OPTS" holds "password" set to a literal (hunt…)');
    expect(findings[1]!.message).toBe('ConfigMap key "SYNC_URL": "SYNC_URL" holds "token" set to a literal (abc1…)');
  });

  it('fires on a URL with a password in it and on a PEM private key', () => {
    const env = `            - { name: DATABASE_URL, value: "postgres://pos:s3cret@db.example.com:5432/pos" }
            - { name: CACHE_URL, value: "redis://cache.pos-api.svc:6379/0" }
            - name: TLS_KEY
              value: |
                -----BEGIN EC PRIVATE KEY-----
                MHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49
                -----END EC PRIVATE KEY-----`;
    const findings = runRule(rule, { yaml: deployment(env) });
    expect(where(findings)).toEqual(['12:44 spec.template.spec.containers[0].env[0].value', '15:22 spec.template.spec.containers[0].env[2].value']);
    expect(findings[0]!.message).toBe('env DATABASE_URL of container "pos-api": URL with a password in it (postgres://pos:****@db.example.com:5432/pos)');
    expect(findings[1]!.message).toBe('env TLS_KEY of container "pos-api" holds a PEM private key');
  });

  describe('forms found by the issue 15 probe: each fires, and its look-alike does not', () => {
    const cm = (data: string, extra = ''): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
${extra}data:
${data}
`;
    const paths = (yaml: string): string[] => where(runRule(rule, { yaml })).map((w) => w.replace(/^\d+:\d+ /, ''));

    it('short credential words: DB_PASS, ADMIN_PW', () => {
      expect(paths(cm('  DB_PASS: hunter2\n  ADMIN_PW: hunter2'))).toEqual(['data.DB_PASS', 'data.ADMIN_PW']);
      expect(runRule(rule, { yaml: cm('  DB_PASS: ${DB_PASS}\n  ADMIN_PW: ""\n  PASS_THROUGH: "true"') })).toEqual([]);
    });

    it('a credential word at the end of a longer word: ADMINPASSWD, MYTOKEN', () => {
      const f = runRule(rule, { yaml: cm('  ADMINPASSWD: hunter2\n  MYTOKEN: abc123') });
      expect(where(f)).toEqual(['6:16 data.ADMINPASSWD', '7:12 data.MYTOKEN']);
      expect(f[0]!.message).toContain('named like a credential (passwd)');
      expect(runRule(rule, { yaml: cm('  MYTOKEN_FILE: /vault/secrets/token\n  TOKENIZER: bert') })).toEqual([]);
    });

    it('a numeric password or PIN, and a literal that starts with $', () => {
      expect(paths(cm('  DB_PASSWORD: "123456"\n  API_TOKEN: $ecret99'))).toEqual(['data.DB_PASSWORD', 'data.API_TOKEN']);
      expect(runRule(rule, { yaml: cm('  PASSWORD_MIN_LENGTH: "12"\n  DB_PASSWORD: $DB_PASSWORD\n  PIN_RETRIES: "3"') })).toEqual([]);
    });

    it('annotations of any object and of a pod template', () => {
      const annotated = cm('  a: b', '  annotations:\n    example.com/db-password: hunter2\n    example.com/sync: "https://pos:s3cret@hq.example.com/"\n');
      const f = runRule(rule, { yaml: annotated.replace('  name: app\n', '  name: app\n') });
      expect(where(f)).toEqual(['6:30 metadata.annotations["example.com/db-password"]', '7:23 metadata.annotations["example.com/sync"]']);
      expect(f[0]!.message).toBe('annotation "example.com/db-password": "db-password" is named like a credential (password) and holds a literal (hunt…)');
      const pod = deployment('            - { name: A, value: b }').replace('  template:\n    spec:', '  template:\n    metadata:\n      annotations:\n        example.com/api-token: abc123def\n    spec:');
      expect(paths(pod)).toEqual(['spec.template.metadata.annotations["example.com/api-token"]']);
      const quiet = cm('  a: b', '  annotations:\n    example.com/password-file: /vault/secrets/db\n    vault.hashicorp.com/agent-inject-secret-db: secret/data/lyon-pos-01/db\n    edgefleet.io/waive.secrets-vault-offline-start: Mosquitto reads its password file at start\n    example.com/sync: https://hq.example.com/\n');
      expect(runRule(rule, { yaml: quiet })).toEqual([]);
    });

    it('ConfigMap binaryData that decodes to text', () => {
      const b64 = (t: string): string => Buffer.from(t).toString('base64');
      const f = runRule(rule, { yaml: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\nbinaryData:\n  app.env: ${b64('LOG=info\nDB_PASSWORD=hunter2\n')}\n` });
      expect(where(f)).toEqual(['6:12 binaryData["app.env"]']);
      expect(f[0]!.message).toBe('ConfigMap binaryData key "app.env" (decoded), line 2: "DB_PASSWORD" is named like a credential (password) and holds a literal (hunt…)');
      const quiet = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\nbinaryData:\n  app.env: ${b64('DB_PASSWORD=${DB_PASSWORD}\n')}\n  logo.png: ${Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]).toString('base64')}\n`;
      expect(runRule(rule, { yaml: quiet })).toEqual([]);
    });

    it('HelmRelease spec.values, nested keys', () => {
      const hr = (values: string): string => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: db
spec:
  values:
${values}
`;
      const f = runRule(rule, { yaml: hr('    auth:\n      password: hunter2\n      users: [{ name: pos, token: abc123def }]') });
      expect(where(f)).toEqual(['8:17 spec.values.auth.password', '9:35 spec.values.auth.users[0].token']);
      expect(f[0]!.message).toBe('HelmRelease value auth.password: "password" is named like a credential (password) and holds a literal (hunt…)');
      const quiet = hr('    auth:\n      existingSecret: db-auth\n      password: ""\n      token: "{{ with secret \\"secret/data/x\\" }}{{ .Data.data.token }}{{ end }}"\n      secretKeyRef: { name: db, key: password }');
      expect(runRule(rule, { yaml: quiet })).toEqual([]);
    });
  });
});
