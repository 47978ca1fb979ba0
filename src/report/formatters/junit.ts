import type { Finding } from '../../validate/findings.js';
import { abbreviate, describeObject, location, messageWithPath, sitesLabel, waiverText } from '../finding-text.js';
import { xmlAttr, xmlText } from '../xml.js';
import type { Formatter } from './types.js';

const FLEET_WIDE = 'fleet-wide';

/**
 * JUnit XML for CI test-report views: a <testsuite> per site (a finding in a shared base is a test case in
 * each affected site's suite, so every site that would fail shows red) and one for fleet-wide findings.
 * - error → <failure>.
 * - warning → a passing test case whose <system-out> carries the warning. JUnit has no warning state; a
 *   failure would turn a run that exits 0 red, and <skipped> already means "waived". So the report agrees
 *   with the exit code, and the warning is still there to read in the test's output.
 * - waived → <skipped message="waived: reason (expires …)">.
 * Counts on <testsuites> are sums over the suites (a shared-base finding counts once per site).
 * With no findings at all there is one passing test case, as report consumers reject an empty report.
 */
export const formatJunit: Formatter = (report) => {
  const suites = new Map<string, Finding[]>();
  const add = (name: string, f: Finding): void => {
    suites.set(name, [...(suites.get(name) ?? []), f]);
  };
  for (const f of report.findings) {
    if (f.sites.length === 0) add(FLEET_WIDE, f);
    else for (const site of f.sites) add(site, f);
  }
  const names = [...suites.keys()].filter((n) => n !== FLEET_WIDE).sort();
  if (suites.has(FLEET_WIDE)) names.push(FLEET_WIDE);

  const rendered = names.map((name) => suite(name, suites.get(name) ?? []));
  if (rendered.length === 0) {
    const { sites, kustomizations, objects } = report.stats;
    rendered.push({
      tests: 1,
      failures: 0,
      skipped: 0,
      xml: [
        `  <testsuite name="${FLEET_WIDE}" tests="1" failures="0" errors="0" skipped="0">`,
        `    <testcase name="${xmlAttr(`validate: ${sites} site(s), ${kustomizations} Flux Kustomization(s), ${objects} built object(s)`)}" classname="edgefleet"/>`,
        '  </testsuite>',
      ].join('\n'),
    });
  }
  const total = (k: 'tests' | 'failures' | 'skipped'): number => rendered.reduce((n, s) => n + s[k], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="edgefleet validate" tests="${total('tests')}" failures="${total('failures')}" errors="0" skipped="${total('skipped')}">`,
    ...rendered.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
};

interface Suite {
  readonly tests: number;
  readonly failures: number;
  readonly skipped: number;
  readonly xml: string;
}

function suite(name: string, findings: readonly Finding[]): Suite {
  const failures = findings.filter((f) => !f.waived && f.severity === 'error').length;
  const skipped = findings.filter((f) => f.waived).length;
  return {
    tests: findings.length,
    failures,
    skipped,
    xml: [
      `  <testsuite name="${xmlAttr(name)}" tests="${findings.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
      ...findings.map(testcase),
      '  </testsuite>',
    ].join('\n'),
  };
}

function testcase(f: Finding): string {
  const open = `    <testcase name="${xmlAttr(caseName(f))}" classname="${xmlAttr(f.file)}"`;
  if (f.waived) return `${open}>\n      <skipped message="${xmlAttr(`waived: ${waiverText(f)}`)}"/>\n    </testcase>`;
  if (f.severity === 'error') return `${open}>\n      <failure message="${xmlAttr(messageWithPath(f))}" type="${xmlAttr(f.ruleId)}">${xmlText(details(f))}</failure>\n    </testcase>`;
  return `${open}>\n      <system-out>${xmlText(details(f))}</system-out>\n    </testcase>`;
}

/** `schema: Deployment pos/pos-api spec.replicas`: rule, object and field (stable across commits, for test history); rule and place for a finding about a whole file. */
function caseName(f: Finding): string {
  const what = [f.object ? describeObject(f.object) : '', f.jsonPath].filter(Boolean).join(' ');
  return `${f.ruleId}: ${what || `${f.file}:${f.line}`}`;
}

function details(f: Finding): string {
  return [
    `${location(f)}: ${f.severity} [${f.ruleId}] ${messageWithPath(f)}`,
    ...(f.object ? [`object: ${describeObject(f.object)}`] : []),
    sitesLabel(f.sites),
    ...(f.via && f.via.length > 0 ? [`via ${abbreviate(f.via)}`] : []),
  ].join('\n');
}
