import { sitesLabel } from '../report/finding-text.js';
import { cmp } from '../util/errors.js';

/**
 * Merging the SARIF logs of a sharded `validate --format sarif` into one log with one run, as if
 * validate had checked every site at once: GitHub code scanning takes one run per tool and category in
 * an upload, and a finding in a shared base (reported by every shard with that shard's sites) must stay
 * one alert listing every affected site.
 */

type Json = Record<string, unknown>;

export interface SarifLog {
  readonly $schema?: string;
  readonly version: '2.1.0';
  readonly runs: readonly Json[];
}

/** A log that is not SARIF 2.1.0 as edgefleet writes it, or logs of different tools. */
export class SarifMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SarifMergeError';
  }
}

interface Entry {
  readonly result: Json;
  readonly base: string | undefined;
  readonly sites: Set<string>;
  readonly via: Set<string>;
}

export function mergeSarifLogs(logs: readonly unknown[], names: readonly string[] = logs.map((_, i) => `log #${i + 1}`)): SarifLog {
  const runs = logs.flatMap((log, i) => runsOf(log, names[i] ?? `log #${i + 1}`));
  const first = runs[0];
  if (!first) throw new SarifMergeError('no SARIF logs to merge');
  const driverOf = (run: Json): Json => ((run.tool as Json).driver as Json);
  const tool = driverOf(first).name;
  const other = runs.find((r) => driverOf(r).name !== tool);
  if (other) throw new SarifMergeError(`cannot merge runs of different tools: "${String(tool)}" and "${String(driverOf(other).name)}"`);

  const rules = new Map<string, Json>();
  const entries = new Map<string, Entry>();
  for (const run of runs) {
    const runRules = (driverOf(run).rules as Json[] | undefined) ?? [];
    for (const rule of runRules) if (!rules.has(String(rule.id))) rules.set(String(rule.id), rule);
    for (const result of (run.results as Json[] | undefined) ?? []) {
      const props = (result.properties as Json | undefined) ?? {};
      const sites = stringList(props.sites);
      const base = baseMessage(result, sites);
      const key = identity(result, base, sites);
      const entry = entries.get(key);
      if (entry) {
        sites.forEach((s) => entry.sites.add(s));
        stringList(props.via).forEach((v) => entry.via.add(v));
      } else entries.set(key, { result, base, sites: new Set(sites), via: new Set(stringList(props.via)) });
    }
  }

  const ruleList = [...rules.values()].sort((a, b) => cmp(String(a.id), String(b.id)));
  const index = new Map(ruleList.map((r, i) => [String(r.id), i]));
  const results = [...entries.values()].sort(compareEntries).map((e) => rebuild(e, index));
  const log = logs[0] as Json;
  return {
    ...(typeof log.$schema === 'string' ? { $schema: log.$schema } : {}),
    version: '2.1.0',
    runs: [{ ...first, tool: { ...(first.tool as Json), driver: { ...driverOf(first), rules: ruleList } }, results }],
  };
}

function runsOf(log: unknown, name: string): Json[] {
  const l = log as Json | null;
  if (typeof l !== 'object' || l === null || l.version !== '2.1.0' || !Array.isArray(l.runs)) throw new SarifMergeError(`${name}: not a SARIF 2.1.0 log`);
  for (const run of l.runs as unknown[]) {
    const driver = ((run as Json | null)?.tool as Json | undefined)?.driver as Json | undefined;
    if (typeof driver?.name !== 'string') throw new SarifMergeError(`${name}: a run has no tool.driver.name`);
  }
  return l.runs as Json[];
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/** The message without the ` (3 sites: …)` the SARIF formatter appends; undefined if it is not there. */
function baseMessage(result: Json, sites: readonly string[]): string | undefined {
  const text = String(((result.message as Json | undefined) ?? {}).text ?? '');
  if (sites.length === 0) return text;
  const suffix = ` (${sitesLabel(sites)})`;
  return text.endsWith(suffix) ? text.slice(0, -suffix.length) : undefined;
}

/**
 * Two results are the same finding when everything but their sites (and Kustomizations) is equal. A
 * message whose sites suffix is not recognised keeps its sites in the key, so it is never merged wrongly.
 */
function identity(result: Json, base: string | undefined, sites: readonly string[]): string {
  const { ruleIndex: _index, message: _message, properties, ...rest } = result;
  const { sites: _sites, via: _via, ...props } = (properties as Json | undefined) ?? {};
  return JSON.stringify([base ?? ['unmerged', sites, (result.message as Json | undefined)?.text], rest, props]);
}

function rebuild(e: Entry, index: ReadonlyMap<string, number>): Json {
  const sites = [...e.sites].sort(cmp);
  const via = [...e.via].sort(cmp);
  const text = e.base === undefined ? String((e.result.message as Json).text) : `${e.base}${sites.length > 0 ? ` (${sitesLabel(sites)})` : ''}`;
  const props = e.result.properties as Json | undefined;
  return {
    ...e.result,
    ...(typeof e.result.ruleId === 'string' && index.has(e.result.ruleId) ? { ruleIndex: index.get(e.result.ruleId) } : {}),
    message: { ...(e.result.message as Json), text },
    ...(props ? { properties: { ...props, sites, ...(via.length > 0 ? { via } : {}) } } : {}),
  };
}

/** The order validate reports in (first site, file, line, column, rule, field path, message). */
function compareEntries(a: Entry, b: Entry): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  return (
    cmp(ka.site, kb.site) ||
    cmp(ka.file, kb.file) ||
    ka.line - kb.line ||
    ka.column - kb.column ||
    cmp(ka.rule, kb.rule) ||
    cmp(ka.jsonPath, kb.jsonPath) ||
    cmp(ka.message, kb.message)
  );
}

function sortKey(e: Entry): { site: string; file: string; line: number; column: number; rule: string; jsonPath: string; message: string } {
  const r = e.result;
  const props = (r.properties as Json | undefined) ?? {};
  const physical = (((r.locations as Json[] | undefined) ?? [])[0]?.physicalLocation as Json | undefined) ?? {};
  const region = (physical.region as Json | undefined) ?? {};
  const uri = String(((physical.artifactLocation as Json | undefined) ?? {}).uri ?? '');
  return {
    site: [...e.sites].sort(cmp)[0] ?? '',
    file: safeDecode(uri),
    line: Number(region.startLine ?? 0),
    column: Number(region.startColumn ?? 0),
    rule: String(r.ruleId ?? ''),
    jsonPath: String(props.jsonPath ?? ''),
    message: e.base ?? String(((r.message as Json | undefined) ?? {}).text ?? ''),
  };
}

function safeDecode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
