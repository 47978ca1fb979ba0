import { defineRule } from '../define-rule.js';
import { containers } from '../helpers.js';
import { parseImage } from './security-image-pinning.js';

interface Options {
  /** Network profiles (fleet.yaml networkProfiles) whose link is routinely down. */
  readonly profiles: readonly string[];
}

/**
 * On a site whose link is intermittent or scheduled, no container may need the registry to (re)start:
 * `imagePullPolicy: Always` makes the kubelet contact the registry on every container start, so a crash, a
 * node reboot or an eviction while the link is down ends in ImagePullBackOff although the image is on the node.
 * An unset policy on an image with no tag or `:latest` (and no digest) defaults to Always and fires too.
 */
export default defineRule<Options>({
  id: 'security-image-pull-policy',
  meta: {
    category: 'security',
    severity: 'error',
    description: 'On intermittent- and scheduled-link sites no container uses imagePullPolicy Always: a restart must not need the registry, or a crash while the link is down ends in ImagePullBackOff.',
    remediation: 'Use `imagePullPolicy: IfNotPresent` with an image pinned by version or digest (pre-pull images during the link window if needed).',
    kinds: ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob'],
  },
  options: { profiles: ['intermittent', 'scheduled'] },
  create(context) {
    const { site } = context;
    if (!context.options.profiles.includes(site.networkProfile)) return {};
    return {
      '*'(obj) {
        for (const c of containers(obj)) {
          const who = `${c.init ? 'init container' : 'container'} "${String(c.container.name ?? '?')}"`;
          const policy = c.container.imagePullPolicy;
          if (policy === 'Always') {
            context.report({
              object: obj,
              path: [...c.path, 'imagePullPolicy'],
              message: `${who}: imagePullPolicy Always needs the registry at every container start; on a site with the "${site.networkProfile}" network profile, a restart while the link is down fails`,
            });
          } else if (policy === undefined && typeof c.container.image === 'string' && !c.container.image.includes('${')) {
            const ref = parseImage(c.container.image.trim());
            if (ref.digest === undefined && (ref.tag === undefined || ref.tag === '' || ref.tag === 'latest')) {
              context.report({
                object: obj,
                path: [...c.path, 'image'],
                message: `${who}: image "${c.container.image}" without a version defaults imagePullPolicy to Always; on a site with the "${site.networkProfile}" network profile, a restart while the link is down fails`,
              });
            }
          }
        }
      },
    };
  },
});
