import { describe, expect, it } from 'vitest';
import { cell, formatMarkdown, MAX_ROWS } from '../../src/report/formatters/markdown.js';
import type { Finding } from '../../src/validate/findings.js';
import { KUBERNETES_VERSION, SAMPLE_REPORT, SCHEMA_IN_SHARED_BASE, SUBSTITUTION_WARNING } from '../fixtures/report/sample-report.js';

const out = formatMarkdown(SAMPLE_REPORT, { color: false });
const GITHUB_COMMENT_LIMIT = 65_536;

describe('markdown format', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(out).toMatchFileSnapshot('./__snapshots__/sample.md');
  });

  it('a verdict heading and the summary table', () => {
    expect(out.startsWith('## ❌ edgefleet validate: 2 errors\n\n| Errors | Warnings | Waived | Sites checked |\n|---:|---:|---:|---:|\n| 2 | 2 | 1 | 8 |\n')).toBe(true);
    const warningsOnly = formatMarkdown({ ...SAMPLE_REPORT, findings: [KUBERNETES_VERSION, SUBSTITUTION_WARNING] }, { color: false });
    expect(warningsOnly.split('\n')[0]).toBe('## ✅ edgefleet validate: no errors');
  });

  it('a row per active finding; the shared-base error is this row', () => {
    expect(out).toContain(
      '\n| ❌ error | `schema` | `apps/pos-api/base/deployment.yaml:22:11` | spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?) | austin-pos-02, berlin-kiosk-03, lyon-pos-01 |\n',
    );
    expect(out).toContain('| ⚠️ warning | `kubernetes-version` | `fleet.yaml:12:22` |');
    expect(out).toMatch(/\| fleet-wide \|\n/);
  });

  it('waived findings in a collapsed <details>, with reason and expiry, not in the findings table', () => {
    const [findings, details] = out.split('<details>');
    expect(findings).not.toContain('no-privileged');
    expect(details).toMatch(/^\n<summary>1 waived finding<\/summary>\n\n\| Severity \| Rule \|/);
    expect(details).toContain('| GPU driver needs device access until the vendor ships a rootless image | 2026-03-31 |');
    expect(details!.trimEnd().endsWith('\n\n</details>')).toBe(true);
  });

  it('escapes | and newlines in cells, and keeps HTML in a message as text', () => {
    expect(cell('a | b\nc\r\nd <script>&')).toBe('a \\| b<br>c<br>d &lt;script&gt;&amp;');
    const f: Finding = { ...SCHEMA_IN_SHARED_BASE, message: 'x | y\nz', file: 'a|b.yaml' };
    const md = formatMarkdown({ findings: [f], stats: SAMPLE_REPORT.stats }, { color: false });
    const row = md.split('\n').find((l) => l.startsWith('| ❌'))!;
    expect(row).toBe('| ❌ error | `schema` | `a\\|b.yaml:22:11` | spec.template.spec.containers[0].imagePullPolicyy: x \\| y<br>z | austin-pos-02, berlin-kiosk-03, lyon-pos-01 |');
    // Five cells: every | left unescaped is a cell border.
    expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
  });

  it('stays well under GitHub’s comment limit with 5,000 findings, saying how many are not shown', () => {
    const many: Finding[] = Array.from({ length: 5000 }, (_, i) => ({
      ...SCHEMA_IN_SHARED_BASE,
      line: i + 1,
      message: `problem ${i}: ${'very long explanation '.repeat(40)}`,
      sites: Array.from({ length: 40 }, (_, s) => `site-${s}`),
      ...(i % 2 === 0 ? { waived: { reason: 'r'.repeat(1000), expires: '2030-01-01', by: 'sites/x.yaml:1' } } : {}),
    }));
    const md = formatMarkdown({ findings: many, stats: SAMPLE_REPORT.stats }, { color: false });
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    const rows = md.split('\n').filter((l) => l.startsWith('| ❌ error |'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(MAX_ROWS);
    expect(md).toContain(`\n… and ${2500 - rows.length} more\n`);
    expect(md).toContain('<summary>2500 waived findings</summary>');
    expect(md).toMatch(/… and \d+ more\n\n<\/details>\n$/);
  });

  it('shows the first 100 rows of short findings, then the count of the rest', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ ...KUBERNETES_VERSION, line: i + 1 }));
    const md = formatMarkdown({ findings: many, stats: SAMPLE_REPORT.stats }, { color: false });
    expect(md.split('\n').filter((l) => l.startsWith('| ⚠️ warning |'))).toHaveLength(100);
    expect(md.trimEnd().endsWith('… and 50 more')).toBe(true);
  });
});
