import { defineRule } from '../define-rule.js';
import { OFFLINE_LINKS, onFlakyLink, type FlakyLinkOptions } from '../defaults.js';
import { containers, describeContainer, WORKLOAD_KINDS } from '../helpers.js';
import { containerImage } from '../images.js';

/**
 * On a site whose link is intermittent or scheduled, no container may need the registry to (re)start:
 * `imagePullPolicy: Always` makes the kubelet contact the registry on every container start, so a crash, a
 * node reboot or an eviction while the link is down ends in ImagePullBackOff although the image is on the node.
 * An unset policy on an image with no tag or `:latest` (and no digest) defaults to Always and fires too.
 */
export default defineRule<FlakyLinkOptions>({
  id: 'security-image-pull-policy',
  meta: {
    category: 'security',
    severity: 'error',
    description: 'On intermittent- and scheduled-link sites no container uses imagePullPolicy Always: a restart must not need the registry, or a crash while the link is down ends in ImagePullBackOff.',
    remediation: 'Use `imagePullPolicy: IfNotPresent` with an image pinned by version or digest (pre-pull images during the link window if needed).',
    kinds: ['Pod', ...WORKLOAD_KINDS],
  },
  options: { links: OFFLINE_LINKS },
  create(context) {
    const { site } = context;
    if (!onFlakyLink(context)) return {};
    return {
      '*'(obj) {
        for (const c of containers(obj)) {
          const who = describeContainer(c);
          const policy = c.container.imagePullPolicy;
          if (policy === 'Always') {
            context.report({
              object: obj,
              path: [...c.path, 'imagePullPolicy'],
              message: `${who}: imagePullPolicy Always needs the registry at every container start; on a site with the "${site.networkProfile}" network profile, a restart while the link is down fails`,
            });
          } else if (policy === undefined) {
            const written = containerImage(c);
            const tag = written?.ref.tag;
            if (written && written.ref.digest === undefined && (tag === undefined || tag === '' || tag === 'latest')) {
              context.report({
                object: obj,
                path: [...c.path, 'image'],
                message: `${who}: image "${written.image}" without a version defaults imagePullPolicy to Always; on a site with the "${site.networkProfile}" network profile, a restart while the link is down fails`,
              });
            }
          }
        }
      },
    };
  },
});
