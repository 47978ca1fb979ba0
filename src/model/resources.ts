import type { ResourceList } from '../inventory/types.js';
import { mustParseQuantity, type Nanos } from '../util/quantity.js';

/** The resources edgefleet accounts for, as exact nano-unit quantities. */
export const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'] as const;
export type ComputeResource = (typeof COMPUTE)[number];

export type Amounts = Record<ComputeResource, Nanos>;

export function zero(): Amounts {
  return { cpu: 0n, memory: 0n, 'ephemeral-storage': 0n };
}

export function fromList(list: ResourceList | undefined): Amounts {
  const out = zero();
  for (const r of COMPUTE) {
    const v = list?.[r];
    if (v !== undefined) out[r] = mustParseQuantity(v);
  }
  return out;
}

export function add(a: Amounts, b: Amounts): Amounts {
  return { cpu: a.cpu + b.cpu, memory: a.memory + b.memory, 'ephemeral-storage': a['ephemeral-storage'] + b['ephemeral-storage'] };
}

export function times(a: Amounts, n: number): Amounts {
  const k = BigInt(n);
  return { cpu: a.cpu * k, memory: a.memory * k, 'ephemeral-storage': a['ephemeral-storage'] * k };
}

export function max(a: Amounts, b: Amounts): Amounts {
  const pick = (x: Nanos, y: Nanos): Nanos => (x > y ? x : y);
  return { cpu: pick(a.cpu, b.cpu), memory: pick(a.memory, b.memory), 'ephemeral-storage': pick(a['ephemeral-storage'], b['ephemeral-storage']) };
}

export function sum(list: readonly Amounts[]): Amounts {
  return list.reduce(add, zero());
}
