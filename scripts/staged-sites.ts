/**
 * Which sites a set of changed files affects, for the pre-commit hook (scripts/pre-commit.ts).
 *
 * TODO(affectedSites): a stopgap. When the shared `affectedSites(...)` (src/select, also behind
 * `--changed-since`) lands, scripts/pre-commit.ts calls it instead and this file goes. Until then the
 * mapping is deliberately coarse, erring towards checking more:
 *   sites/<site>.yaml             → that site
 *   clusters/<site>/…             → that site
 *   either, for a site that no longer exists (deleted or renamed) → every site (synth --check then
 *                                   reports the stale clusters/<site>/)
 *   anything else under fleet.yaml, sites/, clusters/, apps/, infrastructure/, schemas/, src/ → every site
 *   anything outside those (docs, tests, workflows…) → nothing: it cannot change what synth or validate see
 */

export type Affected =
  | { readonly kind: 'none' }
  | { readonly kind: 'all'; readonly because: string }
  | { readonly kind: 'sites'; readonly sites: readonly string[] };

const EVERY_SITE = /^(fleet\.yaml$|(sites|clusters|apps|infrastructure|schemas|src)\/)/;

/** `files` are repository-relative, with forward slashes; `knownSites` are the sites the inventory has now. */
export function stagedSites(files: readonly string[], knownSites: ReadonlySet<string>): Affected {
  const sites = new Set<string>();
  for (const file of files) {
    const site = /^sites\/([^/]+)\.yaml$/.exec(file)?.[1] ?? /^clusters\/([^/]+)\/./.exec(file)?.[1];
    if (site !== undefined && knownSites.has(site)) sites.add(site);
    else if (site !== undefined) return { kind: 'all', because: `${file} belongs to no site of the inventory` };
    else if (EVERY_SITE.test(file)) return { kind: 'all', because: `${file} can affect every site` };
  }
  return sites.size === 0 ? { kind: 'none' } : { kind: 'sites', sites: [...sites].sort() };
}
