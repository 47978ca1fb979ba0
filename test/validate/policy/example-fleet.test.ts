import { beforeAll, describe, expect, it } from 'vitest';
import { createBuildCache } from '../../../src/validate/build/cache.js';
import type { Finding } from '../../../src/validate/findings.js';
import { RULES } from '../../../src/validate/policy/rules/index.js';
import { validateRepository } from '../../../src/validate/validate-repo.js';
import { FIXTURE_FLEET_FILE } from '../../helpers/fixture-fleet.js';

/** `rule file:line [sites] message`, so that a failure says what fired where. */
const summary = (findings: readonly Finding[]): string[] => findings.map((f) => `${f.ruleId} ${f.file}:${f.line} [${f.sites.join(',')}] ${f.message}`);

describe('the whole rule catalogue on the example fleet', () => {
  let findings: readonly Finding[] = [];
  beforeAll(async () => {
    findings = (await validateRepository({ fleetFile: FIXTURE_FLEET_FILE, cache: createBuildCache(), today: '2026-11-26' })).findings;
  });

  it('finds nothing that is not waived', () => {
    expect(summary(findings.filter((f) => !f.waived))).toEqual([]);
  });

  it('waives only what the example documents, each with its reason in the base', () => {
    const waived = findings.filter((f) => f.waived);
    expect([...new Set(waived.map((f) => f.ruleId))].sort()).toEqual(['secrets-vault-offline-start', 'security-image-digest']);
    for (const f of waived) {
      expect(f.waived?.reason.length).toBeGreaterThan(40);
      expect(f.waived?.by).toMatch(/^(apps|infrastructure)\/.*:\d+$/);
    }
  });
});
