import { execFileSync } from 'node:child_process';
import { dirname, relative, resolve, sep } from 'node:path';
import { loadInventory } from '../../inventory/load.js';
import { resolveFleet } from '../../model/resolve.js';
import { UsageError } from '../../util/errors.js';
import { didYouMean } from '../../util/suggest.js';
import { DEFAULT_VERSIONS, bootstrapScript } from '../../synth/bootstrap.js';
import { EXIT_OK, type Io } from '../exit.js';

/**
 * Prints how to bring up one site: install the runtime, then `flux bootstrap git` pointed at the
 * site's own directory, polling at its network profile's source interval.
 */
export async function bootstrapCommand(args: { fleet: string; site: string }, io: Io): Promise<number> {
  const inv = loadInventory(resolve(io.cwd, args.fleet), { displayFrom: io.cwd });
  const names = inv.sites.map((s) => s.value.metadata.name);
  if (!names.includes(args.site)) throw new UsageError(`unknown site "${args.site}"${didYouMean(args.site, names)}`);
  const plan = resolveFleet(inv, new Set([args.site]));
  const site = plan.sites[0];
  if (!site) throw new UsageError(`unknown site "${args.site}"`);
  const siteDir = resolve(dirname(resolve(io.cwd, args.fleet)), 'clusters', site.name);
  const spec = inv.fleet.value.spec;
  const versions = { runtime: spec.runtimes[site.runtime].version ?? DEFAULT_VERSIONS[site.runtime], flux: spec.flux.version ?? DEFAULT_VERSIONS.flux };
  io.stdout.write(bootstrapScript(plan.source, plan.fluxComponents, site, relative(gitTop(siteDir), siteDir).split(sep).join('/'), versions));
  return EXIT_OK;
}

/** Flux's --path is relative to the repository root, which need not be the fleet file's directory. */
function gitTop(dir: string): string {
  let probe = dir;
  while (probe !== dirname(probe)) {
    try {
      return execFileSync('git', ['-C', probe, 'rev-parse', '--show-toplevel'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      probe = dirname(probe); // the site directory may not exist yet
    }
  }
  return resolve(dir, '..', '..');
}
