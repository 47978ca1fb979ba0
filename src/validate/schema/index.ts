export { validateManifest, schemaSources, schemaKinds } from './validate-manifest.js';
export type { SchemaIssue, SchemaKind, SchemaResult, SchemaSources } from './types.js';
