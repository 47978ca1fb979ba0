import { dirname, join, resolve } from 'node:path';
import { loadFleet, loadInventory, missingSites } from '../inventory/load.js';
import type { AppSpec, Fleet, Inventory, Loaded, Site } from '../inventory/types.js';
import { resolveSites } from '../model/resolve.js';
import { withSuggestions } from '../util/suggest.js';
import { siteDirs } from '../synth/clusters-dir.js';
import { renderContext } from '../synth/synthesize.js';
import { InputError, UsageError } from '../util/errors.js';
import { defaultJobs, mapInWorkers } from '../util/worker-pool.js';
import { problemAt } from '../util/yaml-source.js';
import type { BuildCache } from './build/cache.js';
import { serveKustomize, type KustomizeRequest } from './build/run-cache.js';
import { mergeAcrossSites, type Finding } from './findings.js';
import { RULES } from './policy/rules/index.js';
import { checkRuleSettings } from './policy/settings.js';
import type { AnyRule } from './policy/types.js';
import { inventoryWaivers } from './policy/waivers.js';
import { schemaSources } from './schema/index.js';
import { inOrder, KUSTOMIZE_SERVICE, SITES_IN_FLIGHT, validateSite, type SharedValidation, type SiteItem, type SiteResult, type SiteValidation } from './site-task.js';

/** Sites a worker thread must have to be worth starting (it loads the whole toolchain first). */
const SITES_PER_WORKER = 64;
/** Sites sent to a worker at a time. */
const BATCH = 16;
/**
 * Batches a worker checks at once. A batch's sites wait on kustomize when they meet a build nobody has
 * run yet; with one batch at a time the whole worker then waited for the slowest site of each batch.
 */
