/**
 * Merges the SARIF logs of the shards of `edgefleet validate --shard i/n --format sarif` into one log with
 * one run, for one code scanning upload (see .github/workflows/synth-and-validate.yml).
 *
 *   tsx scripts/merge-sarif.ts --out merged.sarif shard-1.sarif shard-2.sarif …
 *
 * Exit codes: 0 written · 2 usage, or an input that is not edgefleet's SARIF.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mergeSarifLogs, SarifMergeError } from '../src/shard/merge-sarif.js';
import { writeFileAtomic } from '../src/util/atomic-write.js';

try {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string', short: 'o' } }, allowPositionals: true, strict: true });
  if (!values.out || positionals.length === 0) throw new SarifMergeError('usage: tsx scripts/merge-sarif.ts --out FILE SARIF...');
  const logs = positionals.map((p) => {
    try {
      return JSON.parse(readFileSync(resolve(p), 'utf8')) as unknown;
    } catch (err) {
      throw new SarifMergeError(`${p}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const merged = mergeSarifLogs(logs, positionals);
  await writeFileAtomic(resolve(values.out), `${JSON.stringify(merged, null, 2)}\n`);
  const results = (merged.runs[0] as { results: unknown[] }).results.length;
  console.log(`${values.out}: ${results} result(s) from ${positionals.length} SARIF file(s)`);
} catch (err) {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
}
