import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyExample } from './example-copy.js';

/** The fixture fleet grown to `n` sites by cycling through its site files under new names. */
export function fleetOf(n: number): { dir: string; fleetFile: string; cleanup: () => void } {
  const { dir, cleanup } = copyExample('edgefleet-fleet-');
  const sitesDir = join(dir, 'sites');
  const templates = readdirSync(sitesDir).sort();
  const texts = templates.map((f) => readFileSync(join(sitesDir, f), 'utf8'));
  rmSync(sitesDir, { recursive: true });
  rmSync(join(dir, 'clusters'), { recursive: true });
  mkdirSync(sitesDir);
  for (let i = 0; i < n; i++) {
    const t = i % templates.length;
    const original = (templates[t] ?? '').replace(/\.yaml$/, '');
    const name = `${original}-${String(i).padStart(4, '0')}`;
    writeFileSync(join(sitesDir, `${name}.yaml`), (texts[t] ?? '').replace(`name: ${original}`, `name: ${name}`));
  }
  return { dir, fleetFile: join(dir, 'fleet.yaml'), cleanup };
}
