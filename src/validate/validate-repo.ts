import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadFleet, loadInventory } from '../inventory/load.js';
import type { AppSpec, Fleet, FleetSpec, Inventory, Loaded, Site } from '../inventory/types.js';
import type { FleetPlan, SitePlan } from '../model/plan.js';
import { RULES } from './policy/rules/index.js';
import { runRules } from './policy/run.js';
import type { AnyRule } from './policy/types.js';
import { annotationWaivers, applyWaivers, inventoryWaivers } from './policy/waivers.js';
import { diffClusters, siteDirs } from '../synth/clusters-dir.js';
import { renderContext, type SiteRenderContext } from '../synth/synthesize.js';
import { buildSite as buildSiteFiles } from '../synth/site-chart.js';
import { fileDocuments, renderFile } from '../synth/render.js';
import { resolveFleet } from '../model/resolve.js';
import { InputError, UsageError } from '../util/errors.js';
import { problemAt } from '../util/yaml-source.js';
import { buildSite, type SiteBuildContext } from './site-build.js';
import { mergeAcrossSites, type Finding } from './findings.js';
import { readManifestTree, type KnownFile } from './manifests.js';
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
      plan = resolveFleet(inv, only ? new Set(only) : undefined);
    } catch (err) {
      // Apps that no longer fit a site: report it, and still check what is committed.
      if (!(err instanceof InputError)) throw err;
      findings.push(...inventoryFindings(err));
    }
  }
  findings.push(...versionFindings(fleetDoc));

  const fleet = fleetDoc.value.spec;
  const rules = options.rules ?? RULES;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const allowedKinds = new Set((fleet.validation?.allowedKinds ?? []).map((k) => `${k.apiVersion}/${k.kind}`));
  const ctx: SiteValidation = {
    root,
    clustersDir,
    build: { root, cache: options.cache, strict: fleet.flux.strictPostBuildSubstitutions, allowedKinds },
    rules,
    knownRules: new Set(rules.map((r) => r.id)),
    today,
    fleet,
    ...(inv && plan ? { resolved: { plans: new Map(plan.sites.map((p) => [p.name, p])), sites: new Map(inv.sites.map((s) => [s.value.metadata.name, s])), apps: catalogue(inv), render: renderContext(inv) } } : {}),
  };
  const results = await inOrder(names, SITES_IN_FLIGHT, (site) => validateSite(ctx, site));
  for (const r of results) findings.push(...r.findings);
  const kustomizations = results.reduce((n, r) => n + r.kustomizations, 0);
  const objects = results.reduce((n, r) => n + r.objects, 0);
  const display = options.displayFrom ? relocate(root, resolve(options.displayFrom)) : (f: Finding) => f;
  return { findings: mergeAcrossSites(findings).map(display), stats: { sites: names.length, kustomizations, objects } };
}

/** Sites checked at once: while one waits for kustomize, another's checks run. */
const SITES_IN_FLIGHT = 4;

/** What checking one site needs from the run. */
interface SiteValidation {
  readonly root: string;
  readonly clustersDir: string;
  readonly build: SiteBuildContext;
  readonly rules: readonly AnyRule[];
  readonly knownRules: ReadonlySet<string>;
  readonly today: string;
  readonly fleet: FleetSpec;
  /** The resolved inventory (absent when it does not load or resolve: then only what is committed is checked). */
  readonly resolved?: {
    readonly plans: ReadonlyMap<string, SitePlan>;
    readonly sites: ReadonlyMap<string, Loaded<Site>>;
    readonly apps: ReadonlyMap<string, AppSpec>;
    readonly render: SiteRenderContext;
  };
}

interface SiteResult {
  readonly findings: Finding[];
  readonly kustomizations: number;
  readonly objects: number;
}

/**
 * One site, start to end: its files against a fresh synth of it (drift), its committed manifests
 * (read back from what synth built when the file is what synth renders), strict schemas, references,
 * every Kustomization built and substituted, and the policy rules. Nothing of it outlives the call.
 */
async function validateSite(ctx: SiteValidation, site: string): Promise<SiteResult> {
  const findings: Finding[] = [];
  const dir = join(ctx.clustersDir, site);
  const sitePlan = ctx.resolved?.plans.get(site);
  const known = new Map<string, KnownFile>();
  if (ctx.resolved) {
    const wanted = new Map<string, string>();
    if (sitePlan) {
      for (const file of buildSiteFiles({ site: sitePlan, fleetFile: ctx.resolved.render.fleetFile, addonWorkloads: ctx.resolved.render.addonWorkloads })) {
        const content = renderFile(file);
        wanted.set(`${site}/${file.path}`, content);
        known.set(join(dir, file.path), { content, objects: fileDocuments(file) });
      }
    }
    findings.push(...driftFindings(ctx.root, ctx.clustersDir, wanted, [site]));
  }
  if (!existsSync(dir)) return { findings, kustomizations: 0, objects: 0 };
  const { allowedKinds } = ctx.build;
  const tree = readManifestTree(ctx.root, dir, known);
  findings.push(...tree.findings.map((f) => ({ ...f, sites: [site] })));
  for (const doc of tree.docs) findings.push(...schemaFindings(doc.object, documentLocator(doc.source), { allowedKinds }, { sites: [site] }));
  findings.push(...referenceFindings(ctx.root, site, tree.docs, existsSync(join(dir, 'flux-system'))));
  const built = await buildSite(ctx.build, site, tree.docs);
  const siteDoc = ctx.resolved?.sites.get(site);
  if (!ctx.resolved || !sitePlan || !siteDoc) {
    // no resolved inventory for this site: schema and build checks only
    findings.push(...built.findings);
  } else {
    const policy = runRules(ctx.rules, { site: sitePlan, fleet: ctx.fleet, apps: ctx.resolved.apps, objects: built.applied });
    const waivers = [...built.applied.flatMap((o) => annotationWaivers(o, site)), ...inventoryWaivers(siteDoc)];
    findings.push(...applyWaivers([...built.findings, ...policy], waivers, ctx.today, ctx.knownRules));
  }
  return { findings, kustomizations: built.kustomizations, objects: built.applied.length };
}

/** `run` over every item, at most `limit` at once, results in item order. */
async function inOrder<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
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
