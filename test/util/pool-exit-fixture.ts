/** Run as a process: the pool must let it exit on its own, after a success and after a failure. */
import { mapInWorkers } from '../../src/util/worker-pool.js';

const module = new URL('./pool-fixture.ts', import.meta.url);
const items = Array.from({ length: 20 }, (_, i) => i);
const ok = await mapInWorkers<unknown, number, unknown>({ module, fn: 'identity', shared: {}, items, jobs: 2, batch: 2 });
process.stdout.write(`ok ${ok.length}\n`);
await mapInWorkers({ module, fn: 'hangOrFail', shared: {}, items, jobs: 2, batch: 1 }).catch((err: Error) => process.stdout.write(`rejected: ${err.message}\n`));
