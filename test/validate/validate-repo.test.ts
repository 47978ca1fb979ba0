import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/validate/findings.js';
import { useTempRepos, type TempRepo } from '../helpers/temp-repo.js';

const tempRepo = useTempRepos();

async function validate(repo: TempRepo, extra: string[] = []): Promise<{ code: number; findings: Finding[]; stderr: string }> {
  const r = await repo.run(['validate', '--format', 'json', ...extra]);
  const parsed = r.stdout ? (JSON.parse(r.stdout) as { findings: Finding[] }) : { findings: [] };
  return { code: r.code, findings: parsed.findings, stderr: r.stderr };
}

/** The one finding of `ruleId` at `where` (file:line:col); fails with the full list otherwise. */
function findingAt(findings: Finding[], ruleId: string, where: string): Finding {
  const hit = findings.filter((f) => f.ruleId === ruleId && `${f.file}:${f.line}:${f.column}` === where);
  expect(hit, JSON.stringify(findings.map((f) => [f.ruleId, `${f.file}:${f.line}:${f.column}`, f.message]), null, 1)).toHaveLength(1);
  return hit[0]!;
}

describe('edgefleet validate on the repository', () => {
  it('passes the example fleet clean', async () => {
    const repo = tempRepo();
    const r = await repo.run(['validate']);
    expect(r.stderr).toBe('');
    // Nothing active; the waivers the example documents are listed apart.
    expect(r.stdout).toMatch(/\n0 error\(s\), 0 warning\(s\), 9 waived — 8 site\(s\), 27 Flux Kustomization\(s\), \d+ built object\(s\) checked\n$/);
    expect(r.code).toBe(0);
  });

  it('finds an unknown field in a site Kustomization (and the drift it is)', async () => {
    const repo = tempRepo();
    const file = 'clusters/lyon-pos-01/apps/pos-api.yaml';
    repo.edit(file, '  retryInterval: 30s\n', '  retryIntervall: 30s\n');
    const { code, findings } = await validate(repo);
    expect(code).toBe(1);
    const f = findingAt(findings, 'schema', repo.at(file, '  ^retryIntervall: 30s'));
    expect(f.message).toContain('unknown field "retryIntervall"');
    expect(f.jsonPath).toBe('spec.retryIntervall');
    expect(f.sites).toEqual(['lyon-pos-01']);
    expect(findingAt(findings, 'drift', `${file}:1:1`).message).toContain('npm run synth');
  });

  it('finds an unknown field in a container of an app base once, for every site using it', async () => {
    const repo = tempRepo();
    const file = 'apps/pos-api/base/deployment.yaml';
    repo.edit(file, '          envFrom:\n', '          imagePullPolicyy: IfNotPresent\n          envFrom:\n');
    const { code, findings } = await validate(repo);
    expect(code).toBe(1);
    const f = findingAt(findings, 'schema', repo.at(file, '          ^imagePullPolicyy: IfNotPresent'));
    expect(f.message).toMatch(/unknown field "imagePullPolicyy".*imagePullPolicy/);
    expect(f.sites).toEqual(['austin-pos-02', 'berlin-kiosk-03', 'lyon-pos-01']);
    expect(f.via).toEqual(['austin-pos-02/app-pos-api', 'berlin-kiosk-03/app-pos-api', 'lyon-pos-01/app-pos-api']);
    expect(f.object).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'pos-api', name: 'pos-api' });
  });

  it('finds an invalid quantity in a LimitRange', async () => {
    const repo = tempRepo();
    const file = 'clusters/ohio-gw-02/apps/mqtt-broker.yaml';
    repo.edit(file, '      min:\n        cpu: 5m\n', '      min:\n        cpu: 5 cores\n');
    const { findings } = await validate(repo);
    const f = findingAt(findings, 'schema', repo.at(file, '        cpu: ^5 cores'));
    expect(f.jsonPath).toBe('spec.limits[0].min.cpu');
    expect(f.message).toMatch(/quantity/);
  });

  it('finds ${UNSET} without a default in an app base (strict fleet)', async () => {
    const repo = tempRepo();
    const file = 'apps/mqtt-broker/base/configmap.yaml';
    repo.edit(file, '    max_queued_messages 10000\n', '    max_queued_messages ${MQTT_QUEUE_LIMIT}\n');
    const { code, findings } = await validate(repo);
    expect(code).toBe(1);
    const hits = findings.filter((f) => f.ruleId === 'substitution');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ severity: 'error', file, jsonPath: 'data["mosquitto.conf"]' });
    expect(hits[0]!.message).toContain('MQTT_QUEUE_LIMIT');
    expect(`${hits[0]!.file}:${hits[0]!.line}`).toBe(repo.at(file, '  ^mosquitto.conf: |').replace(/:\d+$/, ''));
    expect(hits[0]!.sites).toEqual(['det-inference-02', 'ohio-gw-02', 'oslo-gw-03', 'rotterdam-gw-01']);
  });

  it('accepts ${VAR:=default} in a strict fleet, and warns instead of failing when the fleet is not strict', async () => {
    const repo = tempRepo();
    repo.edit('apps/mqtt-broker/base/configmap.yaml', '    max_queued_messages 10000\n', '    max_queued_messages ${MQTT_QUEUE_LIMIT:=10000}\n');
    expect((await validate(repo)).findings.filter((f) => f.ruleId === 'substitution')).toEqual([]);
    repo.edit('apps/mqtt-broker/base/configmap.yaml', '${MQTT_QUEUE_LIMIT:=10000}', '${MQTT_QUEUE_LIMIT}');
    repo.edit('fleet.yaml', 'strictPostBuildSubstitutions: true', 'strictPostBuildSubstitutions: false');
    const { findings } = await validate(repo);
    const subs = findings.filter((f) => f.ruleId === 'substitution');
    expect(subs).toHaveLength(1);
    expect(subs[0]!.severity).toBe('warning');
  });

  it('finds dependsOn naming a Kustomization that does not exist', async () => {
    const repo = tempRepo();
    const file = 'clusters/rotterdam-gw-01/apps/telemetry.yaml';
    repo.edit(file, '    - name: infra-vault-agent-injector\n', '    - name: infra-vault-agent-injectr\n');
    const { findings } = await validate(repo);
    const f = findingAt(findings, 'reference', repo.at(file, '    - name: ^infra-vault-agent-injectr'));
    expect(f.message).toContain('flux-system/infra-vault-agent-injectr');
  });

  it('finds a dependsOn cycle', async () => {
    const repo = tempRepo();
    const file = 'clusters/lyon-pos-01/infrastructure.yaml';
    repo.edit(file, '  interval: 5m\n', '  dependsOn:\n    - name: app-pos-api\n  interval: 5m\n');
    const { findings } = await validate(repo);
    expect(findings.some((f) => f.ruleId === 'reference' && f.message.startsWith('dependsOn cycle:'))).toBe(true);
  });

  it('finds a path that does not exist', async () => {
    const repo = tempRepo();
    const file = 'clusters/austin-pos-02/apps/pos-api.yaml';
    repo.edit(file, '  path: ./apps/pos-api/base\n', '  path: ./apps/pos-api/overlay\n');
    const { findings } = await validate(repo);
    const f = findingAt(findings, 'reference', repo.at(file, '  path: ^./apps/pos-api/overlay'));
    expect(f.message).toContain('does not exist');
  });

  it('finds a resources entry naming a file that does not exist, with kustomize really run', async () => {
    const repo = tempRepo();
    const file = 'apps/telemetry/base/kustomization.yaml';
    repo.edit(file, '  - pvc.yaml\n', '  - pvcs.yaml\n');
    const { findings } = await validate(repo);
    const hits = findings.filter((f) => f.ruleId === 'build');
    expect(hits).toHaveLength(1);
    expect(`${hits[0]!.file}:${hits[0]!.line}:${hits[0]!.column}`).toBe(repo.at(file, '  - ^pvcs.yaml'));
    expect(hits[0]!.sites).toHaveLength(8);
  });

  it('surfaces an error only kustomize knows about, with its file', async () => {
    const repo = tempRepo();
    // A strategic-merge patch whose target kind does not exist in the base: kustomize refuses it.
    const file = 'apps/pos-api/base/kustomization.yaml';
    repo.edit(file, 'resources:\n', 'patches:\n  - target: { kind: StatefulSet, name: pos-api }\n    patch: |\n      - op: replace\n        path: /spec/replicas\n        value: 3\nresources:\n');
    repo.write('apps/pos-api/base/kustomization.yaml', repo.read(file).replace('kind: StatefulSet', 'kind: Deployment').replace('/spec/replicas', '/spec/nonexistent/deep'));
    const { findings } = await validate(repo);
    const hits = findings.filter((f) => f.ruleId === 'build');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.file).toBe(file);
    expect(hits[0]!.message.length).toBeGreaterThan(10);
  });

  it('reports a kind without a schema unless fleet.yaml allows it', async () => {
    const repo = tempRepo();
    repo.write('apps/pos-api/base/monitor.yaml', 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: pos-api\nspec:\n  endpoints: [{ port: http }]\n  selector: { matchLabels: { app.kubernetes.io/name: pos-api } }\n');
    repo.edit('apps/pos-api/base/kustomization.yaml', '  - service.yaml\n', '  - service.yaml\n  - monitor.yaml\n');
    const blocked = await validate(repo);
    const f = findingAt(blocked.findings, 'no-schema', 'apps/pos-api/base/monitor.yaml:1:1');
    expect(f.message).toContain('monitoring.coreos.com/v1 ServiceMonitor');
    repo.edit('fleet.yaml', '  telemetry:\n', '  validation:\n    allowedKinds:\n      - { apiVersion: monitoring.coreos.com/v1, kind: ServiceMonitor }\n  telemetry:\n');
    const allowed = await validate(repo);
    expect(allowed.findings).toEqual([]);
    expect(allowed.code).toBe(0);
  });

  it('says so when the fleet targets another Kubernetes version than the schemas describe', async () => {
    const repo = tempRepo();
    repo.edit('fleet.yaml', 'kubernetesVersion: "1.33"', 'kubernetesVersion: "1.31"');
    // synth output changes with the version (enforce-version labels); re-render so only the warning remains.
    expect((await repo.run(['synth'])).code).toBe(0);
    const { code, findings } = await validate(repo);
    expect(code).toBe(0);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'kubernetes-version', severity: 'warning', file: 'fleet.yaml' });
  });

  it('validates only the named sites, and rejects unknown ones and unknown formats as usage errors', async () => {
    const repo = tempRepo();
    repo.edit('clusters/lyon-pos-01/apps/pos-api.yaml', '  retryInterval: 30s\n', '  retryIntervall: 30s\n');
    expect((await validate(repo, ['--site', 'austin-pos-02'])).code).toBe(0);
    expect((await validate(repo, ['--site', 'lyon-pos-01'])).code).toBe(1);
    expect((await repo.run(['validate', '--site', 'nowhere'])).code).toBe(2);
    const bad = await repo.run(['validate', '--format', 'yaml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown format "yaml"');
  });

  it('fails with install instructions when kubectl is missing', async () => {
    const repo = tempRepo();
    const before = process.env.EDGEFLEET_KUBECTL;
    process.env.EDGEFLEET_KUBECTL = '/nonexistent/kubectl';
    try {
      const r = await repo.run(['validate']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('apt-get install kubectl');
    } finally {
      if (before === undefined) delete process.env.EDGEFLEET_KUBECTL;
      else process.env.EDGEFLEET_KUBECTL = before;
    }
  });
});

