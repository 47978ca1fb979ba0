/** One sentence per ajv error saying what was expected and what was found. */
import { closest } from '../../util/suggest.js';
import { typesOf } from './collapse-errors.js';
import { describePattern } from './patterns.js';
import type { AjvErrorLike } from './validators.js';

const ARTICLE: Readonly<Record<string, string>> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/**
 * `value` is the data at the error's place; `fields` lists the names allowed there (asked only
 * for unknown fields, as it reads schema files).
 */
export function issueMessage(error: AjvErrorLike, value: unknown, fields: () => readonly string[]): string {
  const p = error.params;
  switch (error.keyword) {
    case 'type':
      return `expected ${expectedTypes(p.type)}, got ${describe(value)}`;
    case 'required':
      return `missing required field "${String(p.missingProperty)}"`;
    case 'additionalProperties': {
      const field = String(p.additionalProperty);
      return `unknown field "${field}"${didYouMean(field, fields())}`;
    }
    case 'enum': {
      const allowed = (Array.isArray(p.allowedValues) ? p.allowedValues : []).filter((v) => v !== null);
      const hint = typeof value === 'string' ? didYouMean(value, allowed.map(String)) : '';
      return `expected one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(value)}${hint}`;
    }
    case 'const':
      return `expected ${JSON.stringify(p.allowedValue)}, got ${describe(value)}`;
    case 'pattern': {
      const known = describePattern(String(p.pattern));
      return known
        ? `invalid ${known.what} ${JSON.stringify(value)}: ${known.hint}`
        : `${JSON.stringify(value)} does not match the pattern ${String(p.pattern)}`;
    }
    case 'format':
      return formatMessage(String(p.format), value);
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long, got ${String(typeof value === 'string' ? value.length : value)}`;
    case 'minItems':
      return `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${String(p.limit)}, got ${describe(value)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(p.multipleOf)}, got ${describe(value)}`;
    default:
      return `fails the "${error.keyword}" rule (${JSON.stringify(p)})`;
  }
}

function formatMessage(format: string, value: unknown): string {
  switch (format) {
    case 'int32':
      return `expected a 32-bit integer, got ${describe(value)}`;
    case 'int64':
      return `expected an integer, got ${describe(value)}`;
    case 'date-time':
      return `invalid RFC 3339 time ${JSON.stringify(value)} (expected e.g. "2025-01-31T12:00:00Z")`;
    case 'byte':
      return 'expected base64-encoded data (plain text belongs in stringData)';
    default:
      return `${describe(value)} is not a valid ${format}`;
  }
}

/** "an object" rather than "an object or null": null is always the fallback of an optional field. */
function expectedTypes(type: unknown): string {
  const all = [...new Set(typesOf(type))];
  const shown = all.length > 1 ? all.filter((t) => t !== 'null') : all;
  return shown.map((t) => ARTICLE[t] ?? t).join(' or ');
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return String(value);
  return `${typeof value} ${String(value)}`;
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closest(word, candidates);
  return match === undefined || match === word ? '' : ` (did you mean "${match}"?)`;
}
