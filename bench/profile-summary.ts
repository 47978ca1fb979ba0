/**
 * Where a command's CPU goes: `node --cpu-prof --cpu-prof-dir DIR bin/edgefleet.js …`, then
 * `npx tsx bench/profile-summary.ts DIR/*.cpuprofile [--top 20]` prints self time by package, file and function.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { summariseProfile, type CpuProfile, type Row } from './lib/cpu-profile.js';
import { formatColumns } from './lib/table.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '20' } }, allowPositionals: true });
const table = (title: string, list: readonly Row[]): string =>
  formatColumns([[title, 'self ms', '%'], ...list.map((r) => [r.key, String(r.ms), r.pct.toFixed(1)])], new Set([1, 2]));
for (const file of positionals) {
  const s = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, REPO, Number(values.top));
  process.stdout.write(`${file}: ${s.totalMs} ms sampled (main thread)\n\n${table('package', s.byPackage)}\n\n${table('file', s.byFile)}\n\n${table('function', s.byFunction)}\n\n`);
}