describe('edgefleet validate PATH…', () => {
  it('checks plain manifests, and raw bases only after their ${VAR}s would be filled', async () => {
    const repo = tempRepo();
    repo.write('extra/bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\ndata:\n  a: b\n');
    const r = await repo.run(['validate', '--root', '.', 'extra', 'apps/telemetry/base', '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
    expect(r.code).toBe(1);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: 'schema', file: 'extra/bad.yaml', line: 4, jsonPath: 'metadata.name' });
  });

  it('rejects a path that does not exist', async () => {
    const repo = tempRepo();
    const r = await repo.run(['validate', '--root', '.', 'nowhere']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nowhere:1:1: no such file or directory');
  });
});

describe('policy rules and waivers in a repository run', () => {
  const SITE = 'sites/lyon-pos-01.yaml';
  const KS = 'clusters/lyon-pos-01/apps/pos-api.yaml';
  const slowRetry = (repo: TempRepo) => repo.edit(KS, '  retryInterval: 30s\n', '  retryInterval: 5m\n');
  const waive = (repo: TempRepo, lines: string) => repo.edit(SITE, '  apps:\n', `${lines}  apps:\n`);

  it('reports a rule finding at the field, and a site waiver with reason and expiry covers it', async () => {
    const repo = tempRepo();
    slowRetry(repo);
    const before = await validate(repo, ['--now', '2026-11-26']);
    const f = findingAt(before.findings, 'sync-intervals', repo.at(KS, '  retryInterval: ^5m'));
    expect(f.waived).toBeUndefined();

    waive(repo, '  waivers:\n    - rule: sync-intervals\n      reason: "link maintenance until the new modem is fitted"\n      expires: "2027-01-31"\n');
    const r = await repo.run(['validate', '--format', 'json', '--now', '2026-11-26', '--site', 'lyon-pos-01']);
    const report = JSON.parse(r.stdout) as { findings: Finding[]; waived?: Finding[] };
    const all = [...report.findings, ...(report.waived ?? [])];
    expect(all.find((x) => x.ruleId === 'sync-intervals')?.waived).toMatchObject({ reason: 'link maintenance until the new modem is fitted', expires: '2027-01-31' });
    expect(all.some((x) => x.ruleId === 'waiver')).toBe(false);
  });

  it('reports an expired waiver as an error (dates against --now)', async () => {
    const repo = tempRepo();
    slowRetry(repo);
    waive(repo, '  waivers:\n    - rule: sync-intervals\n      reason: "temporary"\n      expires: "2026-12-01"\n');
    const ok = await validate(repo, ['--now', '2026-11-01', '--site', 'lyon-pos-01']);
    expect(ok.findings.some((x) => x.ruleId === 'waiver')).toBe(false);
    const late = await validate(repo, ['--now', '2026-12-02', '--site', 'lyon-pos-01']);
    const w = findingAt(late.findings, 'waiver', repo.at(SITE, '    ^- rule: sync-intervals').replace(/:\d+$/, ':7'));
    expect(w.severity).toBe('error');
    expect(w.message).toContain('expired on 2026-12-01');
    expect(late.findings.find((x) => x.ruleId === 'sync-intervals')?.waived).toBeUndefined();
  });

  it('rejects a malformed --now as a usage error', async () => {
    const repo = tempRepo();
    expect((await repo.run(['validate', '--now', 'tomorrow'])).code).toBe(2);
  });
});

describe('validate --shard', () => {
  it('splits the sites into disjoint, balanced shards that together cover the fleet', async () => {
    const repo = tempRepo();
    const counts: number[] = [];
    for (const i of [1, 2, 3]) {
      const r = await repo.run(['validate', '--format', 'json', '--shard', `${i}/3`]);
      expect(r.code).toBe(0);
      counts.push((JSON.parse(r.stdout) as { summary: { sites: number } }).summary.sites);
    }
    expect(counts).toEqual([3, 3, 2]);
    const empty = await repo.run(['validate', '--format', 'json', '--shard', '9/9']);
    expect(empty.code).toBe(0);
    expect((JSON.parse(empty.stdout) as { summary: { sites: number } }).summary.sites).toBe(0);
    expect((await repo.run(['validate', '--shard', '0/3'])).code).toBe(2);
    expect((await repo.run(['validate', '--shard', '1/2', 'apps/'])).code).toBe(2);
  });
});
