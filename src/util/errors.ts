/** A place in a file the user edits. Line and column are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One problem with the user's input: where it is, which field, and what was expected. */
export interface InputProblem extends SourceLocation {
  /** Dotted field path inside the document, e.g. `spec.hardware.memory`; empty for the whole document. */
  readonly path: string;
  readonly message: string;
}

export function formatProblem(p: InputProblem): string {
  const where = `${p.file}:${p.line}:${p.column}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

export function sortProblems(problems: readonly InputProblem[]): InputProblem[] {
  return [...problems].sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.path, b.path) || cmp(a.message, b.message),
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The user's input is wrong. Carries every problem found in the run, not just the first. */
export class InputError extends Error {
  readonly problems: readonly InputProblem[];
  constructor(problems: readonly InputProblem[]) {
    const sorted = sortProblems(problems);
    super(sorted.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = sorted;
  }
}

/** Bad command-line usage (unknown flag, missing argument). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A bug in edgefleet, not in the user's input. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`internal error (a bug in edgefleet, please report it): ${message}`, options);
    this.name = 'InternalError';
  }
}

/** Problems reported per file at most: a garbled file can hold 100,000s, and nobody reads past the first screen. */
export const MAX_PROBLEMS_PER_FILE = 100;

/** The first MAX_PROBLEMS_PER_FILE problems of one file, and one more that counts the rest. */
export function capProblems(problems: readonly InputProblem[]): InputProblem[] {
  if (problems.length <= MAX_PROBLEMS_PER_FILE) return [...problems];
  const kept = sortProblems(problems).slice(0, MAX_PROBLEMS_PER_FILE);
  const last = kept[kept.length - 1] as InputProblem;
  return [...kept, { file: last.file, line: last.line, column: last.column, path: '', message: `${problems.length - kept.length} more problem(s) in this file not shown` }];
}
