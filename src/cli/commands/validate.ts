import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseShardSpec, shardSites } from '../../shard/shard.js';
import { formatterFor } from '../../report/formatters/index.js';
import { createBuildCache } from '../../validate/build/cache.js';
import { validatePaths } from '../../validate/validate-paths.js';
import { validateRepository } from '../../validate/validate-repo.js';
import { hasErrors } from '../../validate/findings.js';
import { ruleDocsUrl } from '../../validate/policy/define-rule.js';
import { RULES } from '../../validate/policy/rules/index.js';
import { InputError, UsageError } from '../../util/errors.js';
import { loadInventory, siteNames } from '../../inventory/load.js';
import type { Inventory } from '../../inventory/types.js';
import { sitesChangedSince } from '../changed-since.js';
import { checkNow } from '../dates.js';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../exit.js';

export interface ValidateArgs {
  readonly paths: readonly string[];
  readonly fleet: string;
  readonly root: string | undefined;
  readonly sites: readonly string[];
  readonly format: string;
  /** Today for waiver expiry, YYYY-MM-DD (default: the current UTC date). */
  readonly now: string | undefined;
  /** `i/n`: validate only the i-th of n deterministic, balanced slices of the sites (CI matrices). */
  readonly shard: string | undefined;
  /** Only the sites a change since this git ref can affect. */
  readonly changedSince?: string | undefined;
  /** Where the rendered sites are (default: clusters/ beside the fleet file); `synth --out DIR --validate` passes DIR. */
  readonly clustersDir?: string | undefined;
  /** The inventory `synth --validate` loaded (relative to the fleet file's directory, holding the named sites or all). */
  readonly inventory?: Inventory | undefined;
}

export async function validateCommand(args: ValidateArgs, io: Io): Promise<number> {
  const format = formatterFor(args.format); // reject an unknown format before doing any work
  checkNow(args.now);
  if (args.shard !== undefined) parseShardSpec(args.shard);
  if (args.shard !== undefined && args.paths.length > 0) throw new UsageError('--shard splits the repository\'s sites; it cannot be combined with PATHs');
  const cache = createBuildCache();
  const fleetFile = resolve(io.cwd, args.fleet);
  if (args.changedSince !== undefined && args.paths.length > 0) throw new UsageError('--changed-since selects the repository\'s sites; it cannot be combined with PATHs');
  let sites: readonly string[] = args.shard === undefined ? args.sites : shardSites(args.sites.length > 0 ? args.sites : siteNames(fleetFile), args.shard);
  let narrowed = args.shard !== undefined;
  if (args.changedSince !== undefined) {
    const names = siteNames(fleetFile);
    const changed = await sitesChangedSinceOrAll(fleetFile, args.changedSince);
    if (changed !== 'all') {
      // Deleted sites are gone from the inventory: nothing of theirs is left to validate.
      sites = (sites.length > 0 ? sites : names).filter((s) => changed.includes(s) && names.includes(s));
      narrowed = true;
    }
  }
  const empty = { findings: [], stats: { sites: 0, kustomizations: 0, objects: 0 } };
  const result =
    args.paths.length > 0
      ? await validatePaths({ root: args.root ? resolve(io.cwd, args.root) : gitTop(io.cwd), paths: args.paths, cwd: io.cwd, cache })
      : narrowed && sites.length === 0
        ? empty // nothing selected (more shards than sites, or no site touched): an empty list would mean every site
        : await validateRepository({ fleetFile, ...(args.root ? { root: resolve(io.cwd, args.root) } : {}), sites, displayFrom: io.cwd, cache, ...(args.clustersDir ? { clustersDir: args.clustersDir } : {}), ...(args.inventory ? { inventory: args.inventory } : {}), ...(args.now ? { today: args.now } : {}) });
  const rules = RULES.map((r) => ({ id: r.id, severity: r.meta.severity, description: r.meta.description, remediation: r.meta.remediation, helpUri: ruleDocsUrl(r.id), category: r.meta.category }));
  io.stdout.write(format({ findings: result.findings, stats: result.stats, rules }, { color: io.stdout.isTTY === true }));
  return hasErrors(result.findings) ? EXIT_FINDINGS : EXIT_OK;
}

/** The selection needs a valid inventory; when it does not load, every site is checked (and validate reports why). */
async function sitesChangedSinceOrAll(fleetFile: string, ref: string): Promise<readonly string[] | 'all'> {
  let inv;
  try {
    inv = loadInventory(fleetFile);
  } catch (err) {
    if (err instanceof InputError) return 'all';
    throw err;
  }
  return sitesChangedSince(inv, fleetFile, ref);
}

/** Paths given on the command line resolve from the git top level, as CI and editors expect. */
function gitTop(cwd: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return cwd;
  }
}
