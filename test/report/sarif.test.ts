import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../src/report/builtin-rules.js';
import { FINGERPRINT_KEY, fingerprint, formatSarif } from '../../src/report/formatters/sarif.js';
import type { Report } from '../../src/report/formatters/types.js';
import type { Finding } from '../../src/validate/findings.js';
import { DRIFT, EMPTY_REPORT, SAMPLE_REPORT, SCHEMA_IN_SHARED_BASE, WAIVED } from '../fixtures/report/sample-report.js';

// CommonJS module that also sets `exports.default`: the default import is the module object.
const addFormats = addFormatsModule.default;

const SCHEMA_FILE = new URL('../fixtures/report/sarif-schema-2.1.0.json', import.meta.url);
const schemaText = readFileSync(SCHEMA_FILE, 'utf8');

/** The full SARIF 2.1.0 schema (2020-12 dialect, as it declares), with every format checked. */
function sarifValidator(): (log: unknown) => string[] {
  // strictRequired off: the schema itself has `anyOf: [{ required: [...] }]` branches that ajv's strict mode flags.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(schemaText) as object);
  return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}
const validateSarif = sarifValidator();

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: SarifRule[] } };
    results: SarifResult[];
  }[];
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri?: string;
  defaultConfiguration: { level: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn?: number } } }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
  suppressions?: { kind: string; status: string; justification: string; location?: unknown; properties?: { expires: string } }[];
}

const sarif = (report: Report): SarifLog => JSON.parse(formatSarif(report, { color: false })) as SarifLog;
const out = formatSarif(SAMPLE_REPORT, { color: false });
const log = JSON.parse(out) as SarifLog;
const run = log.runs[0]!;
const resultFor = (f: Finding): SarifResult => run.results[SAMPLE_REPORT.findings.indexOf(f)]!;

