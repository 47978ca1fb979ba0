import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A repository of its own (nested in bench/out/, which the project ignores): no hooks, no signing, fixed identity. */
const GIT_CONFIG = ['-c', 'user.name=edgefleet bench', '-c', 'user.email=bench@edgefleet.invalid', '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null'];

export function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', [...GIT_CONFIG, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 2 ** 20 });
}

/** git init + commit everything, synthesized clusters/ included: the base a plan compares with. */
export function commitFleet(dir: string): void {
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'bench: generated fleet']);
}

export interface SiteEdit {
  readonly site: string;
  readonly file: string;
  readonly description: string;
}

const REPLICAS_2 = /replicas: \{ ([a-z0-9-]+): 2 \}/;

/**
 * The one-site change of the plan and one-site figures, chosen deterministically: the first site (by
 * name) with a replicas override of 2 goes to 1 (always fits; changes that site's rendered output).
 * A fleet without such an override gets a bandwidth change instead (renders nothing different).
 */
export function editOneSite(fleetDir: string): SiteEdit {
  const dir = join(fleetDir, 'sites');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const m = REPLICAS_2.exec(text);
    if (m) {
      writeFileSync(join(dir, f), text.replace(REPLICAS_2, `replicas: { ${m[1]}: 1 }`));
      return { site: f.replace(/\.yaml$/, ''), file: `sites/${f}`, description: `replicas of ${m[1]} 2 → 1` };
    }
  }
  const f = files[0];
  if (!f) throw new Error(`no sites in ${dir}`);
  const text = readFileSync(join(dir, f), 'utf8');
  writeFileSync(join(dir, f), text.replace(/bandwidthMbps: \d+/, 'bandwidthMbps: 777'));
  return { site: f.replace(/\.yaml$/, ''), file: `sites/${f}`, description: 'bandwidthMbps → 777' };
}

/** Puts a site's committed clusters/ files back, so each one-site synth round has the same work to do. */
export function resetSiteClusters(fleetDir: string, site: string): void {
  git(fleetDir, ['checkout', '-q', 'HEAD', '--', `clusters/${site}`]);
}
