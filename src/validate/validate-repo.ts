import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadFleet, loadInventory } from '../inventory/load.js';
import type { AppSpec, Fleet, Inventory, Loaded } from '../inventory/types.js';
import type { FleetPlan } from '../model/plan.js';
import { RULES } from './policy/rules/index.js';
import { runRules } from './policy/run.js';
import type { AnyRule, SiteContext } from './policy/types.js';
import { annotationWaivers, applyWaivers, inventoryWaivers } from './policy/waivers.js';
import { diffClusters, siteDirs } from '../synth/clusters-dir.js';
import { synthesize } from '../synth/synthesize.js';
import { InputError, UsageError } from '../util/errors.js';
import { problemAt } from '../util/yaml-source.js';
import { buildSite, type SiteBuildContext } from './site-build.js';
import { mergeAcrossSites, type Finding } from './findings.js';
import { readManifestTree } from './manifests.js';
import { referenceFindings } from './refs.js';
import { documentLocator, schemaFindings } from './schema-findings.js';
import { schemaSources } from './schema/index.js';
import type { BuildCache } from './build/cache.js';

export interface ValidateRepositoryOptions {
  /** fleet.yaml; the repository root is its directory unless `root` says otherwise. */
  readonly fleetFile: string;
  readonly root?: string;
  /** clusters directory (default: `clusters/` beside the fleet file). */
  readonly clustersDir?: string;
  /** Only these sites (default: all). */
  readonly sites?: readonly string[];
  /** Directory that file names in messages are relative to (default: the repository root). */
  readonly displayFrom?: string;
  /** Today as YYYY-MM-DD, for waiver expiry (default: the current UTC date). */
  readonly today?: string;
  /** Policy rules to run (default: the whole catalogue). */
  readonly rules?: readonly AnyRule[];
  readonly cache: BuildCache;
}

export interface ValidateResult {
  readonly findings: readonly Finding[];
  readonly stats: { readonly sites: number; readonly kustomizations: number; readonly objects: number };
}

/**
 * Validates the repository the way the fleet will see it: the committed clusters/ against a fresh
 * synth (drift), every site's manifests against strict schemas and each other, and every Flux
 * Kustomization built with the real kustomize, substituted per site, and schema-checked.
 * Bad inventory throws InputError (the caller exits 2); everything else is a finding.
 */
export async function validateRepository(options: ValidateRepositoryOptions): Promise<ValidateResult> {
  const fleetFile = resolve(options.fleetFile);
  const root = resolve(options.root ?? dirname(fleetFile));
  const clustersDir = resolve(options.clustersDir ?? join(dirname(fleetFile), 'clusters'));
  const findings: Finding[] = [];
  const only = options.sites && options.sites.length > 0 ? options.sites : undefined;
  let inv: Inventory | undefined;
  try {
    inv = loadInventory(fleetFile, { displayFrom: root });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    findings.push(...inventoryFindings(err));
  }
  // Without a valid inventory there is nothing to compare clusters/ with, but what is committed can still be checked.
  const fleetDoc = inv?.fleet ?? loadFleet(fleetFile, { displayFrom: root });
  const known = inv ? inv.sites.map((s) => s.value.metadata.name) : siteDirs(clustersDir);
  const unknown = (only ?? []).filter((s) => !known.includes(s));
  if (unknown.length > 0) throw new UsageError(`unknown site(s): ${unknown.join(', ')}`);
  const names = only ? [...only] : [...new Set([...known, ...siteDirs(clustersDir)])].sort();
  let plan: FleetPlan | undefined;
  if (inv) {
    try {
      const synth = synthesize(inv, only ? { sites: only } : {});
      plan = synth.plan;
      findings.push(...driftFindings(root, clustersDir, synth.files, names));
    } catch (err) {
      // Apps that no longer fit a site: report it, and still check what is committed.
      if (!(err instanceof InputError)) throw err;
      findings.push(...inventoryFindings(err));
    }
  }
  findings.push(...versionFindings(fleetDoc));

  const fleet = fleetDoc.value.spec;
  const rules = options.rules ?? RULES;
  const knownRules = new Set(rules.map((r) => r.id));
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const allowedKinds = new Set((fleet.validation?.allowedKinds ?? []).map((k) => `${k.apiVersion}/${k.kind}`));
  const ctx: SiteBuildContext = { root, cache: options.cache, strict: fleet.flux.strictPostBuildSubstitutions, allowedKinds };
  let kustomizations = 0;
  let objects = 0;
  for (const site of names) {
    const dir = join(clustersDir, site);
    if (!existsSync(dir)) continue;
    const tree = readManifestTree(root, dir);
    findings.push(...tree.findings.map((f) => ({ ...f, sites: [site] })));
    for (const doc of tree.docs) findings.push(...schemaFindings(doc.object, documentLocator(doc.source), { allowedKinds }, { sites: [site] }));
    findings.push(...referenceFindings(root, site, tree.docs, existsSync(join(dir, 'flux-system'))));
    const built = await buildSite(ctx, site, tree.docs);
    kustomizations += built.kustomizations;
    objects += built.applied.length;
    const sitePlan = plan?.sites.find((p) => p.name === site);
    const siteDoc = inv?.sites.find((s) => s.value.metadata.name === site);
    if (!inv || !sitePlan || !siteDoc) {
      findings.push(...built.findings);
      continue; // no resolved inventory for this site: schema and build checks only
    }
    const policyCtx: SiteContext = { site: sitePlan, fleet, apps: catalogue(inv), objects: built.applied };
    const policy = runRules(rules, policyCtx);
    const waivers = [...built.applied.flatMap((o) => annotationWaivers(o, site)), ...inventoryWaivers(siteDoc)];
    findings.push(...applyWaivers([...built.findings, ...policy], waivers, today, knownRules));
  }
  const display = options.displayFrom ? relocate(root, resolve(options.displayFrom)) : (f: Finding) => f;
  return { findings: mergeAcrossSites(findings).map(display), stats: { sites: names.length, kustomizations, objects } };
}

