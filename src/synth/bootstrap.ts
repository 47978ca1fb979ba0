/**
 * How to bring up one site: install the runtime (labelling GPU nodes as the fleet's GPU node selector
 * expects), then `flux bootstrap git` pointed at the site's own directory, polling at its network
 * profile's source interval.
 */
export function bootstrapScript(
  source: { url: string; branch: string },
  components: readonly string[],
  site: { name: string; runtime: string; sync: { sourceInterval: string }; gpu: { nodeSelector: Readonly<Record<string, string>> } | undefined },
  path = `clusters/${site.name}`,
): string {
  const nodeLabels = site.gpu ? Object.entries(site.gpu.nodeSelector).map(([k, v]) => `${k}=${v}`) : [];
  const install =
    site.runtime === 'k3s'
      ? `curl -sfL https://get.k3s.io | sh -s - --write-kubeconfig-mode 600${nodeLabels.map((l) => ` --node-label ${l}`).join('')}`
      : `k0s install controller --single${nodeLabels.length > 0 ? ` --labels ${nodeLabels.join(',')}` : ''} && k0s start`;
  return [
    `# Site ${site.name}: install ${site.runtime} on the node (as root)`,
    install,
    '',
    `# Bootstrap Flux; it reconciles ${path} only`,
    'flux bootstrap git \\',
    `  --url=${source.url} \\`,
    `  --branch=${source.branch} \\`,
    `  --path=${path} \\`,
    `  --interval=${site.sync.sourceInterval} \\`,
    `  --components=${components.join(',')} \\`,
    '  --network-policy=false',
    '',
    '# Verify',
    'flux get kustomizations --watch',
    '',
  ].join('\n');
}
