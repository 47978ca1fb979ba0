/**
 * A realistic synthetic fleet for benchmarks: `npm run bench:fleet -- --sites N --out DIR` writes a
 * complete inventory (DIR/fleet.yaml, DIR/sites/, DIR/apps/, DIR/infrastructure/) that
 * `edgefleet synth --fleet DIR/fleet.yaml --out DIR/clusters` renders and `edgefleet validate` checks.
 *
 * Mixed like a real fleet: every scenario of the example fleet (GPU inference, retail on amd64 and
 * arm64, kiosks, k0s gateways, multi-node sites), four jurisdictions, a dozen regions, all network
 * profiles, per-site overrides on about a fifth of the sites, and variants of the catalogue apps so the
 * build cache meets many distinct (base, patches) pairs. Seeded: the same N gives the same fleet.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = fileURLToPath(new URL('..', import.meta.url));

interface Scenario {
  readonly label: string;
  readonly runtime: 'k3s' | 'k0s';
  readonly arch: 'amd64' | 'arm64';
  readonly nodes: readonly number[];
  readonly cpu: readonly string[];
  readonly memory: readonly string[];
  readonly storage: readonly string[];
  readonly gpu?: { readonly model: string; readonly counts: readonly number[] };
  readonly profiles: readonly string[];
  readonly apps: readonly (readonly string[])[];
}

const SCENARIOS: readonly Scenario[] = [
  { label: 'industrial-ai', runtime: 'k3s', arch: 'amd64', nodes: [1, 2], cpu: ['16', '32'], memory: ['64Gi', '128Gi'], storage: ['1Ti', '2Ti'], gpu: { model: 'L4', counts: [1, 2] }, profiles: ['always-on'], apps: [['inference-service', 'telemetry'], ['inference-service', 'mqtt-broker', 'telemetry']] },
  { label: 'retail', runtime: 'k3s', arch: 'amd64', nodes: [1], cpu: ['4', '8'], memory: ['8Gi', '16Gi'], storage: ['128Gi', '256Gi'], profiles: ['always-on', 'always-on', 'intermittent'], apps: [['pos-api', 'telemetry']] },
  { label: 'retail', runtime: 'k3s', arch: 'arm64', nodes: [1], cpu: ['4'], memory: ['8Gi'], storage: ['64Gi', '128Gi'], profiles: ['always-on', 'intermittent'], apps: [['pos-api', 'telemetry']] },
  { label: 'kiosk', runtime: 'k3s', arch: 'arm64', nodes: [1], cpu: ['4'], memory: ['4Gi'], storage: ['32Gi'], profiles: ['scheduled'], apps: [['pos-api', 'telemetry']] },
  { label: 'iot-gateway', runtime: 'k0s', arch: 'arm64', nodes: [1], cpu: ['4'], memory: ['4Gi'], storage: ['32Gi'], profiles: ['intermittent', 'scheduled'], apps: [['mqtt-broker', 'telemetry']] },
  { label: 'iot-gateway', runtime: 'k0s', arch: 'amd64', nodes: [3], cpu: ['12'], memory: ['12Gi'], storage: ['192Gi'], profiles: ['intermittent'], apps: [['mqtt-broker', 'telemetry']] },
];

const JURISDICTIONS: Readonly<Record<string, readonly string[]>> = {
  eu: ['eu-central', 'eu-west', 'eu-north', 'eu-south'],
  us: ['us-east', 'us-central', 'us-west', 'us-south'],
  ca: ['ca-central', 'ca-west'],
  jp: ['jp-east', 'jp-west'],
};

/** Variants of catalogue apps (another team's build of the same service), so patch texts differ. */
const VARIANTS = 6;

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateFleet(sites: number, out: string, seed = 20261126): void {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'sites'), { recursive: true });
  cpSync(join(REPO, 'apps'), join(out, 'apps'), { recursive: true });
  cpSync(join(REPO, 'infrastructure'), join(out, 'infrastructure'), { recursive: true });
  writeFileSync(join(out, 'fleet.yaml'), fleetYaml());
  for (const app of ['pos-api', 'mqtt-broker']) for (let v = 1; v <= VARIANTS; v++) writeVariant(out, app, v);

  const jurisdictions = Object.keys(JURISDICTIONS);
  const width = String(sites - 1).length;
  for (let i = 0; i < sites; i++) {
    const s = SCENARIOS[i % SCENARIOS.length] as Scenario;
    const jurisdiction = pick(jurisdictions);
    const region = pick(JURISDICTIONS[jurisdiction] ?? []);
    const name = `${s.label}-${region}-${String(i).padStart(width, '0')}`;
    const apps = pick(s.apps).map((a) => (random() < 0.3 && (a === 'pos-api' || a === 'mqtt-broker') ? `${a}-v${1 + Math.floor(random() * VARIANTS)}` : a));
    const override = random() < 0.2;
    const gpu = s.gpu ? `    gpu: { vendor: nvidia, model: ${s.gpu.model}, count: ${pick(s.gpu.counts)} }\n` : '';
    const appLines = apps
      .map((a) => {
        if (!override || a === 'telemetry' || a === 'inference-service') return `    - name: ${a}`;
        const base = a.replace(/-v\d+$/, '');
        const container = base === 'pos-api' ? 'pos-api' : 'mosquitto';
        return `    - name: ${a}\n      replicas: { ${base}: ${1 + Math.floor(random() * 2)} }\n      resources:\n        ${container}:\n          requests: { cpu: ${20 + Math.floor(random() * 60)}m, memory: ${32 + 16 * Math.floor(random() * 4)}Mi }`;
      })
      .join('\n');
    writeFileSync(
      join(out, 'sites', `${name}.yaml`),
      `# yaml-language-server: $schema=../schemas/site.schema.json
apiVersion: edgefleet.io/v1alpha1
kind: Site
metadata:
  name: ${name}
  labels:
    scenario: ${s.label}
spec:
  region: ${region}
  jurisdiction: ${jurisdiction}
  runtime: ${s.runtime}
  hardware:
    arch: ${s.arch}
    nodes: ${pick(s.nodes)}
    cpu: "${pick(s.cpu)}"
    memory: ${pick(s.memory)}
    storage: ${pick(s.storage)}
${gpu}  network:
    profile: ${pick(s.profiles)}
    bandwidthMbps: ${pick([2, 5, 20, 50, 100, 1000])}
  apps:
${appLines}
`,
    );
  }
}

