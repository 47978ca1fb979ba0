import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/temp-repo.js';
import { exampleRepo, runPlan, type GitFixture } from './git-fixture.js';
import type { ChangePlan, ObjectChange } from '../../src/plan/types.js';

const OLD_SECRET = 'PLANTED-OLD-SECRET-VALUE-4242';
const NEW_SECRET = 'PLANTED-NEW-SECRET-VALUE-7777';
const B64_SECRET = 'PLANTED-B64-SECRET-9999';
const POS_SITES = ['austin-pos-02', 'berlin-kiosk-03', 'lyon-pos-01'];
const GPU_SITES = ['det-inference-02', 'fra-inference-01'];

function secretYaml(value: string): string {
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: pos-api-planted',
    'stringData:',
    `  api-token: ${value}`,
    'data:',
    `  legacy: ${Buffer.from(B64_SECRET).toString('base64')}`,
    '',
  ].join('\n');
}

/** Bytes of the `-`/`+` lines of a unified diff (without the marker, newline included). */
function diffBytes(diff: string): number {
  return diff
    .split('\n')
    .filter((l) => /^[-+]/.test(l))
    .reduce((n, l) => n + Buffer.byteLength(l.slice(1)) + 1, 0);
}

function find(plan: ChangePlan, site: string, kind: string, name: string): ObjectChange {
  const s = plan.sites.find((x) => x.site === site);
  const o = s?.objects.find((x) => x.id.kind === kind && x.id.name === name);
  if (!o) throw new Error(`${site}: no change to ${kind} ${name} in ${JSON.stringify(s?.objects.map((x) => `${x.id.kind}/${x.id.name}`))}`);
  return o;
}

