import { resolve } from 'node:path';
import { planFormatter } from '../../plan/format/index.js';
import { planChanges } from '../../plan/plan.js';
import { UsageError } from '../../util/errors.js';
import { createBuildCache } from '../../validate/build/cache.js';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../exit.js';
import { progress } from '../progress.js';

export interface PlanArgs {
  readonly base: string | undefined;
  readonly head: string | undefined;
  readonly format: string;
  readonly fleet: string;
  readonly changedSince: string | undefined;
}

/**
 * `edgefleet plan --base <ref>`: what each site would apply differently at the working tree (or --head)
 * than at <ref>. Exit 0, or 1 when an affected site's head side fails to build; 2 for usage or bad input.
 */
export async function planCommand(args: PlanArgs, io: Io): Promise<number> {
  const format = planFormatter(args.format); // reject an unknown format before doing any work
  if (!args.base) throw new UsageError('plan needs --base <git-ref> (the commit to compare with, e.g. origin/main)');
  const tick = progress(io, 'plan');
  tick(`building the sites at ${args.base} and ${args.head ?? 'the working tree'}`);
  const plan = await planChanges({
    fleetFile: resolve(io.cwd, args.fleet),
    base: args.base,
    ...(args.head !== undefined ? { head: args.head } : {}),
    ...(args.changedSince !== undefined ? { changedSince: args.changedSince } : {}),
    cache: createBuildCache(),
    displayFrom: io.cwd,
  });
  tick.done();
  io.stdout.write(format(plan));
  return plan.sites.some((s) => s.errors.head.length > 0) ? EXIT_FINDINGS : EXIT_OK;
}
