/** The resolved, per-site plan that synthesis renders. Everything here is decided; synth only draws it. */
import type { Arch, LinkKind, Runtime } from '../inventory/types.js';
import type { Nanos } from '../util/quantity.js';
import type { Amounts } from './resources.js';

export interface ContainerPlan {
  readonly name: string;
  readonly requests: Amounts;
  readonly limits: Amounts;
  /** Which resources the app declares (ephemeral-storage is optional). */
  readonly declared: ReadonlySet<'ephemeral-storage'>;
}

export interface SecretPlan {
  readonly name: string;
  readonly file: string;
  readonly keys: readonly string[];
  readonly format: 'env' | 'raw' | 'json';
}

export interface WorkloadPlan {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job';
  readonly name: string;
  /** Replicas for Deployments and StatefulSets; undefined for DaemonSets and Jobs. */
  readonly replicas: number | undefined;
  /** Deployments only. */
  readonly strategy: 'RollingUpdate' | 'Recreate' | undefined;
  /** Extra pods a rolling update runs at once (Deployment maxSurge 25%, rounded up). */
  readonly surge: number;
  /** Pods in steady state. */
  readonly pods: number;
  readonly gpuPerPod: number;
  readonly healthCheck: boolean;
  readonly containers: readonly ContainerPlan[];
  readonly secrets: readonly SecretPlan[];
  /** What one pod asks of the node, Vault Agent included (max of init containers and the sum of the rest). */
  readonly podRequests: Amounts;
  readonly podLimits: Amounts;
}

export interface VolumePlan {
  readonly claim: string;
  readonly size: Nanos;
  readonly usableBytes: bigint;
}

export interface QuotaPlan {
  readonly requests: Amounts;
  readonly limits: Amounts;
  readonly gpu: number;
  readonly pods: number;
  readonly persistentVolumeClaims: number;
  readonly storage: Nanos;
}

export interface LimitRangePlan {
  readonly min: Amounts;
  readonly defaultRequest: Amounts;
  readonly default: Amounts;
  readonly max: Amounts;
  readonly ephemeral: boolean;
  readonly maxClaim: Nanos;
}

export interface AppPlan {
  readonly name: string;
  readonly namespace: string;
  /** Flux path of the base, e.g. ./apps/pos-api/base. */
  readonly path: string;
  readonly sourceFile: string;
  readonly gpu: boolean;
  readonly workloads: readonly WorkloadPlan[];
  readonly volumes: readonly VolumePlan[];
  readonly quota: QuotaPlan;
  readonly limitRange: LimitRangePlan;
  /** Variables only this app's Kustomization needs (replicas, resources, volume sizes). */
  readonly variables: Readonly<Record<string, string>>;
}

export interface AddonPlan {
  readonly name: string;
  readonly path: string;
  readonly components: readonly string[];
  /** GPU add-ons get the same GPU placement patch as GPU apps. */
  readonly requiresGpu: boolean;
}

export interface Capacity {
  readonly total: Amounts & { gpu: number };
  readonly reserved: Amounts;
  readonly allocatable: Amounts;
  readonly perNode: Amounts;
  /** What add-ons and apps request in steady state, surge included. */
  readonly requested: Amounts;
}

export interface SitePlan {
  readonly name: string;
  readonly sourceFile: string;
  readonly region: string;
  readonly jurisdiction: string;
  readonly environment: string;
  readonly runtime: Runtime;
  readonly arch: Arch;
  readonly nodes: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly gpu: { readonly model: string; readonly count: number; readonly nodeSelector: Readonly<Record<string, string>> } | undefined;
  readonly networkProfile: string;
  /** The network profile's link behaviour (fleet.yaml networkProfiles.<name>.link, default always-on). */
  readonly link: LinkKind;
  readonly bandwidthMbps: number;
  readonly sync: { readonly interval: string; readonly retryInterval: string; readonly timeout: string; readonly sourceInterval: string };
  /** Multi-node sites on flaky links: how long pods tolerate an unreachable node (undefined: Kubernetes' 300 s). */
  readonly unreachableTolerationSeconds: number | undefined;
  readonly kubernetesVersion: string;
  readonly capacity: Capacity;
  readonly vault: { readonly address: string; readonly kvMount: string; readonly authMount: string; readonly prefix: string; readonly agent: { readonly requests: Amounts; readonly limits: Amounts } };
  readonly telemetryEndpoint: string;
  readonly storageClass: string;
  readonly addons: readonly AddonPlan[];
  readonly apps: readonly AppPlan[];
  /** Variables every Kustomization of the site gets (CLUSTER_ID, REGION, …). */
  readonly variables: Readonly<Record<string, string>>;
}

export interface FleetPlan {
  readonly name: string;
  readonly sourceFile: string;
  readonly source: { readonly url: string; readonly branch: string };
  readonly fluxComponents: readonly string[];
  readonly strictPostBuildSubstitutions: boolean;
  readonly kubernetesVersion: string;
  readonly sites: readonly SitePlan[];
}
