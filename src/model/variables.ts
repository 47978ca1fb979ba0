/** Names of postBuild variables. Flux requires `^[_a-zA-Z][_a-zA-Z0-9]*$`. */
export function varName(...parts: string[]): string {
  return parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_');
}

export const replicasVar = (workload: string): string => varName(workload, 'replicas');
export const strategyVar = (workload: string): string => varName(workload, 'strategy');
export const resourceVar = (container: string, resource: string, which: 'request' | 'limit'): string =>
  varName(container, resource, which);
export const claimSizeVar = (claim: string): string => varName(claim, 'size');
export const claimUsableVar = (claim: string): string => varName(claim, 'usable', 'bytes');
