import { shellQuote as q } from '../util/shell-quote.js';

/** Releases bootstrap installs when fleet.yaml pins none (runtimes.<rt>.version, flux.version); tested together. */
export const DEFAULT_VERSIONS = {
  k3s: 'v1.33.4+k3s1',
  k0s: 'v1.33.4+k0s.0',
  flux: 'v2.6.4',
} as const;

export interface BootstrapSite {
  readonly name: string;
  readonly runtime: string;
  readonly nodes: number;
  readonly sync: { readonly sourceInterval: string };
  readonly gpu: { readonly nodeSelector: Readonly<Record<string, string>> } | undefined;
}

export interface BootstrapVersions {
  /** k3s or k0s release for the site's runtime. */
  readonly runtime: string;
  /** Flux CLI and toolkit release. */
  readonly flux: string;
}

/**
 * How to bring up one site, as commands for a root shell: install the runtime at a pinned release
 * (the first node as server or controller that also runs workloads, since capacity counts every
 * node; the others join it with a token), labelling GPU nodes as the fleet's GPU node selector
 * expects, then `flux bootstrap git` at a pinned release pointed at the site's own directory,
 * polling at its network profile's source interval. Every inventory value is shell-quoted.
 */
export function bootstrapScript(
  source: { url: string; branch: string },
  components: readonly string[],
  site: BootstrapSite,
  path = `clusters/${site.name}`,
  versions: BootstrapVersions = { runtime: site.runtime === 'k3s' ? DEFAULT_VERSIONS.k3s : DEFAULT_VERSIONS.k0s, flux: DEFAULT_VERSIONS.flux },
): string {
  const labels = site.gpu ? Object.entries(site.gpu.nodeSelector).map(([k, v]) => `${k}=${v}`) : [];
  const runtime = site.runtime === 'k3s' ? k3s(site, versions.runtime, labels) : k0s(site, versions.runtime, labels);
  const flux = versions.flux.replace(/^v/, '');
  return [
    `# Site ${site.name}: ${site.nodes} node(s), ${site.runtime} ${versions.runtime}. Run as root.`,
    ...runtime,
    '',
    `# Bootstrap Flux ${versions.flux} from the first node; it reconciles ${path} only`,
    `curl -sfL https://fluxcd.io/install.sh | FLUX_VERSION=${q(flux)} bash`,
    'flux bootstrap git \\',
    `  --version=${q(`v${flux}`)} \\`,
    `  --url=${q(source.url)} \\`,
    `  --branch=${q(source.branch)} \\`,
    `  --path=${q(path)} \\`,
    `  --interval=${q(site.sync.sourceInterval)} \\`,
    `  --components=${q(components.join(','))} \\`,
    '  --network-policy=false',
    '',
    '# Verify',
    'flux get kustomizations --watch',
    '',
  ].join('\n');
}

function k3s(site: BootstrapSite, version: string, labels: readonly string[]): string[] {
  const get = `curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=${q(version)}`;
  const nodeLabels = labels.map((l) => ` --node-label ${q(l)}`).join('');
  const server = `${get} sh -s - server --write-kubeconfig-mode 600${nodeLabels}`;
  const kubeconfig = 'export KUBECONFIG=/etc/rancher/k3s/k3s.yaml';
  if (site.nodes <= 1) return ['# Install k3s on the node', server, kubeconfig];
  return [
    '# 1. On the first node: the k3s server (it runs workloads too)',
    server,
    kubeconfig,
    '# 2. On the first node: the token the other nodes join with',
    'cat /var/lib/rancher/k3s/server/node-token',
    `# 3. On each of the other ${site.nodes - 1} node(s): set SERVER to the first node's address and TOKEN to the token, then`,
    `${get} K3S_URL="https://\${SERVER}:6443" K3S_TOKEN="\${TOKEN}" sh -s - agent${nodeLabels}`,
  ];
}

function k0s(site: BootstrapSite, version: string, labels: readonly string[]): string[] {
  const get = `curl -sSLf https://get.k0s.sh | K0S_VERSION=${q(version)} sh`;
  const nodeLabels = labels.length > 0 ? ` --labels ${q(labels.join(','))}` : '';
  const kubeconfig = 'mkdir -p ~/.kube && k0s kubeconfig admin > ~/.kube/config';
  if (site.nodes <= 1) return ['# Install k0s on the node', get, `k0s install controller --single${nodeLabels} && k0s start`, kubeconfig];
  return [
    '# 1. On the first node: a k0s controller that runs workloads too',
    get,
    `k0s install controller --enable-worker --no-taints${nodeLabels} && k0s start`,
    kubeconfig,
    '# 2. On the first node: a worker join token (copy the file to the other nodes)',
    'k0s token create --role=worker > /root/k0s-worker-token',
    `# 3. On each of the other ${site.nodes - 1} node(s), with the token file at /root/k0s-worker-token:`,
    get,
    `k0s install worker --token-file /root/k0s-worker-token${nodeLabels} && k0s start`,
  ];
}
