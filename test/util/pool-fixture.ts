/** Functions the worker-pool tests run in worker threads (and inline). */
import { threadId } from 'node:worker_threads';
import { InputError } from '../../src/util/errors.js';
import type { PoolServices } from '../../src/util/worker-pool.js';

export interface Shared {
  readonly offset: number;
  readonly table: ReadonlyMap<string, bigint>;
}

export function scale(shared: Shared, item: number): { value: number; thread: number; big: bigint | undefined } {
  return { value: item * 10 + shared.offset, thread: threadId, big: shared.table.get('big') };
}

export async function later(shared: Shared, item: number): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, item % 3));
  return `${shared.offset}:${item}`;
}

export function failOn(shared: Shared, item: number): number {
  if (item === shared.offset) throw new RangeError(`item ${item} is out of range`);
  return item;
}

export function badInput(_shared: Shared, item: number): number {
  if (item === 7) throw new InputError([{ file: 'sites/x.yaml', line: 3, column: 5, path: 'spec.name', message: 'bad name' }]);
  return item;
}

/** Never returns: a worker stuck in it must still be terminated when another one fails. */
export async function hangOrFail(_shared: Shared, item: number): Promise<number> {
  if (item === 0) throw new Error('first item fails');
  await new Promise(() => undefined);
  return item;
}

export const notAFunction = 42;

export function identity(_shared: unknown, item: unknown): unknown {
  return item;
}

/** A result structured clone cannot carry back. */
export function returnsFunction(): () => void {
  return () => undefined;
}

/** Asks the calling thread's `square` service, between `enter` and `leave` calls the caller counts. */
export async function viaService(_shared: Shared, item: number, services: PoolServices): Promise<{ squared: unknown; thread: number }> {
  await services.call('enter', item);
  const squared = await services.call('square', item);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await services.call('leave', item);
  return { squared, thread: threadId };
}

/** Calls a service that is not there, or one that fails, depending on the item. */
export async function badService(_shared: Shared, item: number, services: PoolServices): Promise<unknown> {
  return services.call(item === 3 ? 'missing' : 'fail', item);
}
