import { defineRule } from '../define-rule.js';
import { describeContainer, WORKLOAD_KINDS } from '../helpers.js';
import { containerImages } from '../images.js';

interface Options {
  /** Tags that move by design and are errors like a missing tag. */
  readonly floatingTags: readonly string[];
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
    kinds: ['Pod', ...WORKLOAD_KINDS],
  },
  options: { floatingTags: ['latest'] },
  create(context) {
    const { options } = context;
    return {
      '*'(obj) {
        for (const { c, image, ref } of containerImages(obj)) {
          const path = [...c.path, 'image'];
          const who = describeContainer(c);
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