function fleetYaml(): string {
  const text = readFileSync(join(REPO, 'fleet.yaml'), 'utf8');
  const endpoints = Object.keys(JURISDICTIONS).map((j) => `      ${j}: https://telemetry.${j}.example.com/api/v1/aggregate`).join('\n');
  return text.replace(/    endpoints:\n(      .*\n)+/, `    endpoints:\n${endpoints}\n`);
}

/** apps/<app>-v<n>/: the same base under another name, with its own defaults. */
function writeVariant(out: string, app: string, v: number): void {
  const dir = join(out, 'apps', `${app}-v${v}`);
  cpSync(join(REPO, 'apps', app), dir, { recursive: true });
  const appYaml = join(dir, 'app.yaml');
  writeFileSync(appYaml, readFileSync(appYaml, 'utf8').replace(`name: ${app}\n`, `name: ${app}-v${v}\n`).replace(/memory: 128Mi \}/, `memory: ${128 + 16 * v}Mi }`));
  const ks = join(dir, 'base', 'kustomization.yaml');
  // A variant label makes every variant's base (and so its build key) distinct.
  writeFileSync(ks, readFileSync(ks, 'utf8').replace('includeSelectors: false', `includeSelectors: false\n  - pairs:\n      edgefleet.io/variant: v${v}`));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { sites: { type: 'string', default: '1000' }, out: { type: 'string', default: 'bench/out/fleet' }, seed: { type: 'string', default: '20261126' } } });
  const n = Number(values.sites);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--sites must be a positive integer, got ${values.sites}`);
  const started = performance.now();
  generateFleet(n, values.out, Number(values.seed));
  console.log(`bench:fleet: ${n} sites in ${values.out} (${Math.round(performance.now() - started)} ms)`);
}
