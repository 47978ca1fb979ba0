/**
 * Renders a group of sites and writes their files (or, for --check, only compares them): what each
 * worker thread of a streaming synth runs. Only paths and counts go back; the output stays here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SitePlan } from '../model/plan.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { InternalError } from '../util/errors.js';
import type { SiteRenderContext } from './site-files.js';
import { renderSite, sitePaths } from './synthesize.js';

export interface SiteWorkerShared extends SiteRenderContext {
  /** Absolute clusters directory. */
  readonly outDir: string;
  /** Compare only, write nothing. */
  readonly check: boolean;
}

export interface SiteGroup {
  readonly sites: readonly SitePlan[];
  /** Files of these sites already on disk with the generated header: written only if they differ. */
  readonly owned: readonly string[];
}

export interface SiteGroupOutcome {
  /** Paths relative to the clusters directory, in site order. */
  readonly create: string[];
  readonly update: string[];
  readonly unchanged: number;
  readonly files: number;
}

/** Atomic writes in flight at once: enough to overlap the fsyncs with rendering the next sites. */
const WRITES_IN_FLIGHT = 16;

export async function synthSiteGroup(shared: SiteWorkerShared, group: SiteGroup): Promise<SiteGroupOutcome> {
  const owned = new Set(group.owned);
  const outcome = { create: [] as string[], update: [] as string[], unchanged: 0, files: 0 };
  const writes = new WriteQueue();
  for (const site of group.sites) {
    const files = renderSite(site, shared);
    // The paths were checked for conflicts before anything was written: they must be the planned ones.
    const planned = sitePaths(site);
    if (files.length !== planned.length || files.some((f, i) => f.path !== planned[i])) {
      throw new InternalError(`site ${site.name} rendered ${files.map((f) => f.path).join(', ')} but its plan names ${planned.join(', ')}`);
    }
    for (const file of files) {
      outcome.files++;
      if (!owned.has(file.path)) outcome.create.push(file.path);
      else if (readFileSync(join(shared.outDir, file.path), 'utf8') === file.content) {
        outcome.unchanged++;
        continue;
      } else outcome.update.push(file.path);
      if (!shared.check) await writes.add(join(shared.outDir, file.path), file.content);
    }
  }
  await writes.drain();
  return outcome;
}

/** Atomic writes with at most WRITES_IN_FLIGHT at a time; the first failure is thrown by add or drain. */
class WriteQueue {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  async add(path: string, content: string): Promise<void> {
    while (this.running.size >= WRITES_IN_FLIGHT) await Promise.race(this.running);
    this.throwIfFailed();
    const write: Promise<void> = writeFileAtomic(path, content)
      .catch((error: unknown) => void (this.failure ??= { error }))
      .finally(() => this.running.delete(write));
    this.running.add(write);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}
