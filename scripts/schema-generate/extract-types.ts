/**
 * Structure of every kind from the packages' `.d.ts` files, via ts-json-schema-generator.
 *
 * The declarations know every field name, which fields are required, string-literal enums and
 * nesting; they do not know integers, formats or patterns (see probe-upstream.ts for those).
 */
import path from 'node:path';
import ts from 'typescript';
import { DEFAULT_CONFIG, SchemaGenerator, createFormatter, createParser, type CompletedConfig } from 'ts-json-schema-generator';
import { stableStringify } from './stable-json.js';
import {
  LOCAL_REF_PREFIX,
  refName,
  type DefinitionPool,
  type KindSchema,
  type KindSpec,
  type SchemaNode,
  type SourcePackage,
} from './types.js';

export interface ExtractedSchemas {
  readonly kinds: KindSchema[];
  readonly pools: Map<SourcePackage, DefinitionPool>;
}

/** Runs the generator over an in-memory entry file that re-exports each kind's interface. */
export function extractTypeSchemas(packageRoot: string, specs: readonly KindSpec[]): ExtractedSchemas {
  const entry = path.join(packageRoot, '__edgefleet_schema_entry__.ts');
  const source = specs
    .map((s, i) => `import type { I${s.kind} as T${i} } from ${JSON.stringify(`${s.pkg}/${s.apiVersion}/${s.kind}`)};\nexport type K${i} = T${i};`)
    .join('\n');
  const program = createVirtualProgram(entry, source);
  const config: CompletedConfig = {
    ...DEFAULT_CONFIG,
    path: entry,
    additionalProperties: false,
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    jsDoc: 'none',
    sortProps: true,
  };
  const generator = new SchemaGenerator(program, createParser(program, config), createFormatter(config), config);

  const pools = new Map<SourcePackage, DefinitionPool>();
  const kinds = specs.map((spec, i): KindSchema => {
    const generated = generator.createSchema(`K${i}`) as { definitions?: Record<string, SchemaNode> };
    const definitions = generated.definitions ?? {};
    const rootName = followAlias(definitions, `K${i}`);
    const root = definitions[rootName];
    if (!root) throw new Error(`ts-json-schema-generator produced no definition for ${spec.pkg} I${spec.kind}`);
    const pool = pools.get(spec.pkg) ?? new Map<string, SchemaNode>();
    pools.set(spec.pkg, pool);
    for (const [name, def] of Object.entries(definitions)) {
      if (name === rootName || name === `K${i}`) continue;
      addToPool(pool, spec.pkg, definitionName(name), renameRefs(def));
    }
    return { spec, root: renameRefs(root) };
  });
  return { kinds, pools };
}

function createVirtualProgram(entry: string, source: string): ts.Program {
  // Node10 resolution reads the packages' `types`/file layout, which both packages ship.
  const options: ts.CompilerOptions = {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) =>
    file === entry ? ts.createSourceFile(file, source, language) : getSourceFile.call(host, file, language, ...rest);
  host.fileExists = (file) => file === entry || fileExists.call(host, file);
  host.readFile = (file) => (file === entry ? source : readFile.call(host, file));
  const program = ts.createProgram([entry], options, host);
  const unresolved = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === entry)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (unresolved.length > 0) throw new Error(`cannot resolve kinds in the registry packages:\n${unresolved.join('\n')}`);
  return program;
}

/** `K3` is an alias whose definition is only a reference to the kind's interface. */
function followAlias(definitions: Record<string, SchemaNode>, name: string): string {
  const ref = definitions[name]?.$ref;
  const target = ref === undefined ? undefined : refName(ref);
  return target === undefined ? name : followAlias(definitions, decodeURIComponent(target));
}

/** The declarations prefix interfaces with "I" (IPodSpec); the schemas use the API's names. */
function definitionName(name: string): string {
  return decodeURIComponent(name).replace(/^I(?=[A-Z])/, '');
}

function renameRefs<T>(node: T): T {
  if (Array.isArray(node)) return node.map(renameRefs) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const target = key === '$ref' && typeof value === 'string' ? refName(value) : undefined;
    out[key] = target === undefined ? renameRefs(value) : LOCAL_REF_PREFIX + definitionName(target);
  }
  return out as T;
}

function addToPool(pool: DefinitionPool, pkg: SourcePackage, name: string, def: SchemaNode): void {
  const existing = pool.get(name);
  if (existing === undefined) {
    pool.set(name, def);
  } else if (stableStringify(existing) !== stableStringify(def)) {
    // Two declarations with one name in one package: sharing either would be wrong for some kind.
    throw new Error(`${pkg}: two different types are both named "${name}"; the definition pool needs qualified names`);
  }
}