describe('plan --base against a real git repository', () => {
  let repo: GitFixture;
  let c1: string;
  let c2: string;

  beforeAll(async () => {
    repo = exampleRepo();
    repo.write('.gitignore', 'node_modules/\n');
    // Commit 1: the example fleet, with a Secret planted in pos-api's base.
    repo.write('apps/pos-api/base/secret.yaml', secretYaml(OLD_SECRET));
    repo.edit('apps/pos-api/base/kustomization.yaml', '  - service.yaml\n', '  - service.yaml\n  - secret.yaml\n');
    c1 = repo.commit('base');
    // Commit 2: the secret's value, lyon's replicas, pos-api's Vault template (a third key); synthesized.
    repo.write('apps/pos-api/base/secret.yaml', secretYaml(NEW_SECRET));
    repo.edit('sites/lyon-pos-01.yaml', '    - name: pos-api\n', '    - name: pos-api\n      replicas: { pos-api: 1 }\n');
    repo.edit('apps/pos-api/app.yaml', 'keys: [DB_USER, DB_PASSWORD]', 'keys: [DB_USER, DB_PASSWORD, DB_HOST]');
    const synth = await runCli(['synth'], repo.dir);
    expect(synth.code, synth.stderr).toBe(0);
    c2 = repo.commit('change');
    // Uncommitted: a staged site edit (clusters/ not re-synthesized) and an unstaged add-on edit.
    repo.edit('sites/oslo-gw-03.yaml', 'profile: intermittent', 'profile: scheduled');
    repo.git('add', 'sites/oslo-gw-03.yaml');
    repo.edit('infrastructure/nvidia-device-plugin/daemonset.yaml', 'k8s-device-plugin:v0.17.2', 'k8s-device-plugin:v0.17.3');
    // Untracked: a hand-written manifest in one site's directory.
    repo.write('clusters/rotterdam-gw-01/extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: default\ndata:\n  note: hello\n');
  }, 120_000);

  afterAll(() => repo.cleanup());

  it('lists exactly the affected sites, with their diffs and byte counts, and touches nothing', async () => {
    const before = repo.state();
    const r = await runPlan(repo.dir, { base: c1, format: 'json' });
    expect(r.code, r.stderr).toBe(0);
    expect(repo.state()).toEqual(before);

    const plan = JSON.parse(r.stdout) as ChangePlan;
    expect(plan.base.commit).toBe(c1);
    expect(plan.head).toEqual({ ref: null, commit: null });
    expect(plan.sites.map((s) => s.site)).toEqual([...POS_SITES, ...GPU_SITES, 'oslo-gw-03', 'rotterdam-gw-01'].sort());
    expect(plan.fleet).toEqual({ sites: 8, affected: 7 });

    // lyon: replicas 2 → 1 in its Deployment, through the app Kustomization's variable.
    const deploy = find(plan, 'lyon-pos-01', 'Deployment', 'pos-api');
    expect(deploy.change).toBe('changed');
    expect(deploy.kustomization).toBe('app-pos-api');
    expect(deploy.diff).toMatch(/^-  replicas: 2$/m);
    expect(deploy.diff).toMatch(/^\+  replicas: 1$/m);
    const quota = find(plan, 'lyon-pos-01', 'ResourceQuota', 'edgefleet-capacity');
    expect(quota.diff).toMatch(/^-    pods: "3"$/m);
    expect(quota.diff).toMatch(/^\+    pods: "2"$/m);
    expect(quota.bytes.changed).toBe(diffBytes(quota.diff));
    expect(quota.lines).toEqual({ added: 7, removed: 7 });
    // austin's Deployment changes only through the Vault template: no replicas line.
    expect(find(plan, 'austin-pos-02', 'Deployment', 'pos-api').diff).not.toMatch(/replicas/);

    // The uncommitted, unstaged add-on edit is in the head side: one image line on each GPU site.
    for (const site of GPU_SITES) {
      const ds = find(plan, site, 'DaemonSet', 'nvidia-device-plugin');
      expect(ds.kustomization).toBe('infra-nvidia-device-plugin');
      expect(ds.diff).toMatch(/^-\s+image: nvcr\.io\/nvidia\/k8s-device-plugin:v0\.17\.2$/m);
      expect(ds.diff).toMatch(/^\+\s+image: nvcr\.io\/nvidia\/k8s-device-plugin:v0\.17\.3$/m);
      expect(ds.lines).toEqual({ added: 1, removed: 1 });
      expect(ds.bytes.changed).toBe(diffBytes(ds.diff));
      expect(ds.bytes.changed).toBe(2 * Buffer.byteLength(ds.diff.split('\n').find((l) => l.startsWith('-'))?.slice(1) ?? '') + 2);
    }
    // The staged site edit, before any synth: oslo's Kustomizations take the scheduled profile's timing.
    const oslo = plan.sites.find((s) => s.site === 'oslo-gw-03');
    expect(oslo?.objects.every((o) => o.id.kind === 'Kustomization' || o.id.kind === 'Namespace' || o.kustomization !== undefined)).toBe(true);
    expect(find(plan, 'oslo-gw-03', 'Kustomization', 'app-telemetry').diff).toMatch(/^\+  interval: 6h$/m);
    expect(plan.synthesized.every((f) => f.startsWith('oslo-gw-03/'))).toBe(true);
    expect(plan.synthesized.length).toBeGreaterThan(0);
    // The untracked file: one object added, all of it counted.
    const extra = find(plan, 'rotterdam-gw-01', 'ConfigMap', 'extra');
    expect(extra.change).toBe('added');
    expect(extra.file).toBe('clusters/rotterdam-gw-01/extra.yaml');
    expect(extra.diff).toBe('@@ -0,0 +1,7 @@\n+apiVersion: v1\n+data:\n+  note: hello\n+kind: ConfigMap\n+metadata:\n+  name: extra\n+  namespace: default\n');
    const yaml = 'apiVersion: v1\ndata:\n  note: hello\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: default\n';
    expect(extra.bytes).toEqual({ base: 0, head: Buffer.byteLength(yaml), changed: Buffer.byteLength(yaml) });
    expect(plan.sites.find((s) => s.site === 'rotterdam-gw-01')?.counts).toEqual({ added: 1, changed: 0, removed: 0, unchanged: expect.any(Number) });

    for (const s of plan.sites) {
      expect(s.bytesChanged).toBe(s.objects.reduce((n, o) => n + o.bytes.changed, 0));
      expect(s.counts.changed + s.counts.added + s.counts.removed).toBe(s.objects.length);
      expect(s.errors).toEqual({ base: [], head: [] });
    }
    expect(plan.totals.bytesChanged).toBe(plan.sites.reduce((n, s) => n + s.bytesChanged, 0));
    expect(plan.groups.jurisdiction).toEqual({ eu: ['berlin-kiosk-03', 'fra-inference-01', 'lyon-pos-01', 'oslo-gw-03', 'rotterdam-gw-01'], us: ['austin-pos-02', 'det-inference-02'] });
    expect(plan.groups.runtime).toEqual({ k0s: ['oslo-gw-03', 'rotterdam-gw-01'], k3s: ['austin-pos-02', 'berlin-kiosk-03', 'det-inference-02', 'fra-inference-01', 'lyon-pos-01'] });
    expect(plan.groups.networkProfile).toEqual({ 'always-on': ['austin-pos-02', 'det-inference-02', 'fra-inference-01', 'lyon-pos-01'], intermittent: ['rotterdam-gw-01'], scheduled: ['berlin-kiosk-03', 'oslo-gw-03'] });
    expect(Object.keys(plan.groups.region).sort()).toEqual(['eu-central', 'eu-north', 'eu-west', 'us-central', 'us-south']);

    // Measured with a real shallow clone: every site pays it, affected or not.
    expect('error' in plan.download).toBe(false);
    if (!('error' in plan.download)) {
      expect(plan.download.sites).toBe(8);
      expect(plan.download.bytesPerSite).toBeGreaterThan(10_000);
      expect(plan.download.totalBytes).toBe(8 * plan.download.bytesPerSite);
      expect(plan.download.branch).toBe('main');
    }
  });

  it('redacts Secret values and Vault templates in every format, and says what changed', async () => {
    const outputs: Record<string, string> = {};
    for (const format of ['text', 'json', 'markdown']) {
      const r = await runPlan(repo.dir, { base: c1, format });
      outputs[format] = r.stdout;
      expect(r.code, r.stderr).toBe(0);
      for (const leak of [OLD_SECRET, NEW_SECRET, B64_SECRET, Buffer.from(B64_SECRET).toString('base64'), '.Data.data', 'DB_PASSWORD={{', 'with secret']) {
        expect(r.stdout, `${format} leaks ${leak}`).not.toContain(leak);
      }
      expect(r.stdout).toContain('<redacted>');
      expect(r.stdout).toContain('<redacted: 1 line changed>'); // the Secret's value, and the template's new key
    }
    const plan = JSON.parse(outputs.json ?? '') as ChangePlan;
    const secret = find(plan, 'lyon-pos-01', 'Secret', 'pos-api-planted');
    expect(secret.diff).toMatch(/^-  api-token: <redacted>$/m);
    expect(secret.diff).toMatch(/^\+  api-token: "<redacted: 1 line changed>"$/m);
    expect(secret.diff).not.toMatch(/legacy/); // unchanged value: context only, if at all, never changed
    expect(secret.bytes.changed).toBeGreaterThan(0);
    // The template sits in the Deployment's pod annotations and in the Kustomization's patch text.
    const deploy = find(plan, 'austin-pos-02', 'Deployment', 'pos-api');
    expect(deploy.diff).toMatch(/^\+\s+vault\.hashicorp\.com\/agent-inject-template-store-db\.env: "?<redacted: 1 line changed>"?$/m);
    const ks = find(plan, 'austin-pos-02', 'Kustomization', 'app-pos-api');
    expect(ks.diff).toMatch(/^\+\s+vault\.hashicorp\.com\/agent-inject-template-store-db\.env: "?<redacted: 1 line changed>"?$/m);
  });

  it('compares two commits with --head, leaving out the working tree', async () => {
    const r = await runPlan(repo.dir, { base: c1, head: c2, format: 'json' });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as ChangePlan;
    expect(plan.head).toEqual({ ref: c2, commit: c2 });
    expect(plan.sites.map((s) => s.site)).toEqual(POS_SITES);
    expect(plan.synthesized).toEqual([]);
  });

  it('with --changed-since compares only the selected sites, with the same result', async () => {
    const all = JSON.parse((await runPlan(repo.dir, { base: c2, format: 'json' })).stdout) as ChangePlan;
    const some = JSON.parse((await runPlan(repo.dir, { base: c2, format: 'json', changedSince: c2 })).stdout) as ChangePlan;
    expect(some.selection?.sites).toEqual([...GPU_SITES, 'oslo-gw-03', 'rotterdam-gw-01']);
    expect(some.sites).toEqual(all.sites);
  });

  it('says so when nothing changes, and rejects bad input as usage errors (exit 2)', async () => {
    const same = await runPlan(repo.dir, { base: c2, head: c2 });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('no site changes what it applies');
    await expect(runPlan(repo.dir, { base: 'no-such-ref' })).rejects.toThrow(/unknown revision "no-such-ref"/);
    await expect(runPlan(repo.dir, { base: c1, format: 'yaml' })).rejects.toThrow(/unknown plan format "yaml"/);
    await expect(runPlan(repo.dir, {})).rejects.toThrow(/--base/);
  });
});

