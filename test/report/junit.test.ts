import { describe, expect, it } from 'vitest';
import { formatJunit } from '../../src/report/formatters/junit.js';
import type { Report } from '../../src/report/formatters/types.js';
import type { Finding } from '../../src/validate/findings.js';
import { EMPTY_REPORT, SAMPLE_REPORT, SCHEMA_IN_SHARED_BASE, SUBSTITUTION_WARNING, WAIVED } from '../fixtures/report/sample-report.js';
import { all, parseXml, type XmlElement } from './xml-check.js';

const out = formatJunit(SAMPLE_REPORT, { color: false });
const root = parseXml(out);
const suites = all(root, 'testsuite');
const suite = (name: string): XmlElement => suites.find((s) => s.attrs.name === name)!;

describe('junit format', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(out).toMatchFileSnapshot('./__snapshots__/sample.junit.xml');
  });

  it('is well-formed XML with one suite per site and one for fleet-wide findings, last', () => {
    expect(root.name).toBe('testsuites');
    expect(suites.map((s) => s.attrs.name)).toEqual(['austin-pos-02', 'berlin-kiosk-03', 'fra-inference-01', 'lyon-pos-01', 'ohio-gw-02', 'oslo-gw-03', 'fleet-wide']);
  });

  it('a shared-base error fails in each of its sites, as a test case named by rule, object and field', () => {
    for (const site of SCHEMA_IN_SHARED_BASE.sites) {
      const [tc] = all(suite(site), 'testcase');
      expect(tc!.attrs).toEqual({ name: 'schema: Deployment pos-api/pos-api spec.template.spec.containers[0].imagePullPolicyy', classname: 'apps/pos-api/base/deployment.yaml' });
      const [failure] = all(tc!, 'failure');
      expect(failure!.attrs).toEqual({ message: `${SCHEMA_IN_SHARED_BASE.jsonPath}: ${SCHEMA_IN_SHARED_BASE.message}`, type: 'schema' });
      expect(failure!.text.split('\n')[0]).toBe(`apps/pos-api/base/deployment.yaml:22:11: error [schema] ${SCHEMA_IN_SHARED_BASE.jsonPath}: ${SCHEMA_IN_SHARED_BASE.message}`);
    }
  });

  it('a warning passes, its text in system-out; a waived finding is skipped with reason and expiry', () => {
    const [warning] = all(suite('ohio-gw-02'), 'testcase');
    expect(warning!.children.map((c) => c.name)).toEqual(['system-out']);
    expect(warning!.children[0]!.text).toContain(`warning [substitution] ${SUBSTITUTION_WARNING.jsonPath}: ${SUBSTITUTION_WARNING.message}`);
    const [waived] = all(suite('fra-inference-01'), 'testcase');
    expect(waived!.children.map((c) => c.name)).toEqual(['skipped']);
    expect(waived!.children[0]!.attrs.message).toBe(`waived: ${WAIVED.waived!.reason} (expires 2026-03-31; waived at sites/fra-inference-01.yaml:34)`);
  });

  it('counts in the attributes are those of the test cases below them', () => {
    for (const s of [...suites, root]) {
      const cases = all(s, 'testcase');
      expect(Number(s.attrs.tests), s.attrs.name).toBe(cases.length);
      expect(Number(s.attrs.failures), s.attrs.name).toBe(cases.filter((c) => c.children.some((x) => x.name === 'failure')).length);
      expect(Number(s.attrs.skipped), s.attrs.name).toBe(cases.filter((c) => c.children.some((x) => x.name === 'skipped')).length);
      expect(s.attrs.errors).toBe('0');
    }
    // 2 errors: the shared-base one in 3 sites, drift in 1.
    expect(root.attrs).toMatchObject({ tests: '7', failures: '4', skipped: '1' });
  });

  it('escapes <, &, quotes and newlines, and keeps a control character visible but legal', () => {
    const nasty: Finding = {
      ...SCHEMA_IN_SHARED_BASE,
      message: `expected <quantity> & got "5 cores" or '5c'\nsecond line\u0007bell ]]> end`,
      file: 'apps/a&b/<x>.yaml',
      jsonPath: 'data["k"]',
      sites: ['s&1'],
    };
    const xml = formatJunit({ findings: [nasty, { ...nasty, severity: 'warning' }, { ...nasty, waived: { reason: 'because <"&">', by: 'x:1' } }], stats: SAMPLE_REPORT.stats }, { color: false });
    const parsed = parseXml(xml); // throws on anything not well-formed
    expect(xml).not.toContain('\u0007');
    const expected = `data["k"]: expected <quantity> & got "5 cores" or '5c'\nsecond line\\u0007bell ]]> end`;
    const [failure] = all(parsed, 'failure');
    expect(failure!.attrs.message).toBe(expected);
    expect(failure!.text).toContain(`apps/a&b/<x>.yaml:22:11: error [schema] ${expected}`);
    expect(all(parsed, 'system-out')[0]!.text).toContain(expected);
    expect(all(parsed, 'skipped')[0]!.attrs.message).toBe('waived: because <"&"> (waived at x:1)');
    expect(all(parsed, 'testsuite')[0]!.attrs.name).toBe('s&1');
    expect(all(parsed, 'testcase')[0]!.attrs.classname).toBe('apps/a&b/<x>.yaml');
  });

  it('with no findings, one passing test case, as consumers reject an empty report', () => {
    const parsed = parseXml(formatJunit(EMPTY_REPORT, { color: false }));
    expect(parsed.attrs).toMatchObject({ tests: '1', failures: '0', skipped: '0' });
    expect(all(parsed, 'testcase').map((t) => [t.attrs.name, t.children.length])).toEqual([['validate: 8 site(s), 27 Flux Kustomization(s), 143 built object(s)', 0]]);
  });

  it('a finding about a whole file is named by rule and place', () => {
    const report: Report = { findings: [{ ...SCHEMA_IN_SHARED_BASE, ruleId: 'yaml', object: undefined, jsonPath: '', line: 4 }], stats: SAMPLE_REPORT.stats };
    expect(all(parseXml(formatJunit(report, { color: false })), 'testcase')[0]!.attrs.name).toBe('yaml: apps/pos-api/base/deployment.yaml:4');
  });
});
