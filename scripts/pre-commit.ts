/**
 * The pre-commit check: `synth --check` and `validate` for the sites the staged files affect.
 *
 * .husky/pre-commit runs lint-staged, which hides unstaged changes of partially staged files and runs
 *   node --import tsx scripts/pre-commit.ts FILE…
 * with the staged files under fleet.yaml, sites/, apps/, infrastructure/, clusters/, schemas/ and src/
 * (package.json "lint-staged"). Without FILE arguments it asks git for the staged files itself.
 *
 * Both commands run in this process, from src/ through tsx rather than from dist/: one Node start-up
 * instead of two, and a commit that changes src/ is checked with the code it commits, with no stale build.
 * Exit codes: 0 nothing to check or all clean · 1 the commit would break a site (or the check failed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { run } from '../src/cli/main.js';
import { loadInventory } from '../src/inventory/load.js';
import { affectedSites } from '../src/select/affected.js';
import { InputError } from '../src/util/errors.js';

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
const args = process.argv.slice(2);
const files = (args.length > 0 ? args : stagedFiles()).map((f) => (isAbsolute(f) ? relative(root, f) : f).split(sep).join('/'));

const affected = sitesToCheck(files);
if (affected.kind !== 'none') {
  const siteArgs = affected.kind === 'sites' ? affected.sites.flatMap((s) => ['--site', s]) : [];
  const what = affected.kind === 'sites' ? `${affected.sites.length} site(s): ${affected.sites.join(', ')}` : `every site (${affected.because})`;
  process.stdout.write(`edgefleet pre-commit: checking ${what}\n`);
  const io = { stdout: process.stdout, stderr: process.stderr, cwd: root };
  const synth = await run(['synth', '--check', ...siteArgs], io);
  const validate = await run(['validate', ...siteArgs], io);
  if (synth !== 0 || validate !== 0) {
    process.stderr.write(
      '\nedgefleet pre-commit: this commit would break a site (above). Fix it, or regenerate clusters/ with `npm run synth` and stage it.\n' +
        'To commit anyway: git commit --no-verify (CI runs the same checks on the pull request).\n',
    );
    process.exitCode = 1;
  }
}

function stagedFiles(): string[] {
  const out = execFileSync('git', ['diff', '--cached', '--name-only', '--no-renames', '-z'], { cwd: root, encoding: 'utf8' });
  return out.split('\0').filter(Boolean);
}

type Affected = { readonly kind: 'none' } | { readonly kind: 'all'; readonly because: string } | { readonly kind: 'sites'; readonly sites: readonly string[] };

/** The same selection as `--changed-since` (src/select/affected.ts), erring towards checking every site. */
function sitesToCheck(changed: readonly string[]): Affected {
  let inventory;
  try {
    inventory = loadInventory(join(root, 'fleet.yaml'), { displayFrom: root });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    // A broken site file: checking that site is enough to show the error, and fast.
    const sites = changed.map((f) => /^sites\/([^/]+)\.ya?ml$/.exec(f)?.[1]);
    if (sites.every((x) => x !== undefined && existsSync(join(root, 'sites', `${x}.yaml`)))) return { kind: 'sites', sites: [...new Set(sites as string[])].sort() };
    return { kind: 'all', because: 'the inventory does not load' };
  }
  const selected = affectedSites(root, changed, inventory).sites;
  if (selected === 'all') return { kind: 'all', because: 'a fleet-wide input changed' };
  const known = new Set(inventory.sites.map((s) => s.value.metadata.name));
  // A deleted or renamed site: a full check reports its stale clusters/<site>/.
  const gone = selected.find((s) => !known.has(s));
  if (gone !== undefined) return { kind: 'all', because: `site ${gone} is no longer in the inventory` };
  return selected.length === 0 ? { kind: 'none' } : { kind: 'sites', sites: selected };
}
