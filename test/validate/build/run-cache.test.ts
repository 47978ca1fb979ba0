import { describe, expect, test } from 'vitest';
import { remoteRunner, RunCache, serveKustomize, type KustomizeRequest } from '../../../src/validate/build/run-cache.js';
import { KustomizeRunError, type RawBuild } from '../../../src/validate/build/kustomize.js';
import { KubectlNotFoundError } from '../../../src/validate/build/errors.js';

/** A build that finishes when told to, recording how many run at once. */
function harness() {
  let running = 0;
  let peak = 0;
  const release: (() => void)[] = [];
  const build = (): Promise<RawBuild> => {
    running++;
    peak = Math.max(peak, running);
    return new Promise((resolve) =>
      release.push(() => {
        running--;
        resolve({ objects: [] });
      }),
    );
  };
  return { build, release, peak: () => peak };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('RunCache', () => {
  test('a key requested while its build runs shares that build', async () => {
    const cache = new RunCache();
    const h = harness();
    const a = cache.get('k', h.build);
    const b = cache.get('k', h.build);
    await tick();
    h.release.shift()?.();
    expect(await a).toBe(await b);
    expect(cache.stats).toEqual({ builds: 1, hits: 1 });
  });

  test('no more than `concurrency` builds run at once; the rest wait their turn', async () => {
    const cache = new RunCache({ concurrency: 2 });
    const h = harness();
    const all = ['a', 'b', 'c', 'd', 'e'].map((k) => cache.get(k, h.build));
    for (let i = 0; i < 5; i++) {
      await tick();
      h.release.shift()?.();
    }
    await Promise.all(all);
    expect(h.peak()).toBe(2);
    expect(cache.stats).toEqual({ builds: 5, hits: 0 });
  });

  test('a failed build is kept and handed to later requests of the key', async () => {
    const cache = new RunCache({ concurrency: 1 });
    let calls = 0;
    const failing = async (): Promise<RawBuild> => {
      calls++;
      throw new Error('no');
    };
    await expect(cache.get('k', failing)).rejects.toThrow('no');
    await expect(cache.get('k', failing)).rejects.toThrow('no');
    expect(calls).toBe(1);
    // The slot was given back: another key still builds.
    await expect(cache.get('other', async () => ({ objects: [] }))).resolves.toEqual({ objects: [] });
  });

  test('requests from other threads are answered by one cache: each key runs once, failures keep their class', async () => {
    const ran: string[] = [];
    const runner = async (r: KustomizeRequest): Promise<RawBuild> => {
      ran.push(r.key);
      if (r.key === 'bad') throw new KustomizeRunError('accumulating resources: missing.yaml');
      if (r.key === 'nokubectl') throw new KubectlNotFoundError('/no/kubectl');
      return { objects: [{ kind: 'ConfigMap', metadata: { name: r.dirRel } }] };
    };
    const shared = new RunCache({ runner });
    // what crosses between threads is plain data: a structured clone of the request and of the reply
    const ask = async (r: KustomizeRequest) => structuredClone(await serveKustomize(shared, structuredClone(r)));
    const workers = [new RunCache({ runner: remoteRunner(ask), concurrency: 8 }), new RunCache({ runner: remoteRunner(ask), concurrency: 8 })];
    const req = (key: string): KustomizeRequest => ({ key, realRoot: '/repo', dirRel: `apps/${key}`, text: 'resources: []\n' });
    const [a, b] = await Promise.all(workers.map((w) => w.run(req('good'))));
    expect(a).toEqual({ objects: [{ kind: 'ConfigMap', metadata: { name: 'apps/good' } }] });
    expect(b).toEqual(a);
    for (const w of workers) {
      await expect(w.run(req('bad'))).rejects.toBeInstanceOf(KustomizeRunError);
      await expect(w.run(req('bad'))).rejects.toThrow('accumulating resources: missing.yaml');
      const err = await w.run(req('nokubectl')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubectlNotFoundError);
      expect((err as KubectlNotFoundError).command).toBe('/no/kubectl');
    }
    expect(ran).toEqual(['good', 'bad', 'nokubectl']);
    expect(shared.stats).toEqual({ builds: 3, hits: 3 });
  });
});
