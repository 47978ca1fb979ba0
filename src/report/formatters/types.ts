import type { Finding, Severity } from '../../validate/findings.js';

/** What a report says about a rule: policy rules supply their metadata; built-in checks have a table (src/report/builtin-rules.ts). */
export interface RuleDescriptor {
  readonly id: string;
  /** The rule's default severity; a finding may carry another. */
  readonly severity: Severity;
  /** One sentence: what the rule checks. */
  readonly description: string;
  /** What to do about a finding; ends with a full stop. */
  readonly remediation: string;
  /** Documentation page. Only an absolute URL goes into SARIF's `helpUri`; a relative one is named in the help text. */
  readonly helpUri?: string;
  readonly category?: string;
}

export interface Report {
  /** In the order given (validate sorts them); formatters keep it. Waived findings are listed apart. */
  readonly findings: readonly Finding[];
  readonly stats: { readonly sites: number; readonly kustomizations: number; readonly objects: number };
  /** The rule catalogue of the run; a ruleId missing here falls back to the built-in table. */
  readonly rules?: readonly RuleDescriptor[];
  /** edgefleet's version, for SARIF's tool.driver; @default the version in edgefleet's package.json */
  readonly toolVersion?: string;
}

export interface FormatOptions {
  /** Colour output (text only): on a TTY. */
  readonly color: boolean;
}

/** One output format: a pure function from the report to text. */
export type Formatter = (report: Report, options: FormatOptions) => string;
