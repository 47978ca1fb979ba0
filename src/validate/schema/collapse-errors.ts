/**
 * ajv reports a failed `anyOf`/`oneOf` as the union error itself plus every branch's complaints:
 * `spec: "x"` against "DeploymentSpec or null" yields "must be object", "must be null" and "must
 * match a schema in anyOf". People need one message per place: the branch that matched the value's
 * type explains what is wrong inside it; if none did, the branches' types merge into one.
 */
import type { AjvErrorLike } from './validators.js';

const UNION_KEYWORDS = new Set(['anyOf', 'oneOf']);

export function collapseErrors(errors: readonly AjvErrorLike[]): AjvErrorLike[] {
  let out = errors.filter((e) => !UNION_KEYWORDS.has(e.keyword));
  const unionPlaces = [...new Set(errors.filter((e) => UNION_KEYWORDS.has(e.keyword)).map((e) => e.instancePath))];
  for (const place of unionPlaces) {
    const typeErrors = out.filter((e) => e.instancePath === place && e.keyword === 'type');
    const explained = out.some(
      (e) => (e.instancePath === place && e.keyword !== 'type') || e.instancePath.startsWith(`${place}/`),
    );
    if (explained) {
      // Some branch accepted the type and failed inside: the other branches' type errors are noise.
      out = out.filter((e) => !typeErrors.includes(e));
    } else if (typeErrors.length > 1) {
      const first = typeErrors[0] as AjvErrorLike;
      const merged: AjvErrorLike = { ...first, params: { ...first.params, type: typeErrors.flatMap((e) => typesOf(e.params.type)) } };
      out = out.flatMap((e) => (e === first ? [merged] : typeErrors.includes(e) ? [] : [e]));
    }
  }
  // A value of the wrong type also fails its format, pattern or enum; the type error says it all.
  const wrongType = new Set(out.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return out.filter((e) => e.keyword === 'type' || !wrongType.has(e.instancePath) || e.keyword === 'required');
}

export function typesOf(type: unknown): string[] {
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return typeof type === 'string' ? type.split(',') : [];
}
