import { existsSync, readdirSync, statSync } from 'node:fs';
import { MAX_MANIFEST_FILE_BYTES, readInputFile } from '../util/read-input.js';
import { join, relative, sep } from 'node:path';
import { knownSourceDocuments, locate, parseYamlFile, subDocument, type SourceDocument } from '../util/yaml-source.js';
import type { Finding } from './findings.js';

/** A parsed Kubernetes manifest and the document it came from (for file:line). */
export interface ManifestDoc {
  /** Path relative to the repository root, with forward slashes. */
  readonly file: string;
  readonly source: SourceDocument;
  readonly object: Record<string, unknown>;
}

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A file whose content and objects are known (synth rendered it): when the file holds that text, it is not parsed. */
export interface KnownFile {
  readonly content: string;
  readonly objects: readonly Record<string, unknown>[];
}

/**
 * Every YAML document under `dir` (or in the file `dir`), sorted by file; kustomize config files excluded.
 * `known` (by absolute path): files whose text is known with its objects, which are then used as they are.
 * `texts` (by absolute path): contents already read (by the drift check), not read again.
 */
export function readManifestTree(root: string, dir: string, known?: ReadonlyMap<string, KnownFile>, texts?: ReadonlyMap<string, string>): { docs: ManifestDoc[]; findings: Finding[] } {
  const docs: ManifestDoc[] = [];
  const findings: Finding[] = [];
  for (const abs of listYamlFiles(dir)) {
    const file = relative(root, abs).split(sep).join('/');
    let text = texts?.get(abs);
    if (text === undefined) {
      const read = readInputFile(abs, file, 'manifest file', MAX_MANIFEST_FILE_BYTES);
      if ('problem' in read) {
        findings.push({ ruleId: 'yaml', severity: 'error', message: read.problem.message, file, line: 1, column: 1, jsonPath: '', sites: [] });
        continue;
      }
      text = read.text;
    }
    const same = known?.get(abs);
    if (same && same.content === text) {
      const sources = knownSourceDocuments(file, text, same.objects);
      same.objects.forEach((object, i) => docs.push({ file, source: sources[i] as SourceDocument, object }));
      continue;
    }
    const parsed = parseYamlFile(file, text);
    for (const p of parsed.problems) {
      findings.push({ ruleId: 'yaml', severity: 'error', message: p.message, file: p.file, line: p.line, column: p.column, jsonPath: '', sites: [] });
    }
    for (const source of parsed.documents.flatMap(listItems)) {
      const value = source.value;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        const at = locate(source, []);
        findings.push({ ruleId: 'yaml', severity: 'error', message: `expected a Kubernetes object (a mapping), got ${JSON.stringify(value)?.slice(0, 80)}`, file, line: at.line, column: at.column, jsonPath: '', sites: [] });
        continue;
      }
      docs.push({ file, source, object: value as Record<string, unknown> });
    }
  }
  return { docs, findings };
}

/** A `v1 List` stands for its items (as kubectl reads it), each located at the item; anything else stands for itself. */
function listItems(source: SourceDocument): SourceDocument[] {
  const v = source.value as { apiVersion?: unknown; kind?: unknown; items?: unknown } | null;
  if (v === null || typeof v !== 'object' || v.apiVersion !== 'v1' || v.kind !== 'List' || !Array.isArray(v.items)) return [source];
  return v.items.map((item: unknown, i) => subDocument(source, ['items', i], item));
}

function listYamlFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  const out: string[] = [];
  for (const e of readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(path, e.name);
    if (e.isDirectory()) out.push(...listYamlFiles(p));
    else if (e.isFile() && /\.ya?ml$/.test(e.name) && !KUSTOMIZATION_FILES.includes(e.name)) out.push(p);
  }
  return out;
}

export function objectRef(obj: Record<string, unknown>): { apiVersion: string; kind: string; namespace?: string; name: string } {
  const metadata = (obj.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  return {
    apiVersion: String(obj.apiVersion ?? ''),
    kind: String(obj.kind ?? ''),
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    name: String(metadata.name ?? ''),
  };
}
