import type { PathSegment } from '../../../util/yaml-source.js';
import { defineRule } from '../define-rule.js';
import { argLists, configMapStrings, containers, envEntries, record, WORKLOAD_KINDS } from '../helpers.js';
import type { PolicyObject } from '../types.js';
import { vectorConfigs } from '../vector-config.js';

interface Options {
  /**
   * Hosts that belong to a jurisdiction besides the host of its telemetry endpoint (fleet.yaml
   * telemetry.endpoints), by jurisdiction; `*.example.eu` matches subdomains. A site may send to its own
   * jurisdiction's hosts; a host listed for another jurisdiction only is foreign to it.
   */
  readonly hosts: Readonly<Record<string, readonly string[]>>;
}

/** Schemes that name no network peer. */
const LOCAL_SCHEMES = new Set(['file', 'unix', 'npipe', 'data']);
const URL_RE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/**
 * Telemetry and other data leave a site only for its own jurisdiction, judged by host, never by substring:
 * `telemetry.us.example.com.evil.eu` is not an EU host and `…/eu/…` in a path means nothing.
 *
 * Two strengths, on purpose:
 * - a telemetry sink (a Vector sink's `uri`, `endpoint`, `endpoints`, `address` or `bootstrap_servers`, in any
 *   ConfigMap that holds a Vector configuration) must go to a host of the site's own jurisdiction — its
 *   telemetry endpoint's host or a host listed for it in `hosts`. This is where the fleet ships data, so the
 *   list is closed;
 * - any other URL a site's manifests hold (env values, args and command, ConfigMap values, including nested
 *   ones such as Triton's `s3://https://host/…`) must not go to a host of another jurisdiction — another
 *   jurisdiction's endpoint host or a host listed for it. Other URLs (a registry, Vault, a vendor API) are not
 *   judged: nothing says where they are.
 * Not egress, never judged: in-cluster names (single-label Service names, `*.svc`, `*.cluster.local`,
 * `<service>.<namespace>` for a namespace of the site), `*.local`, localhost, loopback, private and link-local
 * addresses, and unresolved `${…}` hosts.
 */
export default defineRule<Options>({
  id: 'sovereignty-egress-jurisdiction',
  meta: {
    category: 'sovereignty',
    severity: 'error',
    description: 'Telemetry sinks ship only to hosts of the site\'s own jurisdiction and no URL in a site\'s manifests points at another jurisdiction\'s host, so that data collected at the edge stays where the law says it must.',
    remediation: 'Point the sink or URL at the site\'s own jurisdiction (use `${TELEMETRY_ENDPOINT}` and `${JURISDICTION}`, which synth fills per site); if the host is legitimately in the site\'s jurisdiction, list it under the rule\'s `hosts` option for that jurisdiction.',
    kinds: ['ConfigMap', 'Pod', ...WORKLOAD_KINDS],
  },
  options: { hosts: {} },
  create(context) {
    const { site, fleet, options } = context;
    const own = site.jurisdiction;
    const endpointHosts = new Map<string, string>();
    for (const [j, url] of Object.entries(fleet.telemetry.endpoints)) {
      const h = egressHost(url);
      if (h) endpointHosts.set(j, h);
    }
    const jurisdictions = [...new Set([...endpointHosts.keys(), ...Object.keys(options.hosts)])];
    const patternsOf = (j: string): string[] => [...(endpointHosts.has(j) ? [endpointHosts.get(j) ?? ''] : []), ...(options.hosts[j] ?? [])];
    const owners = (host: string): string[] => jurisdictions.filter((j) => patternsOf(j).some((p) => hostMatches(host, p)));
    const isOwn = (host: string): boolean => owners(host).includes(own);
    const whose = (host: string, j: string): string => (endpointHosts.get(j) === host ? `the telemetry endpoint of jurisdiction "${j}"` : `a host of jurisdiction "${j}"`);
    const namespaces = new Set<string>();
    const found: { obj: PolicyObject; path: PathSegment[]; text: string; where: string }[] = [];
    const sinks: { obj: PolicyObject; path: PathSegment[]; key: string; id: string; host: string }[] = [];

    return {
      '*'(obj) {
        if (obj.ref.kind === 'Namespace') namespaces.add(obj.ref.name);
        if (obj.ref.namespace) namespaces.add(obj.ref.namespace);
        if (obj.ref.kind === 'ConfigMap') {
          for (const { key, config } of vectorConfigs(obj)) {
            for (const [id, raw] of Object.entries(record(config.sinks))) {
              for (const host of sinkHosts(record(raw))) sinks.push({ obj, path: ['data', key], key, id, host });
            }
          }
          for (const [key, value] of configMapStrings(obj)) found.push({ obj, path: ['data', key], text: value, where: `ConfigMap key "${key}"` });
          return;
        }
        for (const c of containers(obj)) {
          const name = String(c.container.name ?? '?');
          for (const { entry, path } of envEntries(c)) {
            if (typeof entry.value === 'string') found.push({ obj, path: [...path, 'value'], text: entry.value, where: `env ${String(entry.name)} of container "${name}"` });
          }
          for (const { field, args, path } of argLists(c)) {
            args.forEach((arg, i) => {
              if (typeof arg === 'string') found.push({ obj, path: [...path, i], text: arg, where: `${field}[${i}] of container "${name}"` });
            });
          }
        }
      },
      onSiteEnd() {
        const reported = new Set<string>();
        const from = `from a site of jurisdiction "${own}"`;
        for (const s of sinks) {
          if (isInternal(s.host, namespaces) || isOwn(s.host)) continue;
          const foreign = owners(s.host).filter((j) => j !== own);
          const ownList = patternsOf(own).join(', ') || 'none configured';
          const message =
            foreign.length > 0
              ? `${s.key}: sink "${s.id}" ships to ${s.host}, ${whose(s.host, foreign[0] ?? '')}, ${from}`
              : `${s.key}: sink "${s.id}" ships to ${s.host}, which is not a host of jurisdiction "${own}" (${ownList}), ${from}`;
          reported.add(`${s.obj.ref.kind}/${s.obj.ref.namespace}/${s.obj.ref.name}|${s.path.join('.')}|${s.host}`);
          context.report({ object: s.obj, path: s.path, message });
        }
        for (const f of found) {
          for (const url of f.text.match(URL_RE) ?? []) {
            const host = egressHost(url.replace(/[),.;:]+$/, ''));
            if (!host || isInternal(host, namespaces) || isOwn(host)) continue;
            const foreign = owners(host).filter((j) => j !== own);
            if (foreign.length === 0) continue;
            const key = `${f.obj.ref.kind}/${f.obj.ref.namespace}/${f.obj.ref.name}|${f.path.join('.')}|${host}`;
            if (reported.has(key)) continue;
            reported.add(key);
            context.report({ object: f.obj, path: f.path, message: `${f.where} sends to ${host}, ${whose(host, foreign[0] ?? '')}, ${from}` });
          }
        }
      },
    };
  },
});

