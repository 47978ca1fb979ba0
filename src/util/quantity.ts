/**
 * Kubernetes resource quantities, parsed exactly.
 *
 * Values are held as bigint nano-units so that `1.5` equals `1500m` and `1.5Gi` equals `1536Mi`
 * without floating-point error. Comparisons are always numeric, never on strings.
 */

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const NANO = 1_000_000_000n;

const SUFFIX_NANOS: Record<string, bigint> = {
  n: 1n,
  u: 1_000n,
  m: 1_000_000n,
  '': NANO,
  k: NANO * 1_000n,
  M: NANO * 1_000_000n,
  G: NANO * 1_000_000_000n,
  T: NANO * 1_000_000_000_000n,
  P: NANO * 1_000_000_000_000_000n,
  E: NANO * 1_000_000_000_000_000_000n,
  Ki: NANO * 1024n,
  Mi: NANO * 1024n ** 2n,
  Gi: NANO * 1024n ** 3n,
  Ti: NANO * 1024n ** 4n,
  Pi: NANO * 1024n ** 5n,
  Ei: NANO * 1024n ** 6n,
};

/** Parsed quantity in nano-units of the base unit (cores, bytes, devices). */
export type Nanos = bigint;

export function isQuantity(text: string | number): boolean {
  return parseQuantity(text) !== undefined;
}

/** Returns nano-units, or undefined when `text` is not a valid Kubernetes quantity. */
export function parseQuantity(text: string | number): Nanos | undefined {
  const s = typeof text === 'number' ? numberToText(text) : text.trim();
  if (s === undefined) return undefined;
  const m = QUANTITY_RE.exec(s);
  if (!m) return undefined;
  const [, sign, num = '', exp, suffix = ''] = m;
  const [intPart = '', fracPart = ''] = num.split('.');
  const digits = BigInt((intPart || '0') + fracPart);
  let scale = -fracPart.length; // power of ten applied to `digits`
  let multiplier = SUFFIX_NANOS[suffix] ?? NANO;
  if (exp) {
    scale += Number(exp.slice(1));
    multiplier = NANO;
  }
  let value = digits * multiplier;
  if (scale >= 0) value *= 10n ** BigInt(scale);
  else {
    const div = 10n ** BigInt(-scale);
    // Kubernetes rounds sub-nano precision up; so do we.
    value = (value + div - 1n) / div;
  }
  return sign === '-' ? -value : value;
}

function numberToText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  return String(n);
}

/** Parses a quantity that is already known to be valid (validated by schema); throws otherwise. */
export function mustParseQuantity(text: string | number): Nanos {
  const v = parseQuantity(text);
  if (v === undefined) throw new Error(`internal: unvalidated quantity ${JSON.stringify(text)}`);
  return v;
}

export const ZERO: Nanos = 0n;

export function nanosFromUnits(units: bigint | number): Nanos {
  return BigInt(units) * NANO;
}

/** CPU for output: whole cores as "2", otherwise millicores ("1500m"), rounded up to a millicore. */
export function formatCpu(n: Nanos): string {
  const milli = ceilDiv(n, 1_000_000n);
  return milli % 1000n === 0n ? String(milli / 1000n) : `${milli}m`;
}

/** Millicores, always with the `m` suffix: stable text for postBuild variables. */
export function formatMillicores(n: Nanos): string {
  return `${ceilDiv(n, 1_000_000n)}m`;
}

/** Bytes for output in the largest binary unit that divides exactly (Gi, Mi, Ki), else plain bytes. */
export function formatBytes(n: Nanos): string {
  const bytes = ceilDiv(n, NANO);
  for (const [suffix, size] of [['Ti', 1024n ** 4n], ['Gi', 1024n ** 3n], ['Mi', 1024n ** 2n], ['Ki', 1024n]] as const) {
    if (bytes !== 0n && bytes % size === 0n) return `${bytes / size}${suffix}`;
  }
  return String(bytes);
}

/** Bytes rounded up to whole mebibytes, formatted as Mi (or Gi when exact). */
export function formatBytesMi(n: Nanos): string {
  const mib = 1024n ** 2n * NANO;
  return formatBytes(ceilDiv(n, mib) * mib);
}

/** A count of whole units (GPUs, pods). */
export function formatCount(n: Nanos): string {
  return String(ceilDiv(n, NANO));
}

/** Human-friendly rendering for messages: "1.5 cores", "1536Mi". */
export function describe(resource: string, n: Nanos): string {
  if (resource === 'cpu') return formatCpu(n);
  if (resource === 'memory' || resource === 'storage' || resource === 'ephemeral-storage') return formatBytesMi(n);
  return formatCount(n);
}

export function toUnits(n: Nanos): number {
  return Number(n) / Number(NANO);
}

export function toBytes(n: Nanos): bigint {
  return n / NANO;
}

export function ceilDiv(a: bigint, b: bigint): bigint {
  if (a >= 0n) return (a + b - 1n) / b;
  return a / b;
}

export function maxN(...values: Nanos[]): Nanos {
  return values.reduce((a, b) => (b > a ? b : a), 0n);
}

export function minN(a: Nanos, b: Nanos): Nanos {
  return a < b ? a : b;
}

/** Multiplies a quantity by a decimal fraction given as a number, exactly to 1e-6. */
export function scale(n: Nanos, fraction: number): Nanos {
  const ppm = BigInt(Math.round(fraction * 1_000_000));
  return (n * ppm) / 1_000_000n;
}
