import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { inventoryValidatorsCode } from '../../src/inventory/schema-compile.js';
import { INVENTORY_SCHEMA_FILES, INVENTORY_VALIDATORS_FILE, SCHEMA_DIR } from '../../src/inventory/schema-files.js';

const Ajv = AjvModule.default;
type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };

describe('schemas/inventory-validators.mjs', () => {
  it('is what the schemas compile to now (else: npm run schemas:inventory)', () => {
    expect(readFileSync(new URL(INVENTORY_VALIDATORS_FILE, SCHEMA_DIR), 'utf8')).toBe(inventoryValidatorsCode());
  });

  it('judges documents as a runtime compile of the same schemas does, errors included', async () => {
    const compiled = (await import(new URL(INVENTORY_VALIDATORS_FILE, SCHEMA_DIR).href)) as Record<string, Validator>;
    const site = {
      apiVersion: 'edgefleet.io/v1alpha1',
      kind: 'Site',
      metadata: { name: 'lyon-pos-01', labels: { 'Bad Key': 'x' } },
      spec: { hardware: { cpu: 'lots', memory: 4 }, extra: true },
    };
    for (const [kind, file] of Object.entries(INVENTORY_SCHEMA_FILES)) {
      const schema = JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as object;
      const runtime = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
      for (const doc of [site, { ...site, kind }, {}, { apiVersion: 1 }]) {
        const ok = compiled[kind]!(doc);
        expect(ok, kind).toBe(runtime(doc));
        expect(compiled[kind]!.errors ?? null, kind).toEqual(runtime.errors ?? null);
      }
    }
  });
});
