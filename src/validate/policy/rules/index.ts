/** The rule catalogue, sorted by id. test/validate/policy/catalogue.test.ts keeps it in step with the files. */
import type { AnyRule } from '../types.js';
import placementArch from './placement-arch.js';
import placementGpu from './placement-gpu.js';
import placementImageArch from './placement-image-arch.js';
import resilienceProbes from './resilience-probes.js';
import resilienceTelemetryBuffer from './resilience-telemetry-buffer.js';
import resilienceUnreachableToleration from './resilience-unreachable-toleration.js';
import resourcesEphemeralStorage from './resources-ephemeral-storage.js';
import resourcesLimitRange from './resources-limit-range.js';
import resourcesQuotaCapacity from './resources-quota-capacity.js';
import resourcesQuotaFit from './resources-quota-fit.js';
import resourcesRequestsLimits from './resources-requests-limits.js';
import secretsCredentialLiterals from './secrets-credential-literals.js';
import secretsInlineSecret from './secrets-inline-secret.js';
import secretsVaultAnnotations from './secrets-vault-annotations.js';
import secretsVaultOfflineStart from './secrets-vault-offline-start.js';
import secretsVaultSiteScope from './secrets-vault-site-scope.js';
import securityImageDigest from './security-image-digest.js';
import securityImagePinning from './security-image-pinning.js';
import securityImagePullPolicy from './security-image-pull-policy.js';
import securityPodSecurity from './security-pod-security.js';
import sovereigntyEgressJurisdiction from './sovereignty-egress-jurisdiction.js';
import syncDependsOnInfra from './sync-depends-on-infra.js';
import syncHealthChecks from './sync-health-checks.js';
import syncIntervals from './sync-intervals.js';
import syncPrune from './sync-prune.js';

export const RULES: readonly AnyRule[] = [
  placementArch,
  placementGpu,
  placementImageArch,
  resilienceProbes,
  resilienceTelemetryBuffer,
  resilienceUnreachableToleration,
  resourcesEphemeralStorage,
  resourcesLimitRange,
  resourcesQuotaCapacity,
  resourcesQuotaFit,
  resourcesRequestsLimits,
  secretsCredentialLiterals,
  secretsInlineSecret,
  secretsVaultAnnotations,
  secretsVaultOfflineStart,
  secretsVaultSiteScope,
  securityImageDigest,
  securityImagePinning,
  securityImagePullPolicy,
  securityPodSecurity,
  sovereigntyEgressJurisdiction,
  syncDependsOnInfra,
  syncHealthChecks,
  syncIntervals,
  syncPrune,
] as readonly AnyRule[];
