import type { Finding } from '../../validate/findings.js';

export interface Report {
  readonly findings: readonly Finding[];
  readonly stats: { readonly sites: number; readonly kustomizations: number; readonly objects: number };
}

export interface FormatOptions {
  /** Colour output (text only): on a TTY. */
  readonly color: boolean;
}

/** One output format: a pure function from the report to text. */
export type Formatter = (report: Report, options: FormatOptions) => string;
