import { defineRule } from '../define-rule.js';
import { containers, POD_KINDS } from '../helpers.js';

/**
 * A catalogue app says which architectures its images are built for (`architectures` in app.yaml).
 * Deployed to a site of another arch, its containers fail with "exec format error" and crash-loop.
 */
export default defineRule({
  id: 'placement-image-arch',
  meta: {
    category: 'placement',
    severity: 'error',
    description:
      "Every image of a workload built for a catalogue app supports the site's architecture (the app's architectures in app.yaml): an image of another arch crash-loops with exec format error, and nobody is on site to notice.",
    remediation: "Remove the app from the site, or build its images for the site's architecture and add it to architectures in apps/<app>/app.yaml.",
    kinds: POD_KINDS,
  },
  options: {},
  create(context) {
    const arch = context.site.arch;
    return {
      '*'(obj) {
        const app = obj.app ? context.apps.get(obj.app) : undefined;
        if (!app || app.architectures.includes(arch)) return;
        for (const c of containers(obj)) {
          context.report({
            object: obj,
            path: [...c.path, 'image'],
            message: `image ${String(c.container.image ?? '(none)')} of app ${obj.app} is built for ${app.architectures.join(', ')}, not for ${arch} (site ${context.site.name}): it cannot run there`,
          });
        }
      },
    };
  },
});
