/**
 * The load guard keeps every build input inside the repository (issue 15): nothing outside is read, the
 * build does not run, and each violation points at the entry that names it. Real kubectl, temp repositories.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createBuildCache } from '../../../src/validate/build/cache.js';
import { BuildError } from '../../../src/validate/build/errors.js';
import type { FluxKustomizationLike } from '../../../src/validate/build/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp directory with `repo/` (the repository) and `outside/secret.txt` next to it. */
function repo(tree: Record<string, string>): string {
  const top = mkdtempSync(join(tmpdir(), 'edgefleet-guard-'));
  dirs.push(top);
  mkdirSync(join(top, 'outside'));
  writeFileSync(join(top, 'outside', 'secret.txt'), 'TOP_SECRET=hunter2\n');
  for (const [rel, text] of Object.entries(tree)) {
    const abs = join(top, 'repo', rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return join(top, 'repo');
}

const ks = (path: string): FluxKustomizationLike =>
  ({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'app', namespace: 'flux-system' }, spec: { path, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } }) as unknown as FluxKustomizationLike;

async function problems(root: string, path = './app'): Promise<{ file: string; line: number; column: number; path: string; message: string }[]> {
  const cache = createBuildCache();
  try {
    await cache.build(root, ks(path));
  } catch (err) {
    if (!(err instanceof BuildError)) throw err;
    expect(cache.stats.builds).toBe(0);
    return err.problems.map(({ file, line, column, path: p, message }) => ({ file, line, column, path: p ?? '', message }));
  }
  throw new Error('expected the build to be refused');
}

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
const K = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';

describe('load guard: build inputs stay inside the repository', () => {
  test('a generator config file with files/envs outside the repository', async () => {
    const root = repo({
      'app/kustomization.yaml': `${K}resources: [cm.yaml]\ngenerators:\n  - gen.yaml\n`,
      'app/cm.yaml': CM,
      'app/gen.yaml': 'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: leak\nfiles:\n  - /etc/passwd\nenvs:\n  - ../../outside/secret.txt\n',
    });
    const found = await problems(root);
    expect(found.map((p) => `${p.file}:${p.line}:${p.column} ${p.path}`)).toEqual(['app/gen.yaml:6:5 files[0]', 'app/gen.yaml:8:5 envs[0]']);
    expect(found[0]!.message).toContain('absolute path');
    expect(found[1]!.message).toContain('outside the repository root');
  });

  test('an inline transformer config, and a generators directory whose resources are configs', async () => {
    const root = repo({
      'app/kustomization.yaml': `${K}resources: [cm.yaml]\ntransformers:\n  - |\n    apiVersion: builtin\n    kind: PatchTransformer\n    metadata: { name: p }\n    path: /proc/self/environ\ngenerators:\n  - gens\n`,
      'app/cm.yaml': CM,
      'app/gens/kustomization.yaml': `${K}resources: [gen.yaml]\n`,
      'app/gens/gen.yaml': 'apiVersion: builtin\nkind: SecretGenerator\nmetadata:\n  name: s\nfiles:\n  - key=/etc/shadow\n',
    });
    const found = await problems(root);
    expect(found.map((p) => `${p.file}:${p.line}:${p.column} ${p.path}`)).toEqual(['app/gens/gen.yaml:6:5 files[0]', 'app/kustomization.yaml:5:5 transformers[0].path']);
  });

  test('configMapGenerator key=path outside, helmCharts values files, and a symlink out of a source directory', async () => {
    const root = repo({
      'app/kustomization.yaml': `${K}resources: [cm.yaml]\nconfigMapGenerator:\n  - name: a\n    files: [pw=../../outside/secret.txt]\n  - name: b\n    files: [dir]\nhelmCharts:\n  - name: x\n    valuesFile: /etc/passwd\n    additionalValuesFiles: [../../outside/secret.txt]\n`,
      'app/cm.yaml': CM,
      'app/dir/ok.txt': 'ok',
    });
    symlinkSync(join(root, '..', 'outside', 'secret.txt'), join(root, 'app', 'dir', 'leak.txt'));
    const found = await problems(root);
    expect(found.map((p) => `${p.file}:${p.line}:${p.column} ${p.path}`)).toEqual([
      'app/kustomization.yaml:6:13 configMapGenerator[0].files[0]',
      'app/kustomization.yaml:8:13 configMapGenerator[1].files[0]',
      'app/kustomization.yaml:11:17 helmCharts[0].valuesFile',
      'app/kustomization.yaml:12:29 helmCharts[0].additionalValuesFiles[0]',
    ]);
    expect(found[1]!.message).toContain("'leak.txt', a link to outside the repository");
  });

  test('inside the repository, a generator config file builds', async () => {
    const root = repo({
      'app/kustomization.yaml': `${K}generators:\n  - gen.yaml\n`,
      'app/gen.yaml': 'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: settings\nfiles:\n  - settings.conf\n',
      'app/settings.conf': 'a=b\n',
    });
    const { objects } = await createBuildCache().build(root, ks('./app'));
    expect(objects.map((o) => o.object.kind)).toEqual(['ConfigMap']);
  });
});
