/**
 * Checking one site, start to end — the unit validate runs in this thread or hands to worker threads
 * (`validateSites`, the workers' entry: a batch of sites with the run's settings as plain data).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppSpec, FleetSpec } from '../inventory/types.js';
import type { PoolServices } from '../util/worker-pool.js';
import type { SitePlan } from '../model/plan.js';
import { diffClusters, type FileTexts } from '../synth/clusters-dir.js';
import { fileDocuments, renderFile } from '../synth/render.js';
import { buildSite as buildSiteFiles } from '../synth/site-chart.js';
import type { SiteRenderContext } from '../synth/synthesize.js';
import { createBuildCache, type BuildCache } from './build/cache.js';
import { remoteRunner } from './build/run-cache.js';
import type { Finding } from './findings.js';
import { readManifestTree, type KnownFile } from './manifests.js';
import { RULES } from './policy/rules/index.js';
import { runRules } from './policy/run.js';
import type { AnyRule } from './policy/types.js';
import { annotationWaivers, applyWaivers, type Waiver } from './policy/waivers.js';
import { referenceFindings } from './refs.js';
import { documentLocator, schemaFindings } from './schema-findings.js';
import { buildSite, type SiteBuildContext } from './site-build.js';

/** Sites checked at once: while one waits for kustomize, another's checks run. */
export const SITES_IN_FLIGHT = 8;
/** Build requests a worker may have open with the calling thread (which runs them a few at a time). */
const REMOTE_REQUESTS = 64;

/** What checking one site needs from the run. */
export interface SiteValidation {
  readonly root: string;
  readonly clustersDir: string;
  readonly build: SiteBuildContext;
  readonly rules: readonly AnyRule[];
  readonly knownRules: ReadonlySet<string>;
  readonly today: string;
  readonly fleet: FleetSpec;
  /** The resolved inventory (absent when it does not load or resolve: then only what is committed is checked). */
  readonly resolved?: {
    readonly apps: ReadonlyMap<string, AppSpec>;
    readonly render: SiteRenderContext;
  };
}

/** One site to check; plan and inventory waivers when the inventory resolved and has the site. */
export interface SiteItem {
  readonly site: string;
  readonly plan?: SitePlan;
  readonly waivers?: readonly Waiver[];
}

export interface SiteResult {
  readonly findings: Finding[];
  readonly kustomizations: number;
  readonly objects: number;
}

/**
 * One site, start to end: its files against a fresh synth of it (drift), its committed manifests
 * (read back from what synth built when the file is what synth renders), strict schemas, references,
 * every Kustomization built and substituted, and the policy rules. Nothing of it outlives the call.
 */
export async function validateSite(ctx: SiteValidation, item: SiteItem): Promise<SiteResult> {
  const { site, plan: sitePlan } = item;
  const findings: Finding[] = [];
  const dir = join(ctx.clustersDir, site);
  const known = new Map<string, KnownFile>();
  const texts: FileTexts = new Map(); // each file of the site is read once, for drift and manifests
  if (ctx.resolved) {
    const wanted = new Map<string, string>();
    if (sitePlan) {
      for (const file of buildSiteFiles({ site: sitePlan, fleetFile: ctx.resolved.render.fleetFile, addonWorkloads: ctx.resolved.render.addonWorkloads })) {
        const content = renderFile(file);
        wanted.set(`${site}/${file.path}`, content);
        known.set(join(dir, file.path), { content, objects: fileDocuments(file) });
      }
    }
    findings.push(...driftFindings(ctx.root, ctx.clustersDir, wanted, [site], texts));
  }
  if (!existsSync(dir)) return { findings, kustomizations: 0, objects: 0 };
  const { allowedKinds } = ctx.build;
  const tree = readManifestTree(ctx.root, dir, known, texts);
  findings.push(...tree.findings.map((f) => ({ ...f, sites: [site] })));
  for (const doc of tree.docs) findings.push(...schemaFindings(doc.object, documentLocator(doc.source), { allowedKinds }, { sites: [site] }));
  findings.push(...referenceFindings(ctx.root, site, tree.docs, existsSync(join(dir, 'flux-system'))));
  const built = await buildSite(ctx.build, site, tree.docs);
  if (!ctx.resolved || !sitePlan || !item.waivers) {
    // no resolved inventory for this site: schema and build checks only
    findings.push(...built.findings);
  } else {
    const policy = runRules(ctx.rules, { site: sitePlan, fleet: ctx.fleet, apps: ctx.resolved.apps, objects: built.applied });
    const waivers = [...built.applied.flatMap((o) => annotationWaivers(o, site)), ...item.waivers];
    findings.push(...applyWaivers([...built.findings, ...policy], waivers, ctx.today, ctx.knownRules));
  }
  return { findings, kustomizations: built.kustomizations, objects: built.applied.length };
}

/** `run` over every item, at most `limit` at once, results in item order. */
export async function inOrder<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
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

export function driftFindings(root: string, clustersDir: string, wanted: ReadonlyMap<string, string>, scope: readonly string[], texts?: FileTexts): Finding[] {
  const change = diffClusters(clustersDir, wanted, scope, texts);
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

/** A run's settings as plain data, for a worker thread (rules by id, from the catalogue). */
export interface SharedValidation extends Omit<SiteValidation, 'build' | 'rules' | 'knownRules'> {
  readonly strict: boolean;
  readonly allowedKinds: readonly string[];
  readonly ruleIds: readonly string[];
}

/** A worker's own settings and build cache, made from the shared settings once per worker. */
const contexts = new WeakMap<SharedValidation, SiteValidation>();

/** The pool service through which workers share the calling thread's kustomize runs (`serveKustomize`). */
export const KUSTOMIZE_SERVICE = 'kustomize';

/**
 * Worker entry: a batch of sites, in order, a few in flight so kustomize runs overlap the checks. Builds
 * are run by the calling thread's cache (KUSTOMIZE_SERVICE), so each distinct build runs once per run,
 * not once per worker; what is made of a build is still kept per worker.
 */
export async function validateSites(shared: SharedValidation, items: readonly SiteItem[], services: PoolServices): Promise<SiteResult[]> {
  let ctx = contexts.get(shared);
  if (!ctx) {
    const byId = new Map(RULES.map((r) => [r.id, r]));
    const rules = shared.ruleIds.map((id) => byId.get(id) as AnyRule);
    // the calling thread limits how many kustomize processes run; here requests only wait for it
    const runner = remoteRunner((request) => services.call(KUSTOMIZE_SERVICE, request));
    const cache: BuildCache = createBuildCache({ runner, concurrency: REMOTE_REQUESTS });
    ctx = { ...shared, build: { root: shared.root, cache, strict: shared.strict, allowedKinds: new Set(shared.allowedKinds) }, rules, knownRules: new Set(shared.ruleIds) };
    contexts.set(shared, ctx);
  }
  const c = ctx;
  return inOrder(items, SITES_IN_FLIGHT, (item) => validateSite(c, item));
}
