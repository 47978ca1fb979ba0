/** Self time of a V8 `.cpuprofile` (node --cpu-prof), summed by function, by file and by package. */

export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number } }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Row {
  readonly key: string;
  readonly ms: number;
  readonly pct: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byPackage: Row[];
  readonly byFile: Row[];
  readonly byFunction: Row[];
}

/** A readable file name: repository-relative, `node_modules/<pkg>/…` kept, V8 pseudo-frames in parentheses. */
export function fileOf(url: string, functionName: string, root: string): string {
  if (url === '') return `(${functionName.replace(/^\(|\)$/g, '') || 'native'})`;
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + 1);
  const base = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(base) ? path.slice(base.length) : path;
}

/** node_modules/<pkg> (scoped too), dist/<area>, node:internal, or the pseudo-frame itself. */
export function packageOf(file: string): string {
  const nm = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return nm[1] as string;
  if (file.startsWith('node:')) return 'node: (built-in modules)';
  const dist = /^(dist\/[^/]+)\//.exec(file);
  if (dist) return dist[1] as string;
  return file;
}

function rows(map: ReadonlyMap<string, number>, total: number, top: number): Row[] {
  return [...map]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([key, us]) => ({ key, ms: Math.round(us / 1000), pct: total === 0 ? 0 : Math.round((1000 * us) / total) / 10 }));
}

export function summariseProfile(profile: CpuProfile, root: string, top = 20): ProfileSummary {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPackage = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = fileOf(url, functionName, root);
    const fn = url === '' ? file : `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byPackage.set(packageOf(file), (byPackage.get(packageOf(file)) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  return { totalMs: Math.round(total / 1000), byPackage: rows(byPackage, total, top), byFile: rows(byFile, total, top), byFunction: rows(byFunction, total, top) };
}
