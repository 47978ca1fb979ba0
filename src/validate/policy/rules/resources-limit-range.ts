import { describe, toUnits, type Nanos } from '../../../util/quantity.js';
import { defineRule } from '../define-rule.js';
import { quantity, record } from '../helpers.js';

/** The order a LimitRange's bounds must keep, per resource. */
const CHAIN = ['min', 'defaultRequest', 'default', 'max'] as const;
type Level = (typeof CHAIN)[number];

/**
 * The API server rejects a LimitRange whose bounds contradict each other, which fails the Kustomization
 * that applies it; one it accepts but whose defaults sit outside the bounds (or break the ratio) makes
 * every pod that relies on the defaults fail admission instead.
 */
export default defineRule({
  id: 'resources-limit-range',
  meta: {
    category: 'resources',
    severity: 'error',
    description:
      'Each LimitRange item keeps min ≤ defaultRequest ≤ default ≤ max per resource (compared as quantities), keeps default/defaultRequest within maxLimitRequestRatio, and sets defaults only on type Container: an incoherent LimitRange blocks the sync of its namespace, or the admission of every pod relying on its defaults.',
    remediation: 'Fix the bounds in fleet.yaml spec.limitRange (synth renders every namespace LimitRange from it) so that min ≤ defaultRequest ≤ default ≤ max for each resource.',
    kinds: ['LimitRange'],
  },
  options: {},
  create(context) {
    return {
      LimitRange(obj) {
        const items = record(obj.object.spec).limits;
        (Array.isArray(items) ? items : []).forEach((raw, i) => {
          const item = record(raw);
          const at = (level: string, r?: string) => ['spec', 'limits', i, level, ...(r === undefined ? [] : [r])];
          const levels = Object.fromEntries(CHAIN.map((l) => [l, record(item[l])])) as Record<Level, Record<string, unknown>>;
          if (item.type !== 'Container') {
            for (const l of ['default', 'defaultRequest'] as const) {
              if (item[l] !== undefined) {
                context.report({ object: obj, path: at(l), key: true, message: `${l} applies to type Container only; on type ${String(item.type)} the API server rejects the LimitRange` });
              }
            }
          }
          const resources = new Set(CHAIN.flatMap((l) => Object.keys(levels[l])));
          for (const r of [...resources].sort()) {
            // Comparing each present bound with the previous present one checks the whole chain.
            let prev: { level: Level; value: Nanos } | undefined;
            for (const level of CHAIN) {
              const value = quantity(levels[level][r]);
              if (value === undefined) continue;
              if (prev && prev.value > value) {
                context.report({
                  object: obj,
                  path: at(prev.level, r),
                  message: `${prev.level} ${r} ${describe(r, prev.value)} exceeds ${level} ${describe(r, value)}: the bounds must keep min ≤ defaultRequest ≤ default ≤ max`,
                });
              }
              prev = { level, value };
            }
            const ratio = quantity(record(item.maxLimitRequestRatio)[r]);
            if (ratio === undefined) continue;
            // The API server's defaulting: default ← max, defaultRequest ← default ← min.
            const limit = quantity(levels.default[r]) ?? quantity(levels.max[r]);
            const request = quantity(levels.defaultRequest[r]) ?? limit ?? quantity(levels.min[r]);
            if (limit === undefined || request === undefined || request === 0n) continue;
            if (limit * 1_000_000_000n > ratio * request) {
              context.report({
                object: obj,
                path: ['spec', 'limits', i, 'maxLimitRequestRatio', r],
                message: `default ${r} ${describe(r, limit)} is more than maxLimitRequestRatio ${toUnits(ratio)} × defaultRequest ${describe(r, request)}: every pod relying on the defaults is rejected`,
              });
            }
          }
        });
      },
    };
  },
});
