/**
 * Patterns the generator adds where the upstream types carry none, shared with the runtime so
 * that an error can say "invalid quantity" instead of echoing a regular expression.
 */

/**
 * Kubernetes resource.Quantity in its canonical text form: a signed decimal, then a binary suffix
 * (Ki…Ei), a decimal SI suffix (n, u, m, k, M, G, T, P, E) or a decimal exponent. `n` and `u` are
 * included because apimachinery accepts them; "2GB" and "1gi" are rejected like the API server does.
 */
export const QUANTITY_PATTERN = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$';

/** Go durations as Flux's CRDs accept them ("30s", "1h30m", "500ms"). */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

/** RFC 1123 subdomain: what most kinds require of metadata.name (253 characters at most). */
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** RFC 1123 label: namespaces (63 characters at most). */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** RFC 1035 label: Service names must start with a letter (63 characters at most). */
export const DNS_1035_LABEL_PATTERN = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

/** RBAC object names are path segments: anything but "." and "..", without "/" or "%". */
export const PATH_SEGMENT_PATTERN = '^(?!\\.{1,2}$)[^/%]+$';

export type NameRule = 'dns-subdomain' | 'dns-label' | 'dns-1035-label' | 'path-segment';

export const NAME_RULES: Readonly<Record<NameRule, { pattern: string; maxLength?: number; describe: string }>> = {
  'dns-subdomain': {
    pattern: DNS_SUBDOMAIN_PATTERN,
    maxLength: 253,
    describe: 'a lowercase RFC 1123 subdomain: a-z, 0-9, "-" and ".", starting and ending with a letter or digit',
  },
  'dns-label': {
    pattern: DNS_LABEL_PATTERN,
    maxLength: 63,
    describe: 'a lowercase RFC 1123 label: a-z, 0-9 and "-", starting and ending with a letter or digit',
  },
  'dns-1035-label': {
    pattern: DNS_1035_LABEL_PATTERN,
    maxLength: 63,
    describe: 'a lowercase RFC 1035 label: a-z, 0-9 and "-", starting with a letter, ending with a letter or digit',
  },
  'path-segment': {
    pattern: PATH_SEGMENT_PATTERN,
    describe: 'a path segment: not "." or "..", and without "/" or "%"',
  },
};

/** What a human should be told when a value fails one of our own patterns. */
export function describePattern(pattern: string): { what: string; hint: string } | undefined {
  if (pattern === QUANTITY_PATTERN) return { what: 'quantity', hint: 'expected e.g. "500m", "1.5", "2", "1Gi" or "2e3"' };
  if (pattern === DURATION_PATTERN) return { what: 'duration', hint: 'expected e.g. "30s", "5m" or "1h30m"' };
  for (const rule of Object.values(NAME_RULES)) {
    if (rule.pattern === pattern) return { what: 'name', hint: `must be ${rule.describe}` };
  }
  return undefined;
}
