import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/report/formatters/json.js';
import type { Finding } from '../../src/validate/findings.js';
import { SAMPLE_REPORT, WAIVED } from '../fixtures/report/sample-report.js';

const out = formatJson(SAMPLE_REPORT, { color: false });
const parsed = JSON.parse(out) as { summary: Record<string, number>; findings: Finding[]; waived: Finding[] };

describe('json format', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(out).toMatchFileSnapshot('./__snapshots__/sample.json');
  });

  it('summarises active findings, counts waived apart, and says what was checked, in a stable key order', () => {
    expect(Object.entries(parsed.summary)).toEqual([
      ['errors', 2],
      ['warnings', 2],
      ['waived', 1],
      ['sites', 8],
      ['kustomizations', 27],
      ['objects', 143],
    ]);
    expect(Object.keys(parsed)).toEqual(['summary', 'findings', 'waived']);
  });

  it('lists active findings in the report order and waived ones apart, unchanged', () => {
    expect(parsed.findings).toEqual(SAMPLE_REPORT.findings.filter((f) => !f.waived));
    expect(parsed.findings.map((f) => f.ruleId)).toEqual(['kubernetes-version', 'schema', 'substitution', 'drift']);
    expect(parsed.waived).toEqual([WAIVED]);
  });
});