function driftFindings(root: string, clustersDir: string, wanted: ReadonlyMap<string, string>, scope: readonly string[]): Finding[] {
  const change = diffClusters(clustersDir, wanted, scope);
  const rel = (p: string): string => join(clustersDir, p).slice(root.length + 1);
  const finding = (path: string, what: string): Finding => ({
    ruleId: 'drift',
    severity: 'error',
    message: `${what}; run \`npm run synth\` and commit clusters/`,
    file: rel(path),
    line: 1,
    column: 1,
    jsonPath: '',
    sites: [path.split('/')[0] ?? ''],
  });
  return [
    ...change.create.map((p) => finding(p, 'missing: synth renders this file but it is not in the repository')),
    ...change.update.map((p) => finding(p, 'differs from what synth renders from the inventory (hand edit or forgotten synth)')),
    ...change.remove.map((p) => finding(p, 'stale: synth no longer renders this file')),
    ...change.leftovers.map((p) => finding(p, 'leftover temporary file of an interrupted synth')),
    ...change.conflicts.map((c): Finding => ({ ruleId: 'drift', severity: 'error', message: c.message, file: c.file.startsWith(root) ? c.file.slice(root.length + 1) : c.file, line: 1, column: 1, jsonPath: '', sites: [] })),
  ];
}

/** Schemas describe one Kubernetes minor version; a fleet targeting another one is checked approximately. */
function versionFindings(fleet: Loaded<Fleet>): Finding[] {
  const described = schemaSources().kubernetesVersion.split('.').slice(0, 2).join('.');
  const target = fleet.value.spec.kubernetesVersion;
  if (described === target) return [];
  const at = problemAt(fleet.source, ['spec', 'kubernetesVersion'], '');
  return [{ ruleId: 'kubernetes-version', severity: 'warning', message: `fleet targets Kubernetes ${target} but the schemas describe ${described} (kubernetes-models); fields added or removed since may be judged wrongly`, file: fleet.relPath, line: at.line, column: at.column, jsonPath: 'spec.kubernetesVersion', sites: [] }];
}

function catalogue(inv: Inventory): Map<string, AppSpec> {
  return new Map([...inv.apps].map(([name, app]) => [name, app.value.spec]));
}

function inventoryFindings(err: InputError): Finding[] {
  return err.problems.map((p) => ({ ruleId: 'inventory', severity: 'error', message: p.message, file: p.file, line: p.line, column: p.column, jsonPath: p.path, sites: [] }));
}

function relocate(root: string, from: string): (f: Finding) => Finding {
  if (from === root) return (f) => f;
  return (f) => {
    const abs = resolve(root, f.file);
    const rel = abs.startsWith(from + '/') ? abs.slice(from.length + 1) : abs;
    return { ...f, file: rel };
  };
}
