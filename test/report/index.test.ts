import { describe, expect, it } from 'vitest';
import { FORMATS, formatterFor } from '../../src/report/formatters/index.js';
import { UsageError } from '../../src/util/errors.js';
import { SAMPLE_REPORT } from '../fixtures/report/sample-report.js';

describe('formatterFor', () => {
  it('knows every format of the issue, sorted, for the CLI help', () => {
    expect(FORMATS).toEqual(['github', 'json', 'junit', 'markdown', 'sarif', 'text']);
  });

  it('gives a formatter for each that renders the sample report', () => {
    for (const name of FORMATS) expect(formatterFor(name)(SAMPLE_REPORT, { color: false }).length, name).toBeGreaterThan(100);
  });

  it('rejects an unknown format with a usage error listing the known ones', () => {
    expect(() => formatterFor('xml')).toThrow(UsageError);
    expect(() => formatterFor('xml')).toThrow('unknown format "xml" (known: github, json, junit, markdown, sarif, text)');
  });

  it('does not take an inherited property for a format', () => {
    expect(() => formatterFor('toString')).toThrow(UsageError);
    expect(() => formatterFor('__proto__')).toThrow(UsageError);
  });
});