/** Hosts a Vector sink sends to. */
function sinkHosts(sink: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (value: unknown): void => {
    if (typeof value !== 'string') return;
    const h = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? egressHost(value) : hostOfAddress(value);
    if (h) out.push(h);
  };
  add(sink.uri);
  add(sink.endpoint);
  if (Array.isArray(sink.endpoints)) sink.endpoints.forEach(add);
  add(sink.address);
  if (typeof sink.bootstrap_servers === 'string') sink.bootstrap_servers.split(',').forEach((s) => add(s.trim()));
  return out;
}

/**
 * The network host a URL reaches, lower-case, or undefined (no host, a local scheme, an unresolved variable).
 * A nested URL (`s3://https://host:443/bucket`, Triton's form for an S3-compatible endpoint) reaches the inner host.
 */
export function egressHost(url: string): string | undefined {
  let rest = url.trim();
  let scheme = '';
  for (let m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(rest); m; m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(rest)) {
    scheme = (m[1] ?? '').toLowerCase();
    rest = m[2] ?? '';
  }
  if (!scheme || LOCAL_SCHEMES.has(scheme)) return undefined;
  const authority = rest.split(/[/?#]/)[0] ?? '';
  return hostOfAddress(authority.slice(authority.lastIndexOf('@') + 1));
}

/** `host:port`, `[v6]:port` or `host` → host. */
function hostOfAddress(address: string): string | undefined {
  const a = address.trim();
  const host = a.startsWith('[') ? a.slice(1, a.indexOf(']') > 0 ? a.indexOf(']') : undefined) : (a.split(':')[0] ?? '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === '' || h.includes('$') || h.includes('{')) return undefined;
  return h;
}

/** `host` is `pattern`, or a subdomain of `*.domain`. Whole labels only. */
function hostMatches(host: string, pattern: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) return host.endsWith(p.slice(1));
  return host === p;
}

/** Names and addresses that do not leave the site. */
function isInternal(host: string, namespaces: ReadonlySet<string>): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host.includes(':')) return host === '::1' || host === '::' || /^(fc|fd|fe8|fe9|fea|feb)/.test(host); // IPv6
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  const labels = host.split('.');
  if (labels.length === 1) return true; // a Service in the pod's own namespace
  if (host.endsWith('.svc') || host.includes('.svc.') || host.endsWith('.cluster.local') || host.endsWith('.local')) return true;
  return labels.length === 2 && namespaces.has(labels[1] ?? '');
}
