/**
 * ESLint-RuleTester-style harness: run one rule over objects written as YAML, on a site of the
 * example fleet (optionally altered), and get its findings with file:line:column in that YAML.
 */
import { join } from 'node:path';
import { loadInventory } from '../../../src/inventory/load.js';
import type { AppSpec, FleetSpec } from '../../../src/inventory/types.js';
import type { SitePlan } from '../../../src/model/plan.js';
import { resolveFleet } from '../../../src/model/resolve.js';
import type { Finding } from '../../../src/validate/findings.js';
import { objectRef } from '../../../src/validate/manifests.js';
import { runRules } from '../../../src/validate/policy/run.js';
import type { AnyRule, PolicyObject } from '../../../src/validate/policy/types.js';
import { locate, parseYamlFile } from '../../../src/util/yaml-source.js';
import { FIXTURE_FLEET, FIXTURE_FLEET_FILE } from '../../helpers/fixture-fleet.js';

const inventory = loadInventory(FIXTURE_FLEET_FILE, { displayFrom: FIXTURE_FLEET });
const plan = resolveFleet(inventory);

export const FIXTURE_FILE = 'fixture.yaml';

/** A site of the example fleet by name, optionally changed (e.g. `{ ...s, nodes: 3 }`). */
export function exampleSite(name: string, change: (s: SitePlan) => SitePlan = (s) => s): SitePlan {
  const site = plan.sites.find((s) => s.name === name);
  if (!site) throw new Error(`no example site ${name}`);
  return change(site);
}

export const exampleFleet = inventory.fleet.value.spec;
export const exampleApps: ReadonlyMap<string, AppSpec> = new Map([...inventory.apps].map(([n, a]) => [n, a.value.spec]));

export interface RuleCase {
  /** One or more YAML documents: the objects the site applies. */
  readonly yaml: string;
  /** Site the objects are applied on (default lyon-pos-01: k3s, amd64, one node, always-on, eu). */
  readonly site?: SitePlan;
  /** Catalogue app the objects were built for (sets their Kustomization to app-<app>). */
  readonly app?: string;
  readonly options?: object;
  readonly apps?: ReadonlyMap<string, AppSpec>;
  /** The fleet's spec (default: the example's), e.g. with spec.validation.rules settings. */
  readonly fleet?: FleetSpec;
}

export function runRule(rule: AnyRule, c: RuleCase): Finding[] {
  const parsed = parseYamlFile(FIXTURE_FILE, c.yaml);
  if (parsed.problems.length > 0) throw new Error(`fixture YAML: ${parsed.problems.map((p) => p.message).join('; ')}`);
  const objects: PolicyObject[] = parsed.documents.map((source) => {
    const object = source.value as Record<string, unknown>;
    return {
      object,
      ref: objectRef(object),
      ...(c.app ? { kustomization: `app-${c.app}`, app: c.app } : {}),
      locate: (path, key) => locate(source, path, { key: key === true }),
    };
  });
  const site = c.site ?? exampleSite('lyon-pos-01');
  return runRules([rule], { site, fleet: c.fleet ?? exampleFleet, apps: c.apps ?? exampleApps, objects }, c.options ? { [rule.id]: c.options } : {});
}

/** `line:column` of each finding, for compact assertions. */
export function where(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.line}:${f.column} ${f.jsonPath}`);
}
