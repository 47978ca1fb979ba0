import { describe, expect, it } from 'vitest';
import { formatText } from '../../src/report/formatters/text.js';
import { DRIFT, SAMPLE_REPORT, SCHEMA_IN_SHARED_BASE, WAIVED } from '../fixtures/report/sample-report.js';

const out = formatText(SAMPLE_REPORT, { color: false });
const sections = out.trimEnd().split('\n\n');

describe('text format', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(out).toMatchFileSnapshot('./__snapshots__/sample.txt');
  });

  it('has a heading per site set, fleet-wide after the sites, waived last, then the summary', () => {
    expect(sections.map((s) => s.split('\n')[0])).toEqual([
      '3 sites: austin-pos-02, berlin-kiosk-03, lyon-pos-01',
      'site ohio-gw-02',
      'site oslo-gw-03',
      'fleet-wide',
      'waived (1)',
      '2 error(s), 2 warning(s), 1 waived — 8 site(s), 27 Flux Kustomization(s), 143 built object(s) checked',
    ]);
  });

  it('lists a finding of a shared base once, under the heading naming all its sites', () => {
    expect(out.split(`${SCHEMA_IN_SHARED_BASE.file}:22:11`)).toHaveLength(2);
    expect(sections[0]).toBe(
      [
        '3 sites: austin-pos-02, berlin-kiosk-03, lyon-pos-01',
        '  apps/pos-api/base/deployment.yaml:22:11: error [schema] spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?)',
        '      Deployment pos-api/pos-api · via austin-pos-02/app-pos-api, berlin-kiosk-03/app-pos-api, lyon-pos-01/app-pos-api',
      ].join('\n'),
    );
  });

  it('gives a finding without object or field one line', () => {
    expect(sections[2]).toBe(`site oslo-gw-03\n  ${DRIFT.file}:1:1: error [drift] ${DRIFT.message}`);
  });

  it('lists waived findings apart with reason, expiry and where the waiver is, and does not count them', () => {
    expect(sections[4]).toContain(`error [no-privileged]`);
    expect(sections[4]).toContain('site fra-inference-01');
    expect(sections[4]).toContain(`${WAIVED.waived?.reason} (expires 2026-03-31; waived at sites/fra-inference-01.yaml:34)`);
    expect(sections.slice(0, 4).join('\n')).not.toContain('no-privileged');
  });

  it('colours only when asked (on a TTY)', () => {
    expect(out).not.toContain('\x1b[');
    const coloured = formatText(SAMPLE_REPORT, { color: true });
    expect(coloured).toContain('\x1b[31merror\x1b[0m');
    expect(coloured).toContain('\x1b[33mwarning\x1b[0m');
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(out);
  });

  it('says only the summary when there is nothing to say', () => {
    expect(formatText({ findings: [], stats: { sites: 2, kustomizations: 4, objects: 9 } }, { color: false })).toBe(
      '0 error(s), 0 warning(s) — 2 site(s), 4 Flux Kustomization(s), 9 built object(s) checked\n',
    );
  });

  it('abbreviates a long list of sites in a heading', () => {
    const sites = Array.from({ length: 8 }, (_, i) => `site-${i}`);
    const text = formatText({ findings: [{ ...DRIFT, sites }], stats: SAMPLE_REPORT.stats }, { color: false });
    expect(text.split('\n')[0]).toBe('8 sites: site-0, site-1, site-2, site-3, site-4 and 3 more');
  });
});
