import { describe, expect, it } from 'vitest';
import { errorLines, expectRejected, useTempRepos } from '../helpers/temp-repo.js';

// Every case edits a fresh copy of the example inventory, runs `synth` in-process and checks the
// contract: exit 2, `file:line:column: field.path: message` on stderr, clusters/ unchanged.

const LYON = 'sites/lyon-pos-01.yaml';
const DNS_LABEL = 'expected a DNS-1123 label';

describe('synth rejects bad input with located errors and writes nothing', () => {
  const tempRepo = useTempRepos();

  describe('YAML', () => {
    it('syntax error: reports the position of the offending token', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'region: eu-west', 'region: eu-west: x');
      await expectRejected(repo, [{ at: repo.at(LYON, 'region: ^eu-west: x'), says: ['invalid YAML', 'Nested mappings'] }], { count: 1 });
    });

    // The requirement asks for the field path on every error; syntax errors carry none (path '').
    it('syntax error: names the field path (spec.region)', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'region: eu-west', 'region: eu-west: x');
      await expectRejected(repo, [{ at: repo.at(LYON, 'region: ^eu-west: x'), path: 'spec.region', says: ['invalid YAML'] }], { count: 1 });
    });

    it('duplicate key: points at the second occurrence', async () => {
      const repo = tempRepo();
      repo.edit(LYON, '    arch: amd64\n', '    arch: amd64\n    arch: arm64\n');
      await expectRejected(repo, [{ at: repo.at(LYON, '    ^arch: arm64'), says: ['invalid YAML', 'Map keys must be unique'] }], { count: 1 });
    });

    // The duplicated key is known, so its path is too; the YAML error is reported without one.
    it('duplicate key: names the field path (spec.hardware.arch)', async () => {
      const repo = tempRepo();
      repo.edit(LYON, '    arch: amd64\n', '    arch: amd64\n    arch: arm64\n');
      await expectRejected(repo, [{ at: repo.at(LYON, '    ^arch: arm64'), path: 'spec.hardware.arch', says: ['unique'] }], { count: 1 });
    });

    it('syntax error in an app base manifest names that manifest', async () => {
      const repo = tempRepo();
      const file = 'apps/pos-api/base/service.yaml';
      repo.edit(file, 'kind: Service', 'kind: Service: x');
      await expectRejected(repo, [{ at: repo.at(file, 'kind: ^Service: x'), says: ['invalid YAML'] }]);
    });
  });

  describe('schema', () => {
    it('enum violation: spec.runtime', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'runtime: k3s', 'runtime: k8s');
      await expectRejected(repo, [{ at: repo.at(LYON, 'runtime: ^k8s'), path: 'spec.runtime', says: ['expected one of "k3s", "k0s"', 'got "k8s"'] }], { count: 1 });
    });

    it('type violation: spec.description', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'description: "Lyon store: small x86 box behind the counter."', 'description: [Lyon]');
      await expectRejected(repo, [{ at: repo.at(LYON, 'description: ^[Lyon]'), path: 'spec.description', says: ['expected string', 'got ["Lyon"]'] }], { count: 1 });
    });

    it('missing required field points at the enclosing mapping', async () => {
      const repo = tempRepo();
      repo.edit(LYON, '  region: eu-west\n', '');
      await expectRejected(repo, [{ at: repo.at(LYON, '  ^description: "Lyon'), path: 'spec.region', says: ['missing required field "region"'] }], { count: 1 });
    });

    it('out-of-range integer: spec.hardware.nodes', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'nodes: 1', 'nodes: 0');
      await expectRejected(repo, [{ at: repo.at(LYON, 'nodes: ^0'), path: 'spec.hardware.nodes', says: ['>= 1', 'got 0'] }], { count: 1 });
    });
  });

  describe('unknown fields', () => {
    it('a typo in a site (hardwre) suggests the right name', async () => {
      const repo = tempRepo();
      repo.edit(LYON, '  hardware:', '  hardwre:');
      await expectRejected(repo, [{ at: repo.at(LYON, '  ^hardwre:'), path: 'spec.hardwre', says: ['unknown field "hardwre"', 'did you mean "hardware"?'] }]);
    });

    it('a typo in an app workload (replica) names the indexed path', async () => {
      const repo = tempRepo();
      const file = 'apps/pos-api/app.yaml';
      repo.edit(file, '      replicas: 2', '      replica: 2');
      await expectRejected(repo, [{ at: repo.at(file, '      ^replica: 2'), path: 'spec.workloads[0].replica', says: ['unknown field "replica"', 'did you mean "replicas"?'] }]);
    });

    it('a typo in fleet.yaml (sourceIntervall) names the nested path', async () => {
      const repo = tempRepo();
      repo.edit('fleet.yaml', '      sourceInterval: 15m', '      sourceIntervall: 15m');
      await expectRejected(repo, [{ at: repo.at('fleet.yaml', '      ^sourceIntervall: 15m'), path: 'spec.networkProfiles.intermittent.sourceIntervall', says: ['unknown field "sourceIntervall"', 'did you mean "sourceInterval"?'] }]);
    });
  });

  describe('duplicate site name', () => {
    it('two files declaring the same site (lyon-pos-01.yaml and lyon-pos-01.yml)', async () => {
      const repo = tempRepo();
      repo.write('sites/lyon-pos-01.yml', repo.read(LYON));
      await expectRejected(
        repo,
        [{ at: repo.at('sites/lyon-pos-01.yml', '  name: ^lyon-pos-01'), path: 'metadata.name', says: ['duplicate site name "lyon-pos-01"', `also defined in ${LYON}`] }],
        { count: 1 },
      );
    });

    it('a copy under another file name reports the duplicate and the file-name mismatch', async () => {
      const repo = tempRepo();
      const copy = 'sites/lyon-pos-01-copy.yaml';
      repo.write(copy, repo.read(LYON));
      await expectRejected(
        repo,
        [
          { at: repo.at(copy, '  name: ^lyon-pos-01'), path: 'metadata.name', says: ['must equal its file name'] },
          { at: repo.at(LYON, '  name: ^lyon-pos-01'), path: 'metadata.name', says: ['duplicate site name "lyon-pos-01"', `also defined in ${copy}`] },
        ],
        { count: 2 },
      );
    });
  });

  describe('invalid quantities', () => {
    it('2GB as site memory', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'memory: 8Gi', 'memory: 2GB');
      await expectRejected(repo, [{ at: repo.at(LYON, 'memory: ^2GB'), path: 'spec.hardware.memory', says: ['expected a Kubernetes quantity', 'got "2GB"'] }], { count: 1 });
    });

    it('96MB in a site resource override', async () => {
      const repo = tempRepo();
      const file = 'sites/berlin-kiosk-03.yaml';
      repo.edit(file, 'memory: 96Mi', 'memory: 96MB');
      await expectRejected(repo, [{ at: repo.at(file, 'memory: ^96MB'), path: 'spec.apps[0].resources.pos-api.requests.memory', says: ['expected a Kubernetes quantity', 'got "96MB"'] }], { count: 1 });
    });

    it('a negative CPU in an app', async () => {
      const repo = tempRepo();
      const file = 'apps/mqtt-broker/app.yaml';
      repo.edit(file, 'requests: { cpu: 50m', 'requests: { cpu: -50m');
      await expectRejected(repo, [{ at: repo.at(file, 'requests: { cpu: ^-50m'), path: 'spec.workloads[0].containers.mosquitto.requests.cpu', says: ['expected a Kubernetes quantity', 'got "-50m"'] }]);
    });
  });

  describe('unknown references', () => {
    it('unknown app and unknown network profile, both in one run', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'profile: always-on', 'profile: sometimes-on');
      repo.edit(LYON, '- name: telemetry', '- name: telemetri');
      await expectRejected(
        repo,
        [
          { at: repo.at(LYON, 'profile: ^sometimes-on'), path: 'spec.network.profile', says: ['unknown network profile "sometimes-on"', 'always-on, intermittent, scheduled'] },
          { at: repo.at(LYON, '- name: ^telemetri'), path: 'spec.apps[1].name', says: ['unknown app "telemetri"'] },
        ],
        { count: 2 },
      );
    });

    // An app whose app.yaml fails validation is dropped, and each site using it then gets
    // 'unknown app "pos-api" (apps/ has: ...)', although apps/pos-api/ exists.
    it('an invalid app.yaml is reported once, not as an "unknown app" on every site using it', async () => {
      const repo = tempRepo();
      const file = 'apps/pos-api/app.yaml';
      repo.edit(file, '      replicas: 2', '      replica: 2');
      await expectRejected(repo, [{ at: repo.at(file, '      ^replica: 2'), path: 'spec.workloads[0].replica', says: ['unknown field'] }], { count: 1 });
    });
  });

  describe('names that would escape clusters/', () => {
    for (const name of ['../x', '/x', '..']) {
      it(`site name ${JSON.stringify(name)}`, async () => {
        const repo = tempRepo();
        repo.edit(LYON, 'name: lyon-pos-01', `name: "${name}"`);
        await expectRejected(repo, [{ at: repo.at(LYON, `name: ^"${name}"`), path: 'metadata.name', says: [DNS_LABEL, `got ${JSON.stringify(name)}`] }], { count: 1 });
        expect(repo.exists('x')).toBe(false);
      });
    }

    it('app reference ../pos-api in a site', async () => {
      const repo = tempRepo();
      repo.edit(LYON, '- name: pos-api', '- name: ../pos-api');
      await expectRejected(repo, [{ at: repo.at(LYON, '- name: ^../pos-api'), path: 'spec.apps[0].name', says: [DNS_LABEL] }], { count: 1 });
    });

    it('app metadata.name ../x', async () => {
      const repo = tempRepo();
      const file = 'apps/mqtt-broker/app.yaml';
      repo.edit(file, 'metadata:\n  name: mqtt-broker', 'metadata:\n  name: ../x');
      await expectRejected(repo, [{ at: repo.at(file, '  name: ^../x'), path: 'metadata.name', says: [DNS_LABEL] }]);
    });

    it('--site ../x is a usage error', async () => {
      const repo = tempRepo();
      const before = repo.snapshot();
      const r = await repo.run(['synth', '--site', '../x']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('unknown site(s): ../x');
      expect(repo.snapshot()).toEqual(before);
    });
  });

  describe('placement', () => {
    it('a GPU app on a site without a GPU', async () => {
      const repo = tempRepo();
      repo.edit(LYON, '- name: pos-api', '- name: inference-service');
      await expectRejected(
        repo,
        [{ at: repo.at(LYON, '- name: ^inference-service'), path: 'spec.apps[0].name', says: ['app "inference-service" needs 1 NVIDIA GPU(s)', 'site "lyon-pos-01" has no spec.hardware.gpu'] }],
        { count: 1 },
      );
    });

    it("an app whose images don't support the site's arch, on every arm64 site using it", async () => {
      const repo = tempRepo();
      repo.edit('apps/mqtt-broker/app.yaml', 'architectures: [amd64, arm64]', 'architectures: [amd64]');
      const ohio = 'sites/ohio-gw-02.yaml';
      const rotterdam = 'sites/rotterdam-gw-01.yaml';
      const lines = await expectRejected(
        repo,
        [
          { at: repo.at(ohio, '- name: ^mqtt-broker'), path: 'spec.apps[0].name', says: ['app "mqtt-broker" publishes images for amd64 only', 'site "ohio-gw-02" is arm64'] },
          { at: repo.at(rotterdam, '- name: ^mqtt-broker'), path: 'spec.apps[0].name', says: ['publishes images for amd64 only', 'site "rotterdam-gw-01" is arm64'] },
        ],
        { count: 2 },
      );
      expect(lines[0]).toContain(ohio);
    });
  });

  describe('capacity', () => {
    it("apps that don't fit the site's CPU and memory", async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'memory: 8Gi', 'memory: 2500Mi');
      repo.edit(LYON, 'cpu: "4"', 'cpu: "1"');
      await expectRejected(repo, [
        { at: repo.at(LYON, 'cpu: ^"1"'), path: 'spec.hardware.cpu', says: ['cannot run its apps', 'CPU', '250m allocatable'] },
        { at: repo.at(LYON, 'memory: ^2500Mi'), path: 'spec.hardware.memory', says: ['cannot run its apps', 'memory', '288Mi allocatable'] },
      ]);
    });

    it('a site whose hardware does not even cover the reserve', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'memory: 8Gi', 'memory: 2Gi');
      await expectRejected(repo, [{ at: repo.at(LYON, 'memory: ^2Gi'), path: 'spec.hardware.memory', says: ['has 2Gi memory', 'reserve'] }], { count: 1 });
    });

    it('more GPU replicas than GPUs', async () => {
      const repo = tempRepo();
      const file = 'sites/det-inference-02.yaml';
      repo.edit(file, 'inference-service: 2', 'inference-service: 3');
      await expectRejected(repo, [{ at: repo.at(file, 'count: ^2 }'), path: 'spec.hardware.gpu.count', says: ['need 3 GPU(s)', 'has 2'] }], { count: 1 });
    });

    it('one pod larger than a node of a multi-node site', async () => {
      const repo = tempRepo();
      const file = 'sites/oslo-gw-03.yaml';
      repo.edit(file, '    - name: mqtt-broker\n', '    - name: mqtt-broker\n      resources:\n        mosquitto:\n          requests: { memory: 3Gi }\n          limits: { memory: 3Gi }\n');
      await expectRejected(repo, [{ at: repo.at(file, '- name: ^mqtt-broker'), path: 'spec.apps[0].name', says: ['one pod of Deployment "mqtt-broker"', "more than one node's"] }]);
    });

    it('a capacity error is also exit 2 under --check, not drift', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'memory: 8Gi', 'memory: 2Gi');
      await expectRejected(repo, [{ at: repo.at(LYON, 'memory: ^2Gi'), path: 'spec.hardware.memory', says: ['reserve'] }], { argv: ['synth', '--check'] });
    });
  });

  describe('all errors of a run together', () => {
    it('errors in several files come in one run, sorted by file then (numeric) line', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'description: "Lyon store: small x86 box behind the counter."', 'description: [Lyon]');
      repo.edit(LYON, 'memory: 8Gi', 'memory: 2GB');
      repo.edit(LYON, 'runtime: k3s', 'runtime: k8s');
      repo.edit('sites/austin-pos-02.yaml', '  network:', '  netwrok:');
      repo.edit('fleet.yaml', '  kubernetesVersion: "1.33"\n', '  kubernetesVersion: "1.33"\n  kubernetesVersion: "1.34"\n');
      const expected = [
        { at: repo.at('fleet.yaml', '  ^kubernetesVersion: "1.34"'), says: ['Map keys must be unique'] },
        { at: repo.at('sites/austin-pos-02.yaml', '  ^netwrok:'), path: 'spec.netwrok', says: ['unknown field "netwrok"'] },
        { at: repo.at(LYON, 'description: ^[Lyon]'), path: 'spec.description', says: ['expected string'] },
        { at: repo.at(LYON, 'runtime: ^k8s'), path: 'spec.runtime', says: ['expected one of'] },
        { at: repo.at(LYON, 'memory: ^2GB'), path: 'spec.hardware.memory', says: ['expected a Kubernetes quantity'] },
      ];
      const lines = await expectRejected(repo, expected);
      // Line 9 before line 17 in the same file: numeric, not string, order.
      const order = expected.map((p) => lines.findIndex((l) => l.startsWith(`error: ${p.at}:`)));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      const positions = lines.map((l) => /^error: ([^:]+):(\d+):(\d+):/.exec(l)).map((m) => [m?.[1] ?? '', Number(m?.[2]), Number(m?.[3])] as const);
      const sorted = [...positions].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
      expect(positions).toEqual(sorted);
    });

    it('two errors in two sites are both reported (not just the first)', async () => {
      const repo = tempRepo();
      repo.edit(LYON, 'memory: 8Gi', 'memory: 2GB');
      repo.edit('sites/ohio-gw-02.yaml', 'profile: intermittent', 'profile: satellite');
      const r = await repo.run(['synth']);
      expect(r.code).toBe(2);
      const lines = errorLines(r.stderr);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^error: sites\/lyon-pos-01\.yaml:\d+:\d+: spec\.hardware\.memory: /);
      expect(lines[1]).toMatch(/^error: sites\/ohio-gw-02\.yaml:\d+:\d+: spec\.network\.profile: unknown network profile "satellite"/);
    });

    it('a missing fleet file is bad input (exit 2), not a crash', async () => {
      const repo = tempRepo();
      await expectRejected(repo, [{ at: 'nope.yaml:1:1', says: ['cannot read Fleet file', 'ENOENT'] }], { argv: ['synth', '--fleet', 'nope.yaml'], count: 1 });
    });
  });
});
