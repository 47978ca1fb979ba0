import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, formatGithub } from '../../src/report/formatters/github.js';
import type { Finding } from '../../src/validate/findings.js';
import { DRIFT, SAMPLE_REPORT, SCHEMA_IN_SHARED_BASE } from '../fixtures/report/sample-report.js';

const out = formatGithub(SAMPLE_REPORT, { color: false });
const lines = out.trimEnd().split('\n');

/** What the Actions runner does with a command: split at the first `::` after the properties, unescape. */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const m = /^::(\w+) ([^:]*)::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string): string => s.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%3A', ':').replaceAll('%2C', ',').replaceAll('%25', '%');
  const properties = Object.fromEntries(m[2]!.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), unescape(kv.slice(kv.indexOf('=') + 1))]));
  return { command: m[1]!, properties, message: unescape(m[3]!) };
}

describe('github format', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(out).toMatchFileSnapshot('./__snapshots__/sample.github.txt');
  });

  it('one workflow command per finding, in the report order, then a plain summary line', () => {
    expect(lines).toHaveLength(SAMPLE_REPORT.findings.length + 1);
    expect(lines.slice(0, -1).map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::warning', '::error', '::notice', '::warning', '::error']);
    expect(lines.at(-1)).toBe('edgefleet validate: 2 error(s), 2 warning(s), 1 waived');
  });

  it('the shared-base error is exactly this line', () => {
    expect(lines[1]).toBe(
      '::error file=apps/pos-api/base/deployment.yaml,line=22,col=11,title=edgefleet schema::spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?) (Deployment pos-api/pos-api; 3 sites: austin-pos-02, berlin-kiosk-03, lyon-pos-01)',
    );
  });

  it('a waived finding is a notice that says so, its reason on a second (escaped) line', () => {
    const notice = parseCommand(lines[2]!);
    expect(notice.command).toBe('notice');
    expect(notice.properties).toEqual({ file: 'apps/inference-service/base/deployment.yaml', line: '31', col: '27', title: 'edgefleet no-privileged (waived error)' });
    expect(notice.message.split('\n')[1]).toBe('waived: GPU driver needs device access until the vendor ships a rootless image (expires 2026-03-31; waived at sites/fra-inference-01.yaml:34)');
    expect(lines[2]).toContain('%0Awaived: ');
  });

  describe('escaping', () => {
    it('message: % → %25, CR → %0D, LF → %0A; `:` and `,` stay', () => {
      expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
      expect(escapeData('literal %0A stays literal')).toBe('literal %250A stays literal');
    });

    it('property values: also : → %3A and , → %2C', () => {
      expect(escapeProperty('C:\\dir,x/100%\n')).toBe('C%3A\\dir%2Cx/100%25%0A');
    });

    it('a finding with every special character in its file and message', () => {
      const f: Finding = { ...DRIFT, file: 'clusters/a,b/c:d%.yaml', message: 'line one, 100%\r\nline two: x' };
      const [line] = formatGithub({ findings: [f], stats: SAMPLE_REPORT.stats }, { color: false }).split('\n');
      expect(line).toBe('::error file=clusters/a%2Cb/c%3Ad%25.yaml,line=1,col=1,title=edgefleet drift::line one, 100%25%0D%0Aline two: x (site oslo-gw-03)');
    });

    it('any file, rule and message survive the round trip through the runner', () => {
      fc.assert(
        fc.property(fc.string(), fc.string(), fc.string(), (file, ruleId, message) => {
          const [line, ...rest] = formatGithub({ findings: [{ ...SCHEMA_IN_SHARED_BASE, file, ruleId, message, jsonPath: '', object: undefined, sites: [] }], stats: SAMPLE_REPORT.stats }, { color: false }).split('\n');
          expect(rest).toHaveLength(2); // the summary and the final empty string: no raw newline got out
          const parsed = parseCommand(line!);
          expect(parsed.properties.file).toBe(file);
          expect(parsed.properties.title).toBe(`edgefleet ${ruleId}`);
          expect(parsed.message).toBe(message);
        }),
      );
    });
  });
});
