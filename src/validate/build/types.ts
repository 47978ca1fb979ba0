import type { SourceLocation } from '../../util/errors.js';

/** kustomize's selector, as a Flux Kustomization's `spec.patches[].target` spells it. */
export interface PatchSelector {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

export interface FluxPatch {
  /** Strategic merge patch or JSON 6902 patch, as YAML or JSON text. */
  readonly patch: string;
  readonly target?: PatchSelector;
}

export interface FluxImage {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

/** The part of `spec` of a kustomize.toolkit.fluxcd.io/v1 Kustomization that decides what is built. */
export interface FluxBuildSpec {
  /** Path in the repository, relative to its root. @default the root */
  readonly path?: string;
  readonly targetNamespace?: string;
  readonly namePrefix?: string;
  readonly nameSuffix?: string;
  readonly patches?: readonly FluxPatch[];
  readonly images?: readonly FluxImage[];
  readonly components?: readonly string[];
  readonly ignoreMissingComponents?: boolean;
}

/** A Flux Kustomization as read from clusters/<site>/; only the fields the build reads are typed. */
export interface FluxKustomizationLike {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec: FluxBuildSpec;
}

/** Where a built object came from. Line and column are 1-based and point at the source document's start. */
export interface ObjectOrigin extends SourceLocation {
  /** Index of the document in a multi-document file, when the object could be matched to one. */
  readonly documentIndex?: number;
  /** For generated objects, the generator that made them (`ConfigMapGenerator`, `SecretGenerator`, …). */
  readonly generatedBy?: string;
}

export interface BuiltObject {
  /** The object as kustomize built it, before postBuild substitution: `${VAR}` text is untouched. */
  readonly object: Record<string, unknown>;
  readonly origin: ObjectOrigin;
}

export interface BuildResult {
  readonly objects: BuiltObject[];
  /** sha256 of what the build depends on; equal keys give equal builds. */
  readonly key: string;
  /** Things Flux does silently that the user probably did not mean (e.g. dropping an unknown kustomization field). */
  readonly warnings: readonly BuildWarning[];
}

export interface BuildWarning extends SourceLocation {
  readonly message: string;
}
