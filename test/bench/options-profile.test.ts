import { describe, expect, it } from 'vitest';
import { fileOf, packageOf, summariseProfile, type CpuProfile } from '../../bench/lib/cpu-profile.js';
import { parseOptions } from '../../bench/lib/options.js';

describe('parseOptions', () => {
  it('defaults to 1,000 and 10,000 sites, 3 rounds, 15 minutes per figure, every phase', () => {
    const o = parseOptions([]);
    expect(o).toMatchObject({ sizes: [1000, 10000], rounds: 3, budgetS: 900, out: 'bench/out/run', results: 'bench/results.json' });
    expect([...o.phases]).toEqual(['synth', 'validate', 'plan', 'one-site']);
  });

  it('takes a subset', () => {
    expect(parseOptions(['--sizes', '10_000,1000,1000', '--rounds', '1', '--phases', 'validate']).sizes).toEqual([1000, 10000]);
    expect([...parseOptions(['--phases', 'plan,synth']).phases]).toEqual(['plan', 'synth']);
  });

  it.each([
    [['--sizes', 'many']],
    [['--rounds', '0']],
    [['--budget-min', '-1']],
    [['--phases', 'lint']],
    [['--size', '1000']],
  ])('rejects %j', (argv) => {
    expect(() => parseOptions(argv)).toThrow();
  });
});

describe('CPU profile summary', () => {
  const root = '/work/main';
  it('names files by repository path, package, or V8 pseudo-frame', () => {
    expect(fileOf('file:///work/main/node_modules/yaml/dist/stringify/stringify.js', 'stringify', root)).toBe('node_modules/yaml/dist/stringify/stringify.js');
    expect(fileOf('file:///work/main/dist/synth/render.js', 'renderFile', root)).toBe('dist/synth/render.js');
    expect(fileOf('node:internal/fs/utils', 'x', root)).toBe('node:internal/fs/utils');
    expect(fileOf('', '(garbage collector)', root)).toBe('(garbage collector)');
    expect(packageOf('node_modules/@kubernetes-models/flux-cd/x.js')).toBe('@kubernetes-models/flux-cd');
    expect(packageOf('dist/validate/build/substitute.js')).toBe('dist/validate');
    expect(packageOf('node:internal/fs/utils')).toBe('node: (built-in modules)');
  });

  it('sums self time per node, then by function, file and package', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'stringify', url: 'file:///work/main/node_modules/yaml/dist/a.js', lineNumber: 9 } },
        { id: 3, callFrame: { functionName: 'visit', url: 'file:///work/main/node_modules/yaml/dist/b.js', lineNumber: 0 } },
        { id: 4, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
      ],
      samples: [2, 2, 3, 4, 2],
      timeDeltas: [1000, 1000, 2000, 4000, 2000],
    };
    const s = summariseProfile(profile, root);
    expect(s.totalMs).toBe(10);
    expect(s.byPackage).toEqual([{ key: 'yaml', ms: 6, pct: 60 }, { key: '(garbage collector)', ms: 4, pct: 40 }]);
    expect(s.byFunction[0]).toEqual({ key: '(garbage collector)', ms: 4, pct: 40 });
    expect(s.byFunction[1]).toEqual({ key: 'stringify node_modules/yaml/dist/a.js:10', ms: 4, pct: 40 });
    expect(s.byFile.map((r) => r.key)).toEqual(['(garbage collector)', 'node_modules/yaml/dist/a.js', 'node_modules/yaml/dist/b.js']);
  });
});
