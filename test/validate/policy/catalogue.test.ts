import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRulesDoc } from '../../../src/validate/policy/docs.js';
import { RULES } from '../../../src/validate/policy/rules/index.js';
import { REPO_ROOT } from '../../helpers/temp-repo.js';

const RULES_DIR = join(REPO_ROOT, 'src/validate/policy/rules');
const TESTS_DIR = join(REPO_ROOT, 'test/validate/policy/rules');
const ruleFiles = readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, '')).sort();

describe('the rule catalogue', () => {
  it('indexes exactly the rule files, sorted by id, each file exporting the rule of its name', async () => {
    expect(RULES.map((r) => r.id)).toEqual(ruleFiles);
    for (const id of ruleFiles) {
      const mod = (await import(join(RULES_DIR, `${id}.ts`))) as { default: { id: string } };
      expect(mod.default.id, `${id}.ts`).toBe(id);
    }
  });

  it.each(ruleFiles)('%s has a test with a case that must fire and one that must not', (id) => {
    const file = join(TESTS_DIR, `${id}.test.ts`);
    expect(existsSync(file), `missing ${file}`).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text, 'a non-firing case: runRule(...) with toEqual([])').toMatch(/toEqual\(\[\]\)/);
    expect(text, 'a firing case asserting where it fires').toMatch(/where\(|\.line\)|toMatchObject\(\{[^}]*line/);
  });

  it('has complete metadata', () => {
    for (const r of RULES) {
      expect(r.meta.description.length, r.id).toBeGreaterThan(20);
      expect(r.meta.remediation.trim().endsWith('.'), r.id).toBe(true);
      expect(r.meta.kinds.length, r.id).toBeGreaterThan(0);
    }
  });

  it('is documented: docs/rules.md is what `npm run docs` renders, with a section per rule', () => {
    const doc = readFileSync(join(REPO_ROOT, 'docs/rules.md'), 'utf8');
    expect(doc).toBe(renderRulesDoc(RULES));
    for (const r of RULES) expect(doc).toContain(`### ${r.id}\n`);
  });
});
