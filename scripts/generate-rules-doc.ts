/** Writes docs/rules.md from the rule catalogue's metadata. `--check` exits 1 when the file is stale. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/util/atomic-write.js';
import { renderRulesDoc } from '../src/validate/policy/docs.js';
import { RULES } from '../src/validate/policy/rules/index.js';

const file = fileURLToPath(new URL('../docs/rules.md', import.meta.url));
const wanted = renderRulesDoc(RULES);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== wanted) {
    console.log('docs/rules.md is stale. Fix: npm run docs');
    process.exitCode = 1;
  }
} else {
  await writeFileAtomic(file, wanted);
  console.log(`docs/rules.md: ${RULES.length} rules`);
}