const BATCHES_AT_ONCE = 3;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

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
  /** Build cache of this thread; worker threads run their builds through it and keep what they make of them. */
  readonly cache: BuildCache;
  /**
   * The inventory as the caller already loaded it (`synth --validate`), instead of loading it again: it
   * must have been loaded with `displayFrom` = the repository root, in full or holding every site in `sites`.
   */
  readonly inventory?: Inventory;
  /** Worker threads for big fleets (default: EDGEFLEET_JOBS, else the CPUs available); 1 checks every site in this thread. */
  readonly jobs?: number;
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
  let inv: Inventory | undefined = options.inventory;
  if (!inv) {
    // Named sites: only their inventory files are read (problems in other sites' files are not reported).
    const missing = new Set(only ? missingSites(fleetFile, only) : []);
    const present = only?.filter((s) => !missing.has(s)) ?? [];
    try {
      inv = loadInventory(fleetFile, { displayFrom: root, ...(present.length > 0 ? { sites: present } : {}) });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      findings.push(...inventoryFindings(err));
    }
  }
  // Without a valid inventory there is nothing to compare clusters/ with, but what is committed can still be checked.
  const fleetDoc = inv?.fleet ?? loadFleet(fleetFile, { displayFrom: root });
  const known = inv ? inv.sites.map((s) => s.value.metadata.name) : siteDirs(clustersDir);
  const unknown = (only ?? []).filter((s) => !known.includes(s));
  if (unknown.length > 0) throw new UsageError(`unknown site(s): ${withSuggestions(unknown, known)}`);
  const names = only ? [...only] : [...new Set([...known, ...siteDirs(clustersDir)])].sort();
  const siteDocs = new Map(inv?.sites.map((s) => [s.value.metadata.name, s]));
  const docsOf = (batch: readonly string[]): Loaded<Site>[] => batch.flatMap((site) => siteDocs.get(site) ?? []);
  // Apps that no longer fit a site: report it, and still check what is committed. This pass keeps no
  // plan: they are made again a batch at a time, as each batch is handed to a worker (or checked here),
  // so the plans of a whole fleet never exist at once (about 75 MB at 10,000 sites, for ~2 s of CPU in
  // this thread while the workers run).
  const problems = inv ? chunks(names, BATCH).flatMap((batch) => resolveSites(inv, docsOf(batch)).problems) : [];
  if (problems.length > 0) findings.push(...inventoryFindings(new InputError(problems)));
  findings.push(...versionFindings(fleetDoc));

  const fleet = fleetDoc.value.spec;
  const rules = options.rules ?? RULES;
  // Rules must not run with options of the wrong kind: bad settings stop the run (exit 2), located in fleet.yaml.
  const settingProblems = checkRuleSettings(fleetDoc.source, fleet, RULES);
  if (settingProblems.length > 0) throw new InputError(settingProblems);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const allowedKinds = new Set((fleet.validation?.allowedKinds ?? []).map((k) => `${k.apiVersion}/${k.kind}`));
  const resolved = inv && problems.length === 0 ? { apps: catalogue(inv), render: renderContext(inv) } : undefined;
  const siteItems = (batch: readonly string[]): SiteItem[] => {
    const plans = inv && resolved ? new Map(resolveSites(inv, docsOf(batch)).plans.map((p) => [p.name, p])) : undefined;
    return batch.map((site) => {
      const sitePlan = plans?.get(site);
      const siteDoc = siteDocs.get(site);
      return resolved && sitePlan && siteDoc ? { site, plan: sitePlan, waivers: inventoryWaivers(siteDoc) } : { site };
    });
  };
  const strict = fleet.flux.strictPostBuildSubstitutions;
  const catalogued = rules.every((r) => RULES.includes(r));
  const jobs = Math.min(options.jobs ?? defaultJobs(), Math.floor(names.length / SITES_PER_WORKER));
  let results: SiteResult[];
  if (jobs > 1 && catalogued) {
    // Worker threads; batches of sites, results in site order. kustomize runs in this thread, through the
    // caller's cache, once per distinct build for all workers (see validateSites).
    const shared: SharedValidation = { root, clustersDir, strict, allowedKinds: [...allowedKinds], ruleIds: rules.map((r) => r.id), today, fleet, ...(resolved ? { resolved } : {}) };
    const batches = chunks(names, BATCH);
    const order = spread(batches.length);
    const sent = order.map((i) => batches[i] as string[]);
    const done = await mapInWorkers<SharedValidation, readonly string[], SiteResult[]>({ module: new URL('./site-task.js', import.meta.url), fn: 'validateSites', shared, items: sent, prepare: siteItems, jobs, batch: 1, overlap: BATCHES_AT_ONCE, services: { [KUSTOMIZE_SERVICE]: (request: KustomizeRequest) => serveKustomize(options.cache.runs, request) } });
    const inSiteOrder = new Array<SiteResult[]>(batches.length);
    order.forEach((i, at) => (inSiteOrder[i] = done[at] as SiteResult[]));
    results = inSiteOrder.flat();
  } else {
    const ctx: SiteValidation = { root, clustersDir, build: { root, cache: options.cache, strict, allowedKinds }, rules, knownRules: new Set(rules.map((r) => r.id)), today, fleet, ...(resolved ? { resolved } : {}) };
    const pending = new Map<string, SiteItem>();
    const item = (site: string, at: number): SiteItem => {
      const start = at - (at % BATCH);
      if (!pending.has(site)) for (const it of siteItems(names.slice(start, start + BATCH))) pending.set(it.site, it);
      const found = pending.get(site) as SiteItem;
      pending.delete(site);
      return found;
    };
    results = await inOrder(names.map((site, at) => [site, at] as const), SITES_IN_FLIGHT, ([site, at]) => validateSite(ctx, item(site, at)));
  }
  for (const r of results) findings.push(...r.findings);
  const kustomizations = results.reduce((n, r) => n + r.kustomizations, 0);
  const objects = results.reduce((n, r) => n + r.objects, 0);
  const display = options.displayFrom ? relocate(root, resolve(options.displayFrom)) : (f: Finding) => f;
  return { findings: mergeAcrossSites(findings).map(display), stats: { sites: names.length, kustomizations, objects } };
}

/** Schemas describe one Kubernetes minor version; a fleet targeting another one is checked approximately. */
function versionFindings(fleet: Loaded<Fleet>): Finding[] {
  const described = schemaSources().kubernetesVersion.split('.').slice(0, 2).join('.');
  const target = fleet.value.spec.kubernetesVersion;
  if (described === target) return [];
  const at = problemAt(fleet.source, ['spec', 'kubernetesVersion'], '');
  return [{ ruleId: 'kubernetes-version', severity: 'warning', message: `fleet targets Kubernetes ${target} but the schemas describe ${described} (kubernetes-models); fields added or removed since may be judged wrongly`, file: fleet.relPath, line: at.line, column: at.column, jsonPath: 'spec.kubernetesVersion', sites: [] }];
}

/**
 * The order to hand out n batches: a stride through the whole fleet first, then the batches between.
 * Sites sorted by name come in runs that need the same builds (one scenario, one region), and a run's
 * first sites wait for kustomize while the workers have nothing else to do; sampling the fleet first
 * meets most builds in the first few batches, once. E.g. n = 10: 0 4 8 1 5 9 2 6 3 7.
 */
export function spread(n: number): number[] {
  const stride = Math.max(1, Math.ceil(Math.sqrt(n)));
  const out: number[] = [];
  for (let offset = 0; offset < stride; offset++) for (let i = offset; i < n; i += stride) out.push(i);
  return out;
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
