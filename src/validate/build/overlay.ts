/**
 * The kustomization kustomize-controller builds for a Flux Kustomization (fluxcd/pkg kustomize/
 * kustomize_generator.go, Generator.WriteFile, called from kustomize-controller's reconcile). Flux does NOT
 * put an overlay on top of `spec.path`: it rewrites the kustomization file found at the path, in place:
 * - the file is decoded into kustomize's Kustomization type (sigs.k8s.io/yaml, not strict), so unknown
 *   fields are dropped silently; with no file at the path one is generated (see `generatedKustomization`);
 * - an existing file with no `resources` gets `buildMetadata: [originAnnotations]` (replacing any other
 *   buildMetadata) only so that kustomize does not call it empty;
 * - `targetNamespace`, `namePrefix` and `nameSuffix` REPLACE the file's `namespace`, `namePrefix`, `nameSuffix`
 *   (they do not stack on top of them, as an overlay would);
 * - `patches` are appended to the file's patches, so they apply inside that kustomization, before its own
 *   namespace, prefix and label transformers;
 * - `components` (which must be local relative paths) are appended to the file's components, resolved
 *   relative to the path; with `ignoreMissingComponents` a missing one is skipped;
 * - `images` replace the file's image entry of the same name or are appended.
 * `commonMetadata` is not part of the build: the controller sets it on the objects at apply time.
 * This module is pure: it takes the path's kustomization (read by the caller) and returns the rewritten one.
 */
import { stringify } from 'yaml';
import type { PathSegment } from '../../util/yaml-source.js';
import type { FluxBuildSpec, FluxImage, FluxPatch, PatchSelector } from './types.js';

/** kustomize's konfig.RecognizedKustomizationFileNames, in its order of preference. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** Top-level fields of kustomize's Kustomization type (api/types/kustomization.go, kustomize v5). */
export const KUSTOMIZATION_FIELDS: ReadonlySet<string> = new Set([
  'apiVersion', 'kind', 'metadata', 'openapi', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels',
  'commonAnnotations', 'patchesStrategicMerge', 'patchesJson6902', 'patches', 'images', 'imageTags', 'replacements',
  'replicas', 'vars', 'sortOptions', 'resources', 'components', 'crds', 'bases', 'configMapGenerator',
  'secretGenerator', 'helmGlobals', 'helmCharts', 'helmChartInflationGenerator', 'generatorOptions',
  'configurations', 'generators', 'transformers', 'validators', 'inventory', 'buildMetadata',
]);

export const ORIGIN_ANNOTATIONS = 'originAnnotations';
/** What Flux sets as the namespace of a generated kustomization with nothing in it, so kustomize accepts it. */
export const EMPTY_PLACEHOLDER_NAMESPACE = '_placeholder';

/** The kustomization at `spec.path`: the file found there, or the one Flux generates from the manifests there. */
export type PathKustomization =
  | { readonly kind: 'existing'; readonly value: Record<string, unknown> }
  | { readonly kind: 'generated'; readonly resources: readonly string[] };

export interface SpecProblem {
  /** Field of the Flux Kustomization the problem is about, e.g. ['spec', 'components', 1]. */
  readonly specPath: readonly PathSegment[];
  readonly message: string;
}

export interface FluxEdit {
  /** The kustomization Flux builds, as a plain object. */
  readonly value: Record<string, unknown>;
  /** The same, as deterministic YAML text (sorted keys). */
  readonly text: string;
  /** Top-level fields of the existing file that Flux's decoding drops without a word. */
  readonly droppedFields: readonly string[];
  /** Whether the objects Flux applies carry kustomize's `config.kubernetes.io/origin` annotation. */
  readonly keepsOriginAnnotations: boolean;
  /** For each entry of `value.components`, the index in `spec.components` it came from (undefined: from the file). */
  readonly componentSources: readonly (number | undefined)[];
  readonly problems: readonly SpecProblem[];
}

