import { UsageError } from '../../util/errors.js';
import { formatJson } from './json.js';
import { formatText } from './text.js';
import type { Formatter } from './types.js';

const FORMATTERS: Record<string, Formatter> = { json: formatJson, text: formatText };

export const FORMATS = Object.keys(FORMATTERS).sort();

/** The formatter for a format name; an unknown name is a usage error. */
export function formatterFor(name: string): Formatter {
  const f = Object.hasOwn(FORMATTERS, name) ? FORMATTERS[name] : undefined;
  if (!f) throw new UsageError(`unknown format "${name}" (known: ${FORMATS.join(', ')})`);
  return f;
}

export type { Formatter, FormatOptions, Report } from './types.js';
