import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * edgefleet's own version, from its package.json: three levels up from this module both in src/report/
 * (tsx, tests) and in dist/report/ (the published build).
 */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
