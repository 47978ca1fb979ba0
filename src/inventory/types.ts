/** Types of the inventory documents, mirroring schemas/{fleet,site,app}.schema.json. */
import type { SourceDocument } from '../util/yaml-source.js';

export const API_VERSION = 'edgefleet.io/v1alpha1';

export type Quantity = string | number;
export type Arch = 'amd64' | 'arm64';
export type Runtime = 'k3s' | 'k0s';

export interface ResourceList {
  readonly cpu?: Quantity;
  readonly memory?: Quantity;
  readonly 'ephemeral-storage'?: Quantity;
}

export interface Resources {
  readonly requests?: ResourceList;
  readonly limits?: ResourceList;
}

export interface Metadata {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface NetworkProfile {
  readonly description?: string;
  readonly interval: string;
  readonly retryInterval: string;
  readonly timeout: string;
  readonly sourceInterval: string;
  readonly unreachableTolerationSeconds?: number;
  /** How the uplink behaves; the offline-link rules and synth follow this, not the profile's name. @default 'always-on' */
  readonly link?: LinkKind;
}

export const LINK_KINDS = ['always-on', 'intermittent', 'scheduled'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** Per-rule settings in fleet.yaml spec.validation.rules. */
export interface RuleSetting {
  readonly severity?: 'error' | 'warning' | 'off';
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface Reserve {
  readonly cpu: Quantity;
  readonly memory: Quantity;
  readonly storage: Quantity;
}

export interface RuntimeSettings {
  readonly storageClass: string;
  /** Release `edgefleet bootstrap` installs (default: a pinned version). */
  readonly version?: string;
  readonly systemReserve: {
    readonly runtime: Reserve;
    readonly os: Reserve;
    readonly eviction: { readonly memory: Quantity; readonly nodefsFraction: number };
  };
}

export interface Addon {
  readonly name: string;
  readonly path: string;
  readonly requires?: 'gpu';
  readonly components?: Partial<Record<Runtime, readonly string[]>>;
}

export interface FleetSpec {
  readonly source: { readonly url: string; readonly branch: string };
  readonly kubernetesVersion: string;
  readonly flux: { readonly components: readonly string[]; readonly strictPostBuildSubstitutions: boolean; readonly version?: string };
  readonly networkProfiles: Readonly<Record<string, NetworkProfile>>;
  readonly runtimes: Readonly<Record<Runtime, RuntimeSettings>>;
  readonly addons: readonly Addon[];
  readonly limitRange: { readonly min: ResourceList; readonly defaultRequest: ResourceList; readonly default: ResourceList };
  readonly gpu?: { readonly nodeSelector?: Readonly<Record<string, string>> };
  readonly vault: {
    readonly address: string;
    readonly kvMount: string;
    readonly authMountPattern: string;
    readonly pathPattern: string;
    readonly agent: { readonly requests: Required<Pick<ResourceList, 'cpu' | 'memory'>>; readonly limits: Required<Pick<ResourceList, 'cpu' | 'memory'>> };
  };
  readonly telemetry: { readonly endpoints: Readonly<Record<string, string>> };
  readonly validation?: { readonly allowedKinds?: readonly { readonly apiVersion: string; readonly kind: string }[]; readonly rules?: Readonly<Record<string, RuleSetting>> };
}

export interface Fleet {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'Fleet';
  readonly metadata: Metadata;
  readonly spec: FleetSpec;
}

export interface SiteApp {
  readonly name: string;
  readonly replicas?: Readonly<Record<string, number>>;
  readonly resources?: Readonly<Record<string, Resources>>;
}

export interface SiteSpec {
  readonly description?: string;
  readonly environment?: 'production' | 'staging' | 'development';
  readonly region: string;
  readonly jurisdiction: string;
  readonly runtime: Runtime;
  readonly hardware: {
    readonly arch: Arch;
    readonly nodes?: number;
    readonly cpu: Quantity;
    readonly memory: Quantity;
    readonly storage: Quantity;
    readonly gpu?: { readonly vendor: 'nvidia'; readonly model: string; readonly count: number };
  };
  readonly network: { readonly profile: string; readonly bandwidthMbps: number };
  readonly apps: readonly SiteApp[];
  readonly waivers?: readonly SiteWaiver[];
}

export interface SiteWaiver {
  readonly rule: string;
  readonly reason: string;
  readonly expires: string;
  readonly object?: { readonly kind: string; readonly name: string; readonly namespace?: string };
}

export interface Site {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'Site';
  readonly metadata: Metadata;
  readonly spec: SiteSpec;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';

export interface AppSecret {
  readonly name: string;
  readonly keys: readonly string[];
  readonly file: string;
  readonly format?: 'env' | 'raw' | 'json';
}

export interface AppWorkload {
  readonly kind: WorkloadKind;
  readonly name: string;
  readonly replicas?: number;
  readonly strategy?: 'RollingUpdate' | 'Recreate';
  readonly gpu?: boolean;
  readonly healthCheck?: boolean;
  readonly containers: Readonly<Record<string, Required<Resources>>>;
  readonly secrets?: readonly AppSecret[];
}

export interface AppVolume {
  readonly claim: string;
  readonly fractionOfSiteStorage: number;
  readonly min: Quantity;
  readonly max: Quantity;
  readonly headroomFraction?: number;
  readonly minUsable?: Quantity;
}

export interface AppSpec {
  readonly description: string;
  readonly architectures: readonly Arch[];
  readonly gpu?: { readonly count: number };
  readonly volumes?: readonly AppVolume[];
  readonly workloads: readonly AppWorkload[];
}

export interface App {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'App';
  readonly metadata: Metadata;
  readonly spec: AppSpec;
}

/** A validated document and where it came from (for error locations). */
export interface Loaded<T> {
  readonly value: T;
  readonly source: SourceDocument;
  /** Path relative to the fleet root, with forward slashes, e.g. `sites/munich-01.yaml`. */
  readonly relPath: string;
}

/** A workload or container found in an app's kustomize base (for cross-checks with app.yaml). */
export interface BaseWorkload {
  readonly kind: string;
  readonly name: string;
  readonly containers: readonly string[];
  readonly initContainers: readonly string[];
  readonly claims: readonly string[];
}

export interface LoadedApp extends Loaded<App> {
  /** Workloads found in apps/<name>/base/. */
  readonly base: readonly BaseWorkload[];
  readonly baseFiles: readonly string[];
}

export interface Inventory {
  /** Absolute directory of fleet.yaml; sites/ and apps/ are read from here. */
  readonly root: string;
  readonly fleet: Loaded<Fleet>;
  readonly sites: readonly Loaded<Site>[];
  readonly apps: ReadonlyMap<string, LoadedApp>;
  /** Infrastructure add-ons' declared pod requests, per add-on name (summed by model). */
  readonly addonBases: ReadonlyMap<string, readonly BaseResourceUse[]>;
}

/** What one workload of a base asks of the site (from its manifests, not from app.yaml). */
export interface BaseResourceUse {
  readonly kind: string;
  readonly name: string;
  readonly replicas: number;
  /** Each container's resources as written in the manifest. */
  readonly containers: readonly Resources[];
}
