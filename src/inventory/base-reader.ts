import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { InputProblem } from '../util/errors.js';
import { MAX_MANIFEST_FILE_BYTES, readInputFile } from '../util/read-input.js';
import { parseYamlFile, problemAt, type SourceDocument } from '../util/yaml-source.js';
import type { BaseResourceUse, BaseWorkload, Resources } from './types.js';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'Pod']);

export interface BaseContents {
  readonly workloads: BaseWorkload[];
  readonly resourceUse: BaseResourceUse[];
  /** Every file read, relative to the root, sorted. */
  readonly files: string[];
  readonly problems: InputProblem[];
}

/**
 * Reads a kustomize base the simple way (kustomization.yaml `resources`, recursively) to learn which
 * workloads and containers it declares. Synth uses this to cross-check app.yaml against the base and
 * to count add-ons' requests; the faithful build with real kustomize belongs to `validate`.
 */
export function readBase(root: string, dir: string): BaseContents {
  const out: BaseContents = { workloads: [], resourceUse: [], files: [], problems: [] };
  visit(root, resolve(root, dir), out, new Set());
  out.files.sort();
  return out;
}

function visit(root: string, dir: string, out: BaseContents, seen: Set<string>): void {
  if (seen.has(dir)) return;
  seen.add(dir);
  const kfile = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((f) => join(dir, f)).find((f) => existsSync(f));
  const relDir = rel(root, dir);
  if (!kfile) {
    out.problems.push({ file: relDir || '.', line: 1, column: 1, path: '', message: `no kustomization.yaml in ${relDir}/` });
    return;
  }
  const relK = rel(root, kfile);
  out.files.push(relK);
  const read = readInputFile(kfile, relK, 'kustomization file', MAX_MANIFEST_FILE_BYTES);
  if ('problem' in read) {
    out.problems.push(read.problem);
    return;
  }
  const parsed = parseYamlFile(relK, read.text);
  out.problems.push(...parsed.problems);
  const kdoc = parsed.documents[0];
  if (!kdoc) return;
  const resources = (kdoc.value as { resources?: unknown }).resources;
  if (!Array.isArray(resources)) return;
  resources.forEach((entry, i) => {
    if (typeof entry !== 'string' || /^[a-z]+:\/\//.test(entry)) return;
    const target = resolve(dir, entry);
    if (!isInside(root, target)) {
      out.problems.push(problemAt(kdoc, ['resources', i], `"${entry}" points outside the repository`));
      return;
    }
    if (!existsSync(target)) {
      out.problems.push(problemAt(kdoc, ['resources', i], `"${entry}" does not exist`));
      return;
    }
    if (statSync(target).isDirectory()) visit(root, target, out, seen);
    else readManifests(root, target, out);
  });
}

function readManifests(root: string, file: string, out: BaseContents): void {
  const relFile = rel(root, file);
  out.files.push(relFile);
  const read = readInputFile(file, relFile, 'manifest file', MAX_MANIFEST_FILE_BYTES);
  if ('problem' in read) {
    out.problems.push(read.problem);
    return;
  }
  const parsed = parseYamlFile(relFile, read.text);
  out.problems.push(...parsed.problems);
  for (const doc of parsed.documents) collect(doc, out);
}

function collect(doc: SourceDocument, out: BaseContents): void {
  const obj = doc.value as { kind?: unknown; metadata?: { name?: unknown }; spec?: Record<string, unknown> } | null;
  if (!obj || typeof obj.kind !== 'string' || !WORKLOAD_KINDS.has(obj.kind)) return;
  const name = String(obj.metadata?.name ?? '');
  const podSpec = podSpecOf(obj.kind, obj.spec);
  const containers = (podSpec?.containers ?? []) as { name?: string; resources?: Resources }[];
  const inits = (podSpec?.initContainers ?? []) as { name?: string }[];
  const claims = ((podSpec?.volumes ?? []) as { persistentVolumeClaim?: { claimName?: string } }[])
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((c): c is string => typeof c === 'string');
  out.workloads.push({
    kind: obj.kind,
    name,
    containers: containers.map((c) => String(c.name)),
    initContainers: inits.map((c) => String(c.name)),
    claims,
  });
  const replicas = typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : 1;
  out.resourceUse.push({ kind: obj.kind, name, replicas, containers: containers.map((c) => c.resources ?? {}) });
}

function podSpecOf(kind: string, spec: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!spec) return undefined;
  if (kind === 'Pod') return spec;
  if (kind === 'CronJob') {
    const job = (spec.jobTemplate as { spec?: Record<string, unknown> } | undefined)?.spec;
    return (job?.template as { spec?: Record<string, unknown> } | undefined)?.spec;
  }
  return (spec.template as { spec?: Record<string, unknown> } | undefined)?.spec;
}

function rel(root: string, p: string): string {
  return relative(root, p).split(sep).join('/');
}

export function isInside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[A-Za-z]:/.test(r));
}
