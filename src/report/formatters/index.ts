import { UsageError } from '../../util/errors.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { Formatter } from './types.js';

const FORMATTERS: Record<string, Formatter> = {
  github: formatGithub,
  json: formatJson,
  junit: formatJunit,
  markdown: formatMarkdown,
  sarif: formatSarif,
  text: formatText,
};

/** Every format name, sorted: for `--format` help and the usage error. */
export const FORMATS: readonly string[] = Object.keys(FORMATTERS).sort();

/** The formatter for a format name; an unknown name is a usage error. */
export function formatterFor(name: string): Formatter {
  const f = Object.hasOwn(FORMATTERS, name) ? FORMATTERS[name] : undefined;
  if (!f) throw new UsageError(`unknown format "${name}" (known: ${FORMATS.join(', ')})`);
  return f;
}

export { BUILTIN_RULES } from '../builtin-rules.js';
export type { Formatter, FormatOptions, Report, RuleDescriptor } from './types.js';
