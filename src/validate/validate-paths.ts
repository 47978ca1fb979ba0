import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { isInside } from '../inventory/base-reader.js';
import { InputError, type InputProblem } from '../util/errors.js';
import type { PathSegment } from '../util/yaml-source.js';
import { BuildError } from './build/errors.js';
import type { BuildCache } from './build/cache.js';
import { locateInSource } from './build/locate.js';
import { mergeAcrossSites, type Finding } from './findings.js';
import { KUSTOMIZATION_FILES, readManifestTree } from './manifests.js';
import { documentLocator, schemaFindings } from './schema-findings.js';
import type { ValidateResult } from './validate-repo.js';

export interface ValidatePathsOptions {
  readonly root: string;
  readonly paths: readonly string[];
  /** Where file names in messages are relative to. */
  readonly cwd: string;
  readonly cache: BuildCache;
  readonly allowedKinds?: ReadonlySet<string>;
}

/**
 * Validates arbitrary manifests: a directory with a kustomization is built with kustomize and its
 * output checked; other files and directories are checked document by document. Values still holding
 * `${VAR}` are not judged here (they are checked after substitution, in the repository run).
 */
export async function validatePaths(options: ValidatePathsOptions): Promise<ValidateResult> {
  const root = resolve(options.root);
  const allowedKinds = options.allowedKinds ?? new Set<string>();
  const missing: InputProblem[] = [];
  const findings: Finding[] = [];
  let objects = 0;
  let kustomizations = 0;
  for (const p of options.paths) {
    const abs = resolve(root, p);
    if (!existsSync(abs) || !isInside(root, abs)) {
      missing.push({ file: p, line: 1, column: 1, path: '', message: existsSync(abs) ? `outside the repository root ${root}` : 'no such file or directory' });
      continue;
    }
    const rel = relative(root, abs).split(sep).join('/');
    if (statSync(abs).isDirectory() && KUSTOMIZATION_FILES.some((f) => existsSync(join(abs, f)))) {
      kustomizations++;
      try {
        const result = await options.cache.build(root, { spec: { path: rel || '.' } });
        for (const b of result.objects) {
          objects++;
          const at = (path: readonly PathSegment[], key: boolean) => locateInSource(root, b.origin, path, { key });
          findings.push(...schemaFindings(b.object, at, { allowedKinds, rawVariables: true }, { sites: [] }));
        }
      } catch (err) {
        if (!(err instanceof BuildError)) throw err;
        for (const e of err.problems) findings.push({ ruleId: 'build', severity: e.cannotCheck ? 'warning' : 'error', message: e.message, file: e.file, line: e.line, column: e.column, jsonPath: e.path, sites: [] });
      }
      continue;
    }
    const tree = readManifestTree(root, abs);
    findings.push(...tree.findings);
    for (const doc of tree.docs) {
      objects++;
      findings.push(...schemaFindings(doc.object, documentLocator(doc.source), { allowedKinds, rawVariables: true }, { sites: [] }));
    }
  }
  if (missing.length > 0) throw new InputError(missing);
  const cwd = resolve(options.cwd);
  const display = (f: Finding): Finding => {
    const abs = resolve(root, f.file);
    return { ...f, file: abs.startsWith(cwd + sep) ? abs.slice(cwd.length + 1) : abs };
  };
  return { findings: mergeAcrossSites(findings).map(display), stats: { sites: 0, kustomizations, objects } };
}
