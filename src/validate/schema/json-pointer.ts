/** RFC 6901 pointers and their human form (`spec.containers[0].env`) for one document. */

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(segments: readonly string[]): string {
  return segments.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function valueAt(doc: unknown, segments: readonly string[]): unknown {
  let value = doc;
  for (const s of segments) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, s)) return undefined;
    value = (value as Record<string, unknown>)[s];
  }
  return value;
}

/** Array indices as `[0]`, plain keys dotted, and keys like `app.kubernetes.io/name` bracketed. */
export function toJsonPath(doc: unknown, segments: readonly string[]): string {
  let out = '';
  let parent = doc;
  for (const s of segments) {
    if (Array.isArray(parent) && /^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
    parent = parent !== null && typeof parent === 'object' ? (parent as Record<string, unknown>)[s] : undefined;
  }
  return out;
}
