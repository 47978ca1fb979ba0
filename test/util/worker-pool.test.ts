import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { InputError } from '../../src/util/errors.js';
import { defaultJobs, mapInWorkers } from '../../src/util/worker-pool.js';
import type { Shared } from './pool-fixture.js';

const MODULE = new URL('./pool-fixture.ts', import.meta.url);
const shared: Shared = { offset: 3, table: new Map([['big', 2n ** 70n]]) };
const items = Array.from({ length: 50 }, (_, i) => i);

describe('mapInWorkers', () => {
  it('returns results in item order, computed in worker threads', async () => {
    const out = await mapInWorkers<Shared, number, { value: number; thread: number; big: bigint | undefined }>({ module: MODULE, fn: 'scale', shared, items, jobs: 2, batch: 4 });
    expect(out.map((r) => r.value)).toEqual(items.map((i) => i * 10 + 3));
    // Shared data arrives by structured clone (a Map of bigints survives).
    expect(out.every((r) => r.big === 2n ** 70n)).toBe(true);
    const threads = new Set(out.map((r) => r.thread));
    expect(threads.has(threadId)).toBe(false);
    expect(threads.size).toBe(2);
  });

  it('gives the same results inline (jobs 1) as in workers', async () => {
    const task = { module: MODULE, fn: 'later', shared, items, batch: 3 };
    const inline = await mapInWorkers<Shared, number, string>({ ...task, jobs: 1 });
    const workers = await mapInWorkers<Shared, number, string>({ ...task, jobs: 2 });
    expect(workers).toEqual(inline);
    expect(inline).toEqual(items.map((i) => `3:${i}`));
  });

  it('runs few items inline: fewer than two batches', async () => {
    const out = await mapInWorkers<Shared, number, { thread: number }>({ module: MODULE, fn: 'scale', shared, items: [1, 2, 3], jobs: 2, batch: 2 });
    expect(out.map((r) => r.thread)).toEqual([threadId, threadId, threadId]);
    expect(await mapInWorkers({ module: MODULE, fn: 'scale', shared, items: [], jobs: 2 })).toEqual([]);
  });

  it('rejects with the original error when a worker throws', async () => {
    const run = mapInWorkers({ module: MODULE, fn: 'failOn', shared: { ...shared, offset: 37 }, items, jobs: 2, batch: 4 });
    await expect(run).rejects.toThrow('item 37 is out of range');
    const err = (await run.then(() => undefined, (e: unknown) => e)) as Error;
    expect(err.name).toBe('RangeError');
    expect(err.stack).toContain('failOn');
    expect(err.stack).toContain('pool-fixture');
  });

  it('rejects the same way inline', async () => {
    await expect(mapInWorkers({ module: MODULE, fn: 'failOn', shared: { ...shared, offset: 37 }, items, jobs: 1 })).rejects.toThrow('item 37 is out of range');
  });

  it('keeps the class and problems of an InputError thrown in a worker', async () => {
    const err = await mapInWorkers({ module: MODULE, fn: 'badInput', shared, items, jobs: 2, batch: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).problems).toEqual([{ file: 'sites/x.yaml', line: 3, column: 5, path: 'spec.name', message: 'bad name' }]);
    expect((err as InputError).message).toBe('sites/x.yaml:3:5: spec.name: bad name');
  });

  it('terminates the other workers when one fails, instead of waiting for them', async () => {
    // The other items never settle (pool-fixture's hangOrFail): the rejection arrives only if they are terminated.
    await expect(mapInWorkers({ module: MODULE, fn: 'hangOrFail', shared, items, jobs: 2, batch: 1 })).rejects.toThrow('first item fails');
  });

  it('rejects, without leaving threads behind, when an item, the shared data or a result cannot be cloned', async () => {
    const fns = [() => undefined, () => undefined, () => undefined, () => undefined];
    await expect(mapInWorkers({ module: MODULE, fn: 'identity', shared, items: fns, jobs: 2, batch: 1 })).rejects.toThrow(/could not be cloned/);
    await expect(mapInWorkers({ module: MODULE, fn: 'identity', shared: { f: () => undefined }, items, jobs: 2, batch: 4 })).rejects.toThrow(/could not be cloned/);
    await expect(mapInWorkers({ module: MODULE, fn: 'returnsFunction', shared, items, jobs: 2, batch: 4 })).rejects.toThrow(/could not be cloned/);
  });

  it('lets the process exit by itself after a run and after a failure', () => {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const script = fileURLToPath(new URL('./pool-exit-fixture.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(tsx).href, script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ok 20\nrejected: first item fails\n');
    expect(r.status).toBe(0);
  });

  it('lets the function call services of the calling thread, in workers and inline', async () => {
    let open = 0;
    let peak = 0;
    const services = {
      enter: async () => void (peak = Math.max(peak, ++open)),
      leave: async () => void open--,
      square: async (n: number) => ({ n, sq: BigInt(n) ** 2n }),
    };
    const task = { module: MODULE, fn: 'viaService', shared, items, services };
    const inWorkers = await mapInWorkers<Shared, number, { squared: unknown; thread: number }>({ ...task, jobs: 2, batch: 5 });
    expect(inWorkers.map((r) => r.squared)).toEqual(items.map((n) => ({ n, sq: BigInt(n) ** 2n })));
    expect(new Set(inWorkers.map((r) => r.thread)).size).toBe(2);
    // one batch at a time per worker, one item at a time per batch: at most one open item per worker
    expect(peak).toBeLessThanOrEqual(2);
    const inline = await mapInWorkers<Shared, number, { squared: unknown; thread: number }>({ ...task, jobs: 1 });
    expect(inline.map((r) => r.squared)).toEqual(inWorkers.map((r) => r.squared));
    expect(open).toBe(0);
  });

  it('works on `overlap` batches at once in a worker, results still in item order', async () => {
    let open = 0;
    let peak = 0;
    const services = { enter: async () => void (peak = Math.max(peak, ++open)), leave: async () => void open--, square: async (n: number) => n * n };
    const out = await mapInWorkers<Shared, number, { squared: unknown }>({ module: MODULE, fn: 'viaService', shared, items, services, jobs: 2, batch: 2, overlap: 3 });
    expect(out.map((r) => r.squared)).toEqual(items.map((n) => n * n));
    expect(peak).toBeGreaterThan(2);
    expect(peak).toBeLessThanOrEqual(6);
  });

  it('rejects when a service fails or does not exist, in workers and inline', async () => {
    const services = { fail: async (n: number) => Promise.reject(new RangeError(`service refused ${n}`)) };
    const task = { module: MODULE, fn: 'badService', shared, services };
    await expect(mapInWorkers({ ...task, items: [0, 1, 2, 4], jobs: 2, batch: 1 })).rejects.toThrow(/service refused/);
    await expect(mapInWorkers({ ...task, items: [3, 3, 3, 3], jobs: 2, batch: 1 })).rejects.toThrow('no pool service named missing');
    await expect(mapInWorkers({ ...task, items: [3], jobs: 1 })).rejects.toThrow('no pool service named missing');
    const err = await mapInWorkers({ ...task, items: [0, 1, 2, 4], jobs: 2, batch: 1 }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('RangeError');
  });

  it('rejects when the module does not export the function', async () => {
    await expect(mapInWorkers({ module: MODULE, fn: 'notAFunction', shared, items, jobs: 2, batch: 4 })).rejects.toThrow(/does not export a function notAFunction/);
    await expect(mapInWorkers({ module: MODULE, fn: 'missing', shared, items, jobs: 1 })).rejects.toThrow(/does not export a function missing/);
  });
});

describe('defaultJobs', () => {
  const saved = process.env.EDGEFLEET_JOBS;
  afterEach(() => {
    if (saved === undefined) delete process.env.EDGEFLEET_JOBS;
    else process.env.EDGEFLEET_JOBS = saved;
  });

  it('takes EDGEFLEET_JOBS when set', () => {
    process.env.EDGEFLEET_JOBS = '3';
    expect(defaultJobs()).toBe(3);
  });

  it('defaults to the available CPUs, at least 1', () => {
    delete process.env.EDGEFLEET_JOBS;
    expect(defaultJobs()).toBeGreaterThanOrEqual(1);
  });

  it('rejects a value that is not a positive integer', () => {
    for (const bad of ['0', '-1', '1.5', 'two']) {
      process.env.EDGEFLEET_JOBS = bad;
      expect(() => defaultJobs(), bad).toThrow(/EDGEFLEET_JOBS must be a positive integer/);
    }
  });

  it('is what mapInWorkers uses when jobs is not given', async () => {
    process.env.EDGEFLEET_JOBS = '1';
    const out = await mapInWorkers<Shared, number, { thread: number }>({ module: MODULE, fn: 'scale', shared, items, batch: 2 });
    expect(new Set(out.map((r) => r.thread))).toEqual(new Set([threadId]));
    process.env.EDGEFLEET_JOBS = '2';
    const two = await mapInWorkers<Shared, number, { thread: number }>({ module: MODULE, fn: 'scale', shared, items, batch: 2 });
    expect(new Set(two.map((r) => r.thread)).size).toBe(2);
  });
});
