import { canonicalJson, compareIds, idKey, objectId, stableYaml } from './identity.js';
import { diffLines, splitLines, unifiedHunks } from './line-diff.js';
import { redactObject, scrub, secretSlots } from './redact.js';
import type { AppliedObject } from './site-objects.js';
import type { ObjectChange } from './types.js';

export interface SiteComparison {
  readonly objects: ObjectChange[];
  readonly unchanged: number;
  /** Every sensitive value of the site on either side, when anything changed (for scrubbing other text about it). */
  readonly secrets: Set<string>;
}

/** Objects added, removed and changed between the two sides of one site, with redacted unified diffs. */
export function compareObjects(base: readonly AppliedObject[], head: readonly AppliedObject[], options: { context?: number } = {}): SiteComparison {
  const before = byId(base);
  const after = byId(head);
  const secrets = new Set<string>();
  const objects: ObjectChange[] = [];
  let unchanged = 0;
  for (const key of [...new Set([...before.keys(), ...after.keys()])]) {
    const b = before.get(key);
    const a = after.get(key);
    if (b && a && canonicalJson(b.object) === canonicalJson(a.object)) {
      unchanged++;
      continue;
    }
    const bSlots = b ? secretSlots(b.object) : undefined;
    const aSlots = a ? secretSlots(a.object) : undefined;
    const rawBefore = b ? splitLines(stableYaml(b.object)) : [];
    const rawAfter = a ? splitLines(stableYaml(a.object)) : [];
    const shownBefore = b && bSlots ? splitLines(stableYaml(redactObject(b.object, bSlots, aSlots, 'base'))) : [];
    const shownAfter = a && aSlots ? splitLines(stableYaml(redactObject(a.object, aSlots, bSlots, 'head'))) : [];
    const raw = diffLines(rawBefore, rawAfter);
    const lineBytes = (lines: readonly { line: string }[]): number => lines.reduce((n, e) => n + Buffer.byteLength(e.line) + 1, 0);
    const removed = raw.filter((e) => e.op === '-');
    const added = raw.filter((e) => e.op === '+');
    const from = (a ?? b) as AppliedObject;
    objects.push({
      change: !b ? 'added' : !a ? 'removed' : 'changed',
      id: objectId(from.object),
      ...(from.kustomization ? { kustomization: from.kustomization } : {}),
      file: from.file,
      diff: unifiedHunks(diffLines(shownBefore, shownAfter), options.context === undefined ? {} : { context: options.context }),
      lines: { added: added.length, removed: removed.length },
      bytes: { base: lineBytes(rawBefore.map((line) => ({ line }))), head: lineBytes(rawAfter.map((line) => ({ line }))), changed: lineBytes(removed) + lineBytes(added) },
    });
  }
  objects.sort((x, y) => compareIds(x.id, y.id) || x.change.localeCompare(y.change));
  if (objects.length > 0) {
    // Every sensitive value of the site, also of unchanged objects: a password copied into a changed
    // ConfigMap must not show either.
    for (const o of [...base, ...head]) for (const v of secretSlots(o.object).values()) secrets.add(v);
    if (secrets.size > 0) for (const o of objects) (o as { diff: string }).diff = scrub(o.diff, secrets);
  }
  return { objects, unchanged, secrets };
}

/** Objects by identity; a second object with the same identity (two Kustomizations building it) gets `#2`. */
function byId(objects: readonly AppliedObject[]): Map<string, AppliedObject> {
  const out = new Map<string, AppliedObject>();
  for (const o of objects) {
    const key = idKey(objectId(o.object));
    let k = key;
    for (let n = 2; out.has(k); n++) k = `${key}#${n}`;
    out.set(k, o);
  }
  return out;
}
