import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VERSIONS, bootstrapScript, type BootstrapSite } from '../../src/synth/bootstrap.js';

const source = { url: 'ssh://git@git.example.com/platform/edgefleet.git', branch: 'main' };
const components = ['source-controller', 'kustomize-controller'];
const site = (over: Partial<BootstrapSite> = {}): BootstrapSite => ({ name: 'gw-1', runtime: 'k0s', nodes: 1, sync: { sourceInterval: '15m' }, gpu: undefined, ...over });

/** The arguments bash would pass to `flux bootstrap git`: the printed command run with printf in its place. */
function fluxArgs(script: string, cwd: string): string[] {
  const start = script.indexOf('flux bootstrap git');
  const command = script.slice(start, script.indexOf('\n\n', start)).replace('flux bootstrap git', "printf '%s\\n'");
  return execFileSync('bash', ['-c', command], { cwd, encoding: 'utf8' }).split('\n').slice(0, -1);
}

describe('bootstrapScript', () => {
  it('points flux bootstrap at the site directory with its source interval, at pinned versions', () => {
    const text = bootstrapScript(source, components, site());
    expect(text).toContain("--path='clusters/gw-1'");
    expect(text).toContain("--interval='15m'");
    expect(text).toContain("--components='source-controller,kustomize-controller'");
    expect(text).toContain(`--version='${DEFAULT_VERSIONS.flux}'`);
    expect(text).toContain(`FLUX_VERSION='${DEFAULT_VERSIONS.flux.slice(1)}' bash`);
    expect(text).toContain(`K0S_VERSION='${DEFAULT_VERSIONS.k0s}' sh`);
    expect(text).toContain('k0s install controller --single');
    expect(text).not.toContain('--node-label');
    expect(text).not.toContain('token');
  });

  it('labels GPU nodes at install time on k3s', () => {
    const text = bootstrapScript(source, components, site({ name: 'ai-1', runtime: 'k3s', gpu: { nodeSelector: { 'nvidia.com/gpu.present': 'true' } } }), undefined, { runtime: 'v1.32.1+k3s1', flux: 'v2.5.0' });
    expect(text).toContain("INSTALL_K3S_VERSION='v1.32.1+k3s1' sh -s - server --write-kubeconfig-mode 600 --node-label 'nvidia.com/gpu.present=true'");
    expect(text).toContain("--version='v2.5.0'");
    expect(text).not.toContain('K3S_URL');
  });

  it('multi-node k3s: server on the first node, agents join with K3S_URL and K3S_TOKEN', () => {
    const text = bootstrapScript(source, components, site({ runtime: 'k3s', nodes: 3 }));
    expect(text).toContain(`INSTALL_K3S_VERSION='${DEFAULT_VERSIONS.k3s}' sh -s - server`);
    expect(text).toContain('cat /var/lib/rancher/k3s/server/node-token');
    expect(text).toContain('other 2 node(s)');
    expect(text).toContain(`INSTALL_K3S_VERSION='${DEFAULT_VERSIONS.k3s}' K3S_URL="https://\${SERVER}:6443" K3S_TOKEN="\${TOKEN}" sh -s - agent`);
    execFileSync('bash', ['-n'], { input: text });
  });

  it('multi-node k0s: a controller that runs workloads, a worker token, workers join with --token-file', () => {
    const text = bootstrapScript(source, components, site({ nodes: 2 }));
    expect(text).not.toContain('--single');
    expect(text).toContain('k0s install controller --enable-worker --no-taints && k0s start');
    expect(text).toContain('k0s token create --role=worker > /root/k0s-worker-token');
    expect(text).toContain('k0s install worker --token-file /root/k0s-worker-token && k0s start');
    execFileSync('bash', ['-n'], { input: text });
  });

  it('quotes every inventory value: $(…) and quotes in the URL stay literal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgefleet-quote-'));
    try {
      const url = `ssh://git@example.com/x$(touch ${join(dir, 'pwned')})\`touch ${join(dir, 'tick')}\`'; touch ${join(dir, 'semi')} #.git`;
      const branch = "main';touch x;'";
      const text = bootstrapScript({ url, branch }, components, site({ runtime: 'k3s', nodes: 2, gpu: { nodeSelector: { "a'b": '$(id)' } } }), "clusters/it's", { runtime: "v1'$(id)", flux: 'v2.6.4' });
      execFileSync('bash', ['-n'], { input: text }); // the whole script parses
      const args = fluxArgs(text, dir);
      expect(args).toEqual(['--version=v2.6.4', `--url=${url}`, `--branch=${branch}`, "--path=clusters/it's", '--interval=15m', '--components=source-controller,kustomize-controller', '--network-policy=false']);
      expect(existsSync(join(dir, 'pwned')) || existsSync(join(dir, 'tick')) || existsSync(join(dir, 'semi'))).toBe(false);
      expect(text).toContain(`--node-label 'a'\\''b=$(id)'`);
      expect(text).toContain(`INSTALL_K3S_VERSION='v1'\\''$(id)'`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a plain value round-trips unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgefleet-quote-'));
    try {
      expect(fluxArgs(bootstrapScript(source, components, site()), dir)).toContain(`--url=${source.url}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