describe('sarif format', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(out).toMatchFileSnapshot('./__snapshots__/sample.sarif.json');
  });

  describe('validity against the SARIF 2.1.0 JSON Schema', () => {
    it('uses the schema file as shipped in @microsoft/sarif-multitool-linux@5.7.0, unmodified', () => {
      const lf = schemaText.replaceAll('\r\n', '\n');
      expect(createHash('sha256').update(lf).digest('hex')).toBe('0de6555c956d0e2081bb40f0b877f275634cba28a6f8954e6d858a49138143d6');
      expect(JSON.parse(schemaText)).toMatchObject({ title: 'Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema' });
    });

    it('the validator is not vacuous: it rejects logs that break the schema', () => {
      const broken = (edit: (l: SarifLog) => void): string[] => {
        const l = JSON.parse(out) as SarifLog;
        edit(l);
        return validateSarif(l);
      };
      expect(broken((l) => (l.runs[0]!.results[0]!.level = 'fatal'))).toEqual(['/runs/0/results/0/level must be equal to one of the allowed values']);
      expect(broken((l) => (l.runs[0]!.results[0]!.locations[0]!.physicalLocation.region!.startLine = 0))).toEqual(['/runs/0/results/0/locations/0/physicalLocation/region/startLine must be >= 1']);
      expect(broken((l) => delete (l.runs[0]!.results[0] as Partial<SarifResult>).message)).toEqual(["/runs/0/results/0 must have required property 'message'"]);
      expect(broken((l) => (l.runs[0]!.tool.driver.rules[0]!.helpUri = 'docs/rules.md#drift'))).toEqual(['/runs/0/tool/driver/rules/0/helpUri must match format "uri"']);
      expect(broken((l) => Object.assign(l, { extra: 1 }))).toEqual([' must NOT have additional properties']);
    });

    it('the sample report is valid', () => {
      expect(validateSarif(log)).toEqual([]);
    });

    it('an empty report is valid', () => {
      expect(validateSarif(sarif(EMPTY_REPORT))).toEqual([]);
      expect(sarif(EMPTY_REPORT).runs[0]!.results).toEqual([]);
    });

    it('odd paths, an unknown rule and a relative or absolute doc link stay valid', () => {
      const report: Report = {
        findings: [
          { ...DRIFT, file: 'clusters/site a/100%#1?.yaml' },
          { ...DRIFT, file: 'clusters\\win\\file.yaml' },
          { ...DRIFT, file: '/abs/path/x.yaml' },
          { ...DRIFT, ruleId: 'made-up', line: 0, column: 0 },
        ],
        stats: SAMPLE_REPORT.stats,
        rules: [{ id: 'x', severity: 'warning', description: 'X.', remediation: 'Y.', helpUri: 'docs/rules.md#x' }],
      };
      const l = sarif(report);
      expect(validateSarif(l)).toEqual([]);
      const uris = l.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation);
      expect(uris).toEqual([
        { uri: 'clusters/site%20a/100%25%231%3F.yaml', uriBaseId: '%SRCROOT%' },
        { uri: 'clusters/win/file.yaml', uriBaseId: '%SRCROOT%' },
        { uri: 'file:///abs/path/x.yaml' },
        { uri: DRIFT.file, uriBaseId: '%SRCROOT%' },
      ]);
      expect(l.runs[0]!.results[3]!.locations[0]!.physicalLocation.region).toBeUndefined();
      expect(l.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(['drift', 'made-up', 'x']);
    });
  });

  it('one run of tool edgefleet; the version is the package version unless the report gives one', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('edgefleet');
    expect(run.tool.driver.version).toBe('0.1.0');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(sarif({ findings: [], stats: SAMPLE_REPORT.stats }).runs[0]!.tool.driver.version).toBe(pkg.version);
  });

  it('a result per finding, in the report order, at the finding’s line and column', () => {
    expect(run.results.map((r) => r.ruleId)).toEqual(SAMPLE_REPORT.findings.map((f) => f.ruleId));
    SAMPLE_REPORT.findings.forEach((f, i) => {
      const loc = run.results[i]!.locations[0]!.physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: f.file, uriBaseId: '%SRCROOT%' });
      expect(loc.region).toEqual({ startLine: f.line, startColumn: f.column });
      expect(run.results[i]!.level).toBe(f.severity);
    });
  });

  it('the shared-base schema error: message with field and sites, properties with sites, via, object and path', () => {
    const r = resultFor(SCHEMA_IN_SHARED_BASE);
    expect(r.locations[0]!.physicalLocation.region).toEqual({ startLine: 22, startColumn: 11 });
    expect(r.message.text).toBe(
      'spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?) (3 sites: austin-pos-02, berlin-kiosk-03, lyon-pos-01)',
    );
    expect(r.properties).toEqual({
      sites: SCHEMA_IN_SHARED_BASE.sites,
      via: SCHEMA_IN_SHARED_BASE.via,
      object: SCHEMA_IN_SHARED_BASE.object,
      jsonPath: SCHEMA_IN_SHARED_BASE.jsonPath,
    });
  });

  it('every ruleId has a rule with descriptions, help and default level; ruleIndex points at it', () => {
    const rules = run.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(['drift', 'kubernetes-version', 'no-privileged', 'pdb-required', 'schema', 'substitution']);
    for (const r of run.results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
    for (const rule of rules) {
      expect(rule.shortDescription.text, rule.id).toMatch(/\.$/);
      expect(rule.fullDescription.text, rule.id).toMatch(/\.$/);
      expect(rule.help.text, rule.id).toContain('Remediation: ');
      expect(rule.help.markdown, rule.id).toContain('**Remediation:** ');
      expect(['error', 'warning']).toContain(rule.defaultConfiguration.level);
    }
    expect(rules.find((r) => r.id === 'no-privileged')).toMatchObject({ name: 'NoPrivileged', defaultConfiguration: { level: 'error' } });
  });

  it('policy metadata from the catalogue; built-ins from the table; helpUri only when absolute', () => {
    const byId = new Map(run.tool.driver.rules.map((r) => [r.id, r]));
    const pdb = byId.get('pdb-required')!;
    expect(pdb.helpUri).toBe('https://edgefleet.example.com/docs/rules#pdb-required');
    expect(pdb.help.markdown).toContain('[Documentation](https://edgefleet.example.com/docs/rules#pdb-required)');
    const priv = byId.get('no-privileged')!;
    expect(priv.helpUri).toBeUndefined();
    expect(priv.help.text).toContain('Documentation: docs/rules.md#no-privileged');
    const schema = BUILTIN_RULES.find((r) => r.id === 'schema')!;
    expect(byId.get('schema')).toMatchObject({ fullDescription: { text: schema.description }, defaultConfiguration: { level: 'error' } });
    expect(byId.get('kubernetes-version')!.defaultConfiguration.level).toBe('warning');
  });

  it('the built-in table covers every check validate runs itself', () => {
    expect(BUILTIN_RULES.map((r) => r.id)).toEqual(['build', 'drift', 'inventory', 'kubernetes-version', 'no-schema', 'reference', 'schema', 'substitution', 'waiver', 'yaml']);
    for (const r of BUILTIN_RULES) expect(r.remediation, r.id).toMatch(/\.$/);
  });

  it('a waived finding is a result with an accepted suppression carrying the reason and expiry', () => {
    const r = resultFor(WAIVED);
    expect(r.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: WAIVED.waived!.reason,
        location: { physicalLocation: { artifactLocation: { uri: 'sites/fra-inference-01.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 34 } } },
        properties: { expires: '2026-03-31' },
      },
    ]);
    expect(run.results.filter((x) => x.suppressions)).toHaveLength(1);
  });

  it('a waiver written as an annotation in the finding’s own file is inSource', () => {
    const annotated: Finding = { ...WAIVED, waived: { reason: 'vendor driver', by: `${WAIVED.file}:12` } };
    const r = sarif({ findings: [annotated], stats: SAMPLE_REPORT.stats }).runs[0]!.results[0]!;
    expect(r.suppressions).toMatchObject([{ kind: 'inSource', justification: 'vendor driver' }]);
    expect(r.suppressions![0]!.properties).toBeUndefined();
  });

  describe('partialFingerprints', () => {
    const fp = (f: Finding): string => fingerprint(f);

    it('are set on every result under our key', () => {
      for (const r of run.results) expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set(run.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY])).size).toBe(run.results.length);
    });

    it('stay the same when the finding moves in its file or reaches other sites', () => {
      const moved = { ...SCHEMA_IN_SHARED_BASE, line: 40, column: 3, sites: ['lyon-pos-01'], via: ['lyon-pos-01/app-pos-api'] };
      expect(fp(moved)).toBe(fp(SCHEMA_IN_SHARED_BASE));
      expect(fp({ ...SCHEMA_IN_SHARED_BASE, file: 'apps\\pos-api\\base\\deployment.yaml' })).toBe(fp(SCHEMA_IN_SHARED_BASE));
    });

    it('change with the rule, file, field, message or object', () => {
      const base = fp(SCHEMA_IN_SHARED_BASE);
      expect(fp({ ...SCHEMA_IN_SHARED_BASE, ruleId: 'other' })).not.toBe(base);
      expect(fp({ ...SCHEMA_IN_SHARED_BASE, file: 'apps/other.yaml' })).not.toBe(base);
      expect(fp({ ...SCHEMA_IN_SHARED_BASE, jsonPath: 'spec.replicas' })).not.toBe(base);
      expect(fp({ ...SCHEMA_IN_SHARED_BASE, message: 'other' })).not.toBe(base);
      expect(fp({ ...SCHEMA_IN_SHARED_BASE, object: { ...SCHEMA_IN_SHARED_BASE.object!, name: 'other' } })).not.toBe(base);
    });
  });
});
