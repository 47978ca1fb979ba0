import { UsageError, cmp } from '../util/errors.js';

/** One shard of `total`, 1-based: `--shard 2/4` is `{ index: 2, total: 4 }`. */
export interface ShardSpec {
  readonly index: number;
  readonly total: number;
}

const SPEC = /^([1-9][0-9]*)\/([1-9][0-9]*)$/;

/** Parses `i/n` (1 ≤ i ≤ n); anything else is a usage error that says what was expected. */
export function parseShardSpec(spec: string): ShardSpec {
  const m = SPEC.exec(spec.trim());
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(index) || !Number.isSafeInteger(total) || index > total) {
    throw new UsageError(`--shard takes i/n with 1 ≤ i ≤ n (for example --shard 2/4), got "${spec}"`);
  }
  return { index, total };
}

/**
 * The sites of one shard: the distinct names sorted (by code unit, not locale), cut into `total`
 * contiguous chunks whose sizes differ by at most one — the first `count % total` chunks get the extra
 * site. Every site lands in exactly one shard, whatever order the names come in, so the shards of a CI
 * matrix together check the fleet exactly once. Contiguous chunks (rather than round-robin) keep the
 * other shards unchanged except at one boundary when a site is added or removed. With more shards than
 * sites the last shards are empty: the caller must then check nothing, not everything.
 */
export function shardSites(sites: readonly string[], spec: string | ShardSpec): string[] {
  const { index, total } = typeof spec === 'string' ? parseShardSpec(spec) : checked(spec);
  const sorted = [...new Set(sites)].sort(cmp);
  const base = Math.floor(sorted.length / total);
  const extra = sorted.length % total;
  const k = index - 1;
  const start = k * base + Math.min(k, extra);
  return sorted.slice(start, start + base + (k < extra ? 1 : 0));
}

function checked(spec: ShardSpec): ShardSpec {
  return parseShardSpec(`${spec.index}/${spec.total}`);
}
