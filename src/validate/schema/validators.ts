/**
 * The precompiled validators (`schemas/kubernetes/validators.mjs`, ajv standalone code). Loaded
 * once at import: tens of milliseconds, against seconds to compile the schemas at run time.
 */
import { SCHEMA_DIR } from './schema-files.js';

/** An ajv error as the standalone code reports it (compiled with `messages: false`). */
export interface AjvErrorLike {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export type CompiledValidator = ((data: unknown) => boolean) & { errors?: AjvErrorLike[] | null };

const compiled = (await import(new URL('validators.mjs', SCHEMA_DIR).href)) as {
  validators: Readonly<Record<string, CompiledValidator>>;
};

/** By `apiVersion/kind` ("apps/v1/Deployment", "v1/Pod"). */
export function compiledValidator(key: string): CompiledValidator | undefined {
  return Object.hasOwn(compiled.validators, key) ? compiled.validators[key] : undefined;
}
