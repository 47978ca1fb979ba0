import { createHash } from 'node:crypto';
import type { Finding, Waived } from '../../validate/findings.js';
import { rulesOf } from '../builtin-rules.js';
import { messageWithPath, sitesLabel } from '../finding-text.js';
import { toolVersion } from '../tool-version.js';
import type { Formatter, RuleDescriptor } from './types.js';

/** The OASIS SARIF 2.1.0 schema (errata 01), the one GitHub code scanning documents. */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Key of our fingerprint in `partialFingerprints`; bump the version if what it hashes changes. */
export const FINGERPRINT_KEY = 'edgefleet/v1';

/**
 * SARIF 2.1.0, one run, for GitHub code scanning and other SARIF viewers. Every ruleId has a `tool.driver.rules`
 * entry (the run's catalogue, else the built-in table). Waived findings stay results, with a `suppressions`
 * entry: that is how SARIF says "known and accepted", and viewers then show them as dismissed, not open.
 */
export const formatSarif: Formatter = (report) => {
  const rules = rulesOf(report);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'edgefleet', version: report.toolVersion ?? toolVersion(), rules: rules.map(ruleDescriptor) } },
        // Columns come from the `yaml` parser's offsets into JavaScript strings.
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f) => result(f, index.get(f.ruleId) ?? 0)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

function ruleDescriptor(rule: RuleDescriptor): Record<string, unknown> {
  const absolute = rule.helpUri !== undefined && isAbsoluteUri(rule.helpUri);
  const docs = rule.helpUri && !absolute ? rule.helpUri : undefined;
  const name = pascalCase(rule.id);
  return {
    id: rule.id,
    // SARIF wants the friendly name to differ from the id (case aside) or be left out.
    ...(name.toLowerCase() !== rule.id.toLowerCase() ? { name } : {}),
    shortDescription: { text: firstSentence(rule.description) },
    fullDescription: { text: rule.description },
    help: {
      text: `${rule.description}\n\nRemediation: ${rule.remediation}${docs ? `\n\nDocumentation: ${docs}` : ''}`,
      markdown: `${rule.description}\n\n**Remediation:** ${rule.remediation}${absolute ? `\n\n[Documentation](${rule.helpUri})` : docs ? `\n\nDocumentation: \`${docs}\` in the repository.` : ''}`,
    },
    ...(absolute ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: rule.severity },
    ...(rule.category ? { properties: { category: rule.category, tags: [rule.category] } } : {}),
  };
}

function result(f: Finding, ruleIndex: number): Record<string, unknown> {
  const sites = f.sites.length > 0 ? ` (${sitesLabel(f.sites)})` : '';
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.severity,
    message: { text: `${messageWithPath(f)}${sites}` },
    locations: [{ physicalLocation: physicalLocation(f.file, f.line, f.column) }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
    properties: {
      sites: f.sites,
      ...(f.via ? { via: f.via } : {}),
      ...(f.object ? { object: f.object } : {}),
      jsonPath: f.jsonPath,
    },
    ...(f.waived ? { suppressions: [suppression(f, f.waived)] } : {}),
  };
}

/**
 * Identity of a finding across commits: what it is about and what it says, not where the line is now
 * (an edit above it must not make code scanning see a new alert), nor which sites it affects.
 */
export function fingerprint(f: Finding): string {
  const object = f.object ? [f.object.apiVersion, f.object.kind, f.object.namespace ?? '', f.object.name] : [];
  return createHash('sha256')
    .update(JSON.stringify([f.ruleId, toSlashes(f.file), f.jsonPath, f.message, object]))
    .digest('hex');
}

/**
 * A waiver written in the file of the finding (an object annotation) is `inSource`; one written elsewhere
 * (a site's inventory entry) is `external`.
 */
function suppression(f: Finding, waived: Waived): Record<string, unknown> {
  const at = /^(.*):(\d+)$/.exec(waived.by);
  const byFile = at?.[1] ?? waived.by;
  const byLine = at?.[2] ? Number(at[2]) : 0;
  return {
    kind: toSlashes(byFile) === toSlashes(f.file) ? 'inSource' : 'external',
    status: 'accepted',
    justification: waived.reason,
    location: { physicalLocation: physicalLocation(byFile, byLine, 0) },
    ...(waived.expires ? { properties: { expires: waived.expires } } : {}),
  };
}

function physicalLocation(file: string, line: number, column: number): Record<string, unknown> {
  const region = line >= 1 ? { region: { startLine: line, ...(column >= 1 ? { startColumn: column } : {}) } } : {};
  return { artifactLocation: artifactLocation(file), ...region };
}

/** Repo-relative paths become relative URIs against %SRCROOT% (the checkout, for GitHub); absolute ones file: URIs. */
function artifactLocation(file: string): Record<string, string> {
  const path = toSlashes(file);
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  if (path.startsWith('/')) return { uri: `file://${encoded}` };
  if (/^[A-Za-z]:\//.test(path)) return { uri: `file:///${path.slice(0, 2)}${encoded.slice(encoded.indexOf('/'))}` };
  return { uri: encoded, uriBaseId: '%SRCROOT%' };
}

function toSlashes(path: string): string {
  return path.replaceAll('\\', '/');
}

function isAbsoluteUri(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URL.canParse(s);
}

/** SARIF's "friendly name": `no-privileged` → `NoPrivileged`. */
function pascalCase(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s|$)/s.exec(text);
  return m ? m[0] : text;
}
