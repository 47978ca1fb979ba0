import { describeId } from '../identity.js';
import type { ChangePlan, GroupKey, ObjectChange, SiteChange } from '../types.js';

export const GROUP_LABELS: Readonly<Record<GroupKey, string>> = {
  region: 'region',
  jurisdiction: 'jurisdiction',
  networkProfile: 'network profile',
  runtime: 'runtime',
};

/** 812 B, 2.1 KiB, 3.4 MiB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function formatSeconds(s: number): string {
  if (s < 1) return `${s.toFixed(2)} s`;
  if (s < 120) return `${s.toFixed(1)} s`;
  return `${(s / 60).toFixed(1)} min`;
}

export function short(commit: string | null): string {
  return commit ? commit.slice(0, 12) : '';
}

export function sideLabel(side: { ref: string | null; commit: string | null }): string {
  return side.ref === null ? 'working tree' : `${side.ref} (${short(side.commit)})`;
}

export function headline(plan: ChangePlan): string {
  const n = plan.sites.length;
  if (n === 0) return `no site changes what it applies (${plan.fleet.sites} sites)`;
  return `${n} of ${plan.fleet.sites} site(s) change`;
}

export function totalsLine(plan: ChangePlan): string {
  const t = plan.totals;
  return `${t.changed} object(s) changed, ${t.added} added, ${t.removed} removed · ${formatSize(t.bytesChanged)} of manifests change`;
}

export function siteAttributes(s: SiteChange): string {
  const a = s.attributes;
  return [a.region, a.jurisdiction, a.networkProfile, a.runtime].join(' · ');
}

export function siteCounts(s: SiteChange): string {
  const parts = [`${s.counts.changed} changed`, `${s.counts.added} added`, `${s.counts.removed} removed`].filter((p) => !p.startsWith('0 '));
  const status = s.status === 'added' ? 'new site: ' : s.status === 'removed' ? 'site removed: ' : '';
  return `${status}${parts.join(', ') || 'no object changes'} · ${formatSize(s.bytesChanged)}`;
}

export const CHANGE_MARK: Readonly<Record<ObjectChange['change'], string>> = { added: '+', removed: '-', changed: '~' };

export function objectLine(o: ObjectChange): string {
  const via = o.kustomization ? `via ${o.kustomization}` : o.file;
  return `${CHANGE_MARK[o.change]} ${describeId(o.id)} · ${via} · +${o.lines.added} -${o.lines.removed} lines, ${formatSize(o.bytes.changed)}`;
}

export function groupLines(plan: ChangePlan): [string, string][] {
  return (Object.keys(GROUP_LABELS) as GroupKey[]).map((k) => [
    GROUP_LABELS[k],
    Object.entries(plan.groups[k])
      .map(([value, sites]) => `${value} (${sites.length})`)
      .join(', '),
  ]);
}

export function downloadLines(plan: ChangePlan): string[] {
  const d = plan.download;
  if ('error' in d) return [`Flux source download: not measured (${d.error})`];
  const profiles = Object.entries(d.byNetworkProfile).map(
    ([p, g]) => `${p}: ${g.sites} site(s), ${formatSize(g.bytes)}${g.slowestSeconds !== null ? `, slowest ${formatSeconds(g.slowestSeconds)}` : ''}`,
  );
  return [
    `Flux source download: when ${d.branch} moves, each of the ${d.sites} site(s) re-clones it at depth 1 — ${formatSize(d.bytesPerSite)} (${d.objects} objects) per site, ${formatSize(d.totalBytes)} in total (estimate of the git transfer)`,
    ...(profiles.length > 0 ? [`  ${profiles.join(' · ')}`] : []),
  ];
}

export function synthesizedNote(plan: ChangePlan): string | undefined {
  if (plan.synthesized.length === 0) return undefined;
  return `clusters/ differs from a fresh synth in ${plan.synthesized.length} file(s); the plan shows what synth renders (run \`npm run synth\` and commit clusters/)`;
}
