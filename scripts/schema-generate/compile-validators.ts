/**
 * Compiles every kind once, at generation time, into one ESM module of ajv standalone code, so a
 * validation run imports plain functions instead of compiling megabytes of schema.
 */
import { Ajv, _, type AnySchema } from 'ajv';
import addFormatsModule from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';

// CommonJS modules that also set `exports.default`: the default import is the module object.
const addFormats = addFormatsModule.default;
const standaloneCode = standaloneModule.default;

export interface CompiledKind {
  /** `apiVersion/kind`, the key callers look validators up by. */
  readonly key: string;
  /** `$id` of the kind's schema among `schemas`. */
  readonly id: string;
}

/** Export name of a kind's validator: `apps/v1/Deployment` → `apps_v1_Deployment`. */
export function validatorExportName(key: string): string {
  return key.replace(/[^A-Za-z0-9]/g, '_');
}

/**
 * `schemas` are all kind and definition schemas, each with a relative `$id` (`apps/v1/deployment.json`)
 * so that their relative `$ref`s resolve the same way in ajv as on disk.
 */
export function compileValidators(schemas: readonly object[], kinds: readonly CompiledKind[], header: string): string {
  const ajv = new Ajv({
    schemas: schemas.map(withoutAnnotations) as AnySchema[],
    allErrors: true, // report every problem of a document, not the first
    strict: true,
    allowUnionTypes: true,
    messages: false, // messages are written by issues.ts from keyword + params
    code: {
      source: true,
      esm: true,
      formats: _`require("ajv-formats/dist/formats").fullFormats`,
    },
  });
  addFormats(ajv);
  const exportsMap = Object.fromEntries(kinds.map((k) => [validatorExportName(k.key), k.id]));
  const code = standaloneCode(ajv, exportsMap).replace(/^"use strict";/, '');
  const table = kinds.map((k) => `  ${JSON.stringify(k.key)}: ${validatorExportName(k.key)},`).join('\n');
  return [
    header,
    // ajv's ESM output still loads its runtime helpers and formats with require().
    'import { createRequire } from "node:module";',
    'const require = createRequire(import.meta.url);',
    code,
    `export const validators = {\n${table}\n};`,
    '',
  ].join('\n');
}

/** Descriptions and comments change nothing a validator does; leaving them out keeps the module small. */
function withoutAnnotations(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !((key === 'description' || key === '$comment') && typeof value === 'string'))
      .map(([key, value]) => [key, key === 'properties' || key === 'definitions' ? mapValues(value) : withoutAnnotations(value)]),
  );
}

/** Under `properties`, a field may itself be called "description". */
function mapValues(map: unknown): unknown {
  if (map === null || typeof map !== 'object') return map;
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, withoutAnnotations(value)]));
}