describe('plan when the change breaks a build', () => {
  let repo: GitFixture;
  afterAll(() => repo?.cleanup());

  it('shows the head build errors of the sites it breaks and exits 1', async () => {
    repo = exampleRepo();
    const base = repo.commit('base');
    repo.edit('apps/mqtt-broker/base/kustomization.yaml', 'resources:\n', 'patches:\n  - path: missing-patch.yaml\nresources:\n');
    const r = await runPlan(repo.dir, { base, format: 'json' });
    expect(r.code, r.stderr).toBe(1);
    const plan = JSON.parse(r.stdout) as ChangePlan;
    expect(plan.sites.map((s) => s.site)).toEqual(['det-inference-02', 'ohio-gw-02', 'oslo-gw-03', 'rotterdam-gw-01']);
    for (const s of plan.sites) {
      expect(s.errors.base).toEqual([]);
      expect(s.errors.head).toEqual([expect.stringMatching(/^app-mqtt-broker: apps\/mqtt-broker\/base\/kustomization\.yaml:\d+:\d+: .*missing-patch\.yaml/)]);
      // What the broken Kustomization built before is gone from the head side.
      expect(s.objects.some((o) => o.change === 'removed' && o.id.kind === 'Deployment' && o.id.name === 'mqtt-broker')).toBe(true);
    }
    const text = await runPlan(repo.dir, { base });
    expect(text.stdout).toMatch(/^  head build errors:\n    app-mqtt-broker: apps\/mqtt-broker\/base\/kustomization\.yaml/m);
  });
});