export function editKustomization(
  spec: FluxBuildSpec,
  base: PathKustomization,
  componentExists: (component: string) => boolean,
): FluxEdit {
  const value: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
  };
  const droppedFields: string[] = [];
  const problems: SpecProblem[] = [];

  if (base.kind === 'existing') {
    for (const [k, v] of Object.entries(base.value)) {
      if (!KUSTOMIZATION_FIELDS.has(k)) droppedFields.push(k);
      else if (!isEmpty(v)) value[k] = structuredClone(v);
    }
    if (!Array.isArray(value.resources) || value.resources.length === 0) value.buildMetadata = [ORIGIN_ANNOTATIONS];
  } else if (base.resources.length === 0) {
    value.namespace = EMPTY_PLACEHOLDER_NAMESPACE;
  } else {
    value.resources = [...base.resources];
  }

  setOrClear(value, 'namespace', spec.targetNamespace);
  setOrClear(value, 'namePrefix', spec.namePrefix);
  setOrClear(value, 'nameSuffix', spec.nameSuffix);

  if (spec.patches?.length) value.patches = [...asArray(value.patches), ...spec.patches.map(fluxPatch)];

  const componentSources: (number | undefined)[] = asArray(value.components).map(() => undefined);
  const components = [...asArray(value.components)];
  (spec.components ?? []).forEach((c, i) => {
    if (!isLocalRelativePath(c)) {
      problems.push({ specPath: ['spec', 'components', i], message: `component path '${c}' must be local and relative` });
      return;
    }
    if (spec.ignoreMissingComponents && !componentExists(c)) return;
    components.push(c);
    componentSources.push(i);
  });
  if (components.length > 0) value.components = components;

  if (spec.images?.length) {
    const images = asArray(value.images).map((i) => i as Record<string, unknown>);
    for (const image of spec.images) {
      const at = images.findIndex((i) => i?.name === image.name);
      if (at >= 0) images[at] = fluxImage(image);
      else images.push(fluxImage(image));
    }
    value.images = images;
  }

  const buildMetadata = asArray(value.buildMetadata);
  return {
    value,
    text: kustomizationText(value),
    droppedFields,
    keepsOriginAnnotations: buildMetadata.includes(ORIGIN_ANNOTATIONS),
    componentSources,
    problems,
  };
}

/** The kustomization edgefleet hands to kustomize: Flux's, plus origin annotations so objects can be traced. */
export function withOriginAnnotations(value: Record<string, unknown>): Record<string, unknown> {
  const buildMetadata = asArray(value.buildMetadata);
  if (buildMetadata.includes(ORIGIN_ANNOTATIONS)) return value;
  return { ...value, buildMetadata: [...buildMetadata, ORIGIN_ANNOTATIONS] };
}

export function kustomizationText(value: Record<string, unknown>): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0 });
}

/**
 * Flux's IsLocalRelativePath (fluxcd/pkg kustomize): not a remote reference kustomize would fetch, not absolute
 * (`file://` followed by an absolute path counts as absolute).
 */
export function isLocalRelativePath(p: string): boolean {
  return !isRemoteReference(p) && !p.startsWith('/') && !/^file:\/\/\//i.test(p);
}

/** A reference kustomize resolves over the network (git repositories, HTTP URLs). */
export function isRemoteReference(p: string): boolean {
  const lower = p.toLowerCase();
  return REMOTE_PREFIXES.some((prefix) => prefix.length < lower.length && lower.startsWith(prefix));
}

const REMOTE_PREFIXES = ['git::', 'gh:', 'ssh://', 'https://', 'http://', 'git@', 'github.com:', 'github.com/'];

function fluxPatch(p: FluxPatch): Record<string, unknown> {
  const out: Record<string, unknown> = { patch: p.patch };
  if (p.target) {
    const target: Record<string, unknown> = {};
    for (const k of SELECTOR_FIELDS) if (p.target[k]) target[k] = p.target[k];
    out.target = target;
  }
  return out;
}

const SELECTOR_FIELDS: readonly (keyof PatchSelector)[] = [
  'group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector',
];

function fluxImage(i: FluxImage): Record<string, unknown> {
  const out: Record<string, unknown> = { name: i.name };
  if (i.newName) out.newName = i.newName;
  if (i.newTag) out.newTag = i.newTag;
  if (i.digest) out.digest = i.digest;
  return out;
}

/** Flux sets the field whenever the spec has it; an empty string clears it (the Go field is omitempty). */
function setOrClear(value: Record<string, unknown>, key: string, v: string | undefined): void {
  if (v === undefined) return;
  if (v === '') delete value[key];
  else value[key] = v;
}

/** Go's omitempty drops these when Flux writes the file back. */
function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
