import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSarif } from '../../src/report/formatters/sarif.js';
import type { Report } from '../../src/report/formatters/types.js';
import { mergeSarifLogs, SarifMergeError } from '../../src/shard/merge-sarif.js';
import { shardSites } from '../../src/shard/shard.js';
import { compareFindings, type Finding } from '../../src/validate/findings.js';

const SITES = ['austin-pos-02', 'berlin-kiosk-03', 'det-inference-02', 'fra-inference-01', 'lyon-pos-01', 'ohio-gw-02', 'oslo-gw-03', 'rotterdam-gw-01'];
const STATS = { sites: 0, kustomizations: 0, objects: 0 };

function sarif(findings: readonly Finding[]): unknown {
  const report: Report = { findings: [...findings].sort(compareFindings), stats: STATS, toolVersion: '0.0.0-test' };
  return JSON.parse(formatSarif(report, { color: false }));
}

/** What `validate --shard i/n` reports: each finding restricted to the shard's sites; fleet-wide ones in every shard. */
function shardOf(findings: readonly Finding[], sites: readonly string[]): Finding[] {
  const mine = new Set(sites);
  return findings.flatMap((f) => {
    if (f.sites.length === 0) return [f];
    const kept = f.sites.filter((s) => mine.has(s));
    if (kept.length === 0) return [];
    const via = f.via?.filter((v) => mine.has(v.split('/')[0]!));
    return [{ ...f, sites: kept, ...(via ? { via } : {}) }];
  });
}

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'schema',
  severity: 'error',
  message: 'unknown field "replica"',
  file: 'apps/pos-api/base/deployment.yaml',
  line: 12,
  column: 3,
  jsonPath: 'spec.replica',
  sites: [],
  ...over,
});

describe('mergeSarifLogs', () => {
  it('makes one finding of a shared-base finding that several shards report, listing every site', () => {
    const shared = finding({ sites: SITES, via: SITES.map((s) => `${s}/app-pos-api`), object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'pos', name: 'pos-api' } });
    const local = finding({ ruleId: 'drift', message: 'differs from a fresh synth', file: 'clusters/oslo-gw-03/apps/telemetry.yaml', line: 0, column: 0, jsonPath: '', sites: ['oslo-gw-03'] });
    const fleetWide = finding({ ruleId: 'kubernetes-version', severity: 'warning', message: 'fleet targets 1.31', file: 'fleet.yaml', line: 4, column: 22, jsonPath: 'spec.kubernetesVersion' });
    const all = [shared, local, fleetWide];
    const shards = [1, 2, 3].map((i) => sarif(shardOf(all, shardSites(SITES, `${i}/3`))));

    const merged = mergeSarifLogs(shards);
    expect(merged).toEqual(sarif(all));
    const results = (merged.runs[0] as { results: { message: { text: string } }[] }).results;
    expect(results).toHaveLength(3);
    expect(results.map((r) => r.message.text)).toContain('spec.replica: unknown field "replica" (8 sites: austin-pos-02, berlin-kiosk-03, det-inference-02, fra-inference-01, lyon-pos-01 and 3 more)');
  });

  it('equals the SARIF of an unsharded run, for any findings and shard count (property)', () => {
    const site = fc.constantFrom(...SITES);
    const arbFinding = fc.record({
      ruleId: fc.constantFrom('schema', 'drift', 'build', 'reference', 'substitution'),
      severity: fc.constantFrom('error' as const, 'warning' as const),
      message: fc.string({ maxLength: 20 }),
      file: fc.constantFrom('apps/pos-api/base/deployment.yaml', 'sites/lyon-pos-01.yaml', 'clusters/x/apps/a b.yaml', 'fleet.yaml'),
      column: fc.integer({ min: 0, max: 40 }),
      jsonPath: fc.constantFrom('', 'spec.replicas', 'metadata.name'),
      sites: fc.uniqueArray(site, { maxLength: SITES.length }).map((s) => s.sort()),
      withVia: fc.boolean(),
      waived: fc.option(fc.record({ reason: fc.string({ minLength: 1, maxLength: 10 }), by: fc.constant('sites/lyon-pos-01.yaml:9') }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbFinding, { maxLength: 25 }), fc.integer({ min: 1, max: 10 }), (drawn, total) => {
        // A distinct line per finding: two findings equal in every sort key would have no defined order.
        const all = drawn.map(({ withVia, waived, ...f }, i): Finding => ({
          ...f,
          line: i + 1,
          ...(withVia && f.sites.length > 0 ? { via: f.sites.map((s) => `${s}/app-x`) } : {}),
          ...(waived ? { waived } : {}),
        }));
        const shards = Array.from({ length: total }, (_, k) => sarif(shardOf(all, shardSites(SITES, `${k + 1}/${total}`))));
        expect(mergeSarifLogs(shards)).toEqual(sarif(all));
      }),
    );
  });

  it('keeps one run with every rule, re-indexed', () => {
    const a = sarif([finding({ ruleId: 'yaml', sites: ['lyon-pos-01'] })]);
    const b = sarif([finding({ ruleId: 'build', sites: ['oslo-gw-03'] })]);
    const run = mergeSarifLogs([a, b]).runs[0] as { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number }[] };
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['build', 'yaml']);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
  });

  it('leaves a result whose message it does not recognise unmerged, rather than merging it wrongly', () => {
    const a = sarif([finding({ sites: ['lyon-pos-01'] })]) as { runs: { results: { message: { text: string } }[] }[] };
    const b = sarif([finding({ sites: ['oslo-gw-03'] })]) as typeof a;
    a.runs[0]!.results[0]!.message.text = 'reworded by a newer formatter';
    const results = (mergeSarifLogs([a, b]).runs[0] as { results: unknown[] }).results;
    expect(results).toHaveLength(2);
  });

  it('rejects what is not SARIF 2.1.0, and runs of different tools', () => {
    expect(() => mergeSarifLogs([])).toThrow(SarifMergeError);
    expect(() => mergeSarifLogs([{ version: '2.0.0', runs: [] }], ['a.sarif'])).toThrow('a.sarif: not a SARIF 2.1.0 log');
    expect(() => mergeSarifLogs([{ version: '2.1.0', runs: [{ tool: {} }] }], ['b.sarif'])).toThrow('b.sarif: a run has no tool.driver.name');
    const other = { version: '2.1.0', runs: [{ tool: { driver: { name: 'kube-linter' } }, results: [] }] };
    expect(() => mergeSarifLogs([sarif([]), other])).toThrow('cannot merge runs of different tools: "edgefleet" and "kube-linter"');
  });
});
