import { describe, expect, it } from 'vitest';
import { bootstrapScript } from '../../src/synth/bootstrap.js';

describe('bootstrapScript', () => {
  const source = { url: 'ssh://git@git.example.com/platform/edgefleet.git', branch: 'main' };
  const components = ['source-controller', 'kustomize-controller'];

  it('points flux bootstrap at the site directory with its source interval', () => {
    const text = bootstrapScript(source, components, { name: 'gw-1', runtime: 'k0s', sync: { sourceInterval: '15m' }, gpu: undefined });
    expect(text).toContain('--path=clusters/gw-1');
    expect(text).toContain('--interval=15m');
    expect(text).toContain('--components=source-controller,kustomize-controller');
    expect(text).toContain('k0s install controller --single');
    expect(text).not.toContain('--node-label');
  });

  it('labels GPU nodes at install time on k3s', () => {
    const text = bootstrapScript(source, components, { name: 'ai-1', runtime: 'k3s', sync: { sourceInterval: '1m' }, gpu: { nodeSelector: { 'nvidia.com/gpu.present': 'true' } } });
    expect(text).toContain('--node-label nvidia.com/gpu.present=true');
  });
});
