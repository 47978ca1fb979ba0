import { defineRule } from '../define-rule.js';
import { containers } from '../helpers.js';

interface Options {
  /** Tags that move by design and are errors like a missing tag. */
  readonly floatingTags: readonly string[];
}

export interface ImageRef {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** `registry:5000/team/app:1.2@sha256:…` → name, tag, digest (a `:` before the last `/` is a registry port). */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const [rest, digest] = at >= 0 ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const [name, tag] = colon > slash ? [rest.slice(0, colon), rest.slice(colon + 1)] : [rest, undefined];
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/**
 * Every container image (containers and init containers) is pinned to a version. No tag, or a floating tag
 * such as `latest`, is an error: what a site runs then depends on when each node last pulled, and a node that
 * comes back from a week offline runs something nobody tested. A digest pins the image whatever the tag says
 * (`app:latest@sha256:…` is pinned); a malformed digest fires (the kubelet cannot pull it). That a tag without
 * a digest is weaker is security-image-digest's concern (a warning, waivable apart from these errors). Images
 * with an unsubstituted `${…}` are left to the build checks.
 */
export default defineRule<Options>({
  id: 'security-image-pinning',
  meta: {
    category: 'security',
    severity: 'error',
    description: 'Container images name a version, never `latest` or no tag, so that every node of every site runs what was tested, even after weeks offline.',
    remediation: 'Pin the image to a release tag, better to an immutable digest (`image: registry/app:1.2.3@sha256:…`).',
    kinds: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  options: { floatingTags: ['latest'] },
  create(context) {
    const { options } = context;
    return {
      '*'(obj) {
        for (const c of containers(obj)) {
          const image = c.container.image;
          if (typeof image !== 'string' || image.includes('${')) continue;
          const path = [...c.path, 'image'];
          const who = `${c.init ? 'init container' : 'container'} "${String(c.container.name ?? '?')}"`;
          const ref = parseImage(image.trim());
          if (ref.digest !== undefined) {
            if (!DIGEST.test(ref.digest)) context.report({ object: obj, path, message: `${who}: image "${image}" has a malformed digest "${ref.digest}"` });
            continue;
          }
          if (ref.tag === undefined || ref.tag === '') {
            context.report({ object: obj, path, message: `${who}: image "${image}" has no tag, so it means :latest and changes under the site` });
          } else if (options.floatingTags.includes(ref.tag)) {
            context.report({ object: obj, path, message: `${who}: image "${image}" uses the floating tag :${ref.tag}, which changes under the site` });
          }
        }
      },
    };
  },
});
