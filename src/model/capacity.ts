import type { BaseResourceUse, FleetSpec, SiteSpec } from '../inventory/types.js';
import { mustParseQuantity, scale } from '../util/quantity.js';
import { add, fromList, max, sum, times, zero, type Amounts } from './resources.js';

export interface SiteCapacity {
  readonly total: Amounts;
  readonly reserved: Amounts;
  readonly allocatable: Amounts;
  readonly perNode: Amounts;
}

/**
 * What the apps can use: the site's hardware minus, per node, what the runtime and the OS take and
 * the kubelet's hard eviction threshold keeps free. Disk ("ephemeral-storage" here) also loses the
 * nodefs eviction fraction, and holds both ephemeral storage and local-path volumes.
 */
export function siteCapacity(fleet: FleetSpec, site: SiteSpec): SiteCapacity {
  const nodes = site.hardware.nodes ?? 1;
  const reserve = fleet.runtimes[site.runtime].systemReserve;
  const disk = mustParseQuantity(site.hardware.storage);
  const total: Amounts = {
    cpu: mustParseQuantity(site.hardware.cpu),
    memory: mustParseQuantity(site.hardware.memory),
    'ephemeral-storage': disk,
  };
  const perNodeReserve: Amounts = {
    cpu: mustParseQuantity(reserve.runtime.cpu) + mustParseQuantity(reserve.os.cpu),
    memory: mustParseQuantity(reserve.runtime.memory) + mustParseQuantity(reserve.os.memory) + mustParseQuantity(reserve.eviction.memory),
    'ephemeral-storage': mustParseQuantity(reserve.runtime.storage) + mustParseQuantity(reserve.os.storage),
  };
  const reserved = times(perNodeReserve, nodes);
  reserved['ephemeral-storage'] += scale(disk, reserve.eviction.nodefsFraction);
  const allocatable: Amounts = {
    cpu: total.cpu - reserved.cpu,
    memory: total.memory - reserved.memory,
    'ephemeral-storage': total['ephemeral-storage'] - reserved['ephemeral-storage'],
  };
  const n = BigInt(nodes);
  const perNode: Amounts = {
    cpu: allocatable.cpu / n,
    memory: allocatable.memory / n,
    'ephemeral-storage': allocatable['ephemeral-storage'] / n,
  };
  return { total, reserved, allocatable, perNode };
}

/** Steady-state requests of an add-on's workloads, read from its manifests. */
export function addonRequests(uses: readonly BaseResourceUse[], nodes: number): Amounts {
  return sum(
    uses.map((u) => {
      const pod = sum(u.containers.map((c) => fromList(c.requests)));
      const pods = u.kind === 'DaemonSet' ? nodes : u.replicas;
      return times(pod, pods);
    }),
  );
}

export { add, max, zero };
