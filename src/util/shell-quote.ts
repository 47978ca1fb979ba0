/**
 * One word for a POSIX shell, whatever `value` holds: single quotes, inside which nothing is special,
 * with each `'` written as `'\''` (close, escaped quote, reopen). `$(…)`, backticks, `;` and newlines
 * stay literal text.
 */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
