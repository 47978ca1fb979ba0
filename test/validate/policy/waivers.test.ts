import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/validate/findings.js';
import { applyWaivers, type Waiver } from '../../../src/validate/policy/waivers.js';

const finding: Finding = {
  ruleId: 'security-image-pinned',
  severity: 'error',
  message: 'image is not pinned',
  file: 'apps/pos-api/base/deployment.yaml',
  line: 20,
  column: 18,
  jsonPath: 'spec.template.spec.containers[0].image',
  object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'pos-api', name: 'pos-api' },
  sites: ['lyon-pos-01'],
};
const waiver = (w: Partial<Waiver>): Waiver => ({
  rule: 'security-image-pinned',
  reason: 'vendor image has no digest yet',
  by: 'sites/lyon-pos-01.yaml:30',
  location: { file: 'sites/lyon-pos-01.yaml', line: 30, column: 7 },
  sites: ['lyon-pos-01'],
  ...w,
});
const known = new Set(['security-image-pinned']);
const TODAY = '2026-11-26';

describe('waivers', () => {
  it('marks a covered finding as waived, with its reason and expiry', () => {
    const out = applyWaivers([finding], [waiver({ expires: '2027-03-01' })], TODAY, known);
    expect(out).toEqual([{ ...finding, waived: { reason: 'vendor image has no digest yet', expires: '2027-03-01', by: 'sites/lyon-pos-01.yaml:30' } }]);
  });

  it('leaves findings of other rules, sites and objects alone', () => {
    expect(applyWaivers([finding], [waiver({ rule: 'other', expires: '2027-03-01' })], TODAY, new Set(['other', 'security-image-pinned']))).toEqual([finding]);
    expect(applyWaivers([finding], [waiver({ sites: ['austin-pos-02'], expires: '2027-03-01' })], TODAY, known)).toEqual([finding]);
    expect(applyWaivers([finding], [waiver({ object: { kind: 'Deployment', name: 'other' }, expires: '2027-03-01' })], TODAY, known)).toEqual([finding]);
  });

  it('reports an expired waiver as an error and does not apply it', () => {
    const out = applyWaivers([finding], [waiver({ expires: '2026-11-25' })], TODAY, known);
    expect(out).toContainEqual(finding);
    expect(out.find((f) => f.ruleId === 'waiver')).toMatchObject({ severity: 'error', file: 'sites/lyon-pos-01.yaml', line: 30, message: expect.stringContaining('expired on 2026-11-25') });
  });

  it('reports a waiver without a reason as an error', () => {
    const out = applyWaivers([finding], [waiver({ reason: '' })], TODAY, known);
    expect(out.find((f) => f.ruleId === 'waiver')).toMatchObject({ severity: 'error', message: expect.stringContaining('no reason') });
    expect(out).toContainEqual(finding);
  });

  it('warns about a waiver expiring within 14 days, and still applies it', () => {
    const out = applyWaivers([finding], [waiver({ expires: '2026-12-05' })], TODAY, known);
    expect(out.find((f) => f.ruleId === 'waiver')).toMatchObject({ severity: 'warning', message: expect.stringContaining('expires in 9 day(s)') });
    expect(out.find((f) => f.ruleId === finding.ruleId)?.waived).toBeDefined();
    // The day after the window, no warning.
    expect(applyWaivers([finding], [waiver({ expires: '2026-12-11' })], TODAY, known).some((f) => f.ruleId === 'waiver')).toBe(false);
  });

  it('rejects a waiver for a rule that does not exist', () => {
    const out = applyWaivers([finding], [waiver({ rule: 'no-such-rule', expires: '2027-01-01' })], TODAY, known);
    expect(out.find((f) => f.ruleId === 'waiver')?.message).toContain('unknown rule "no-such-rule"');
  });
});
