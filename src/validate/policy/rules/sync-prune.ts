import { defineRule } from '../define-rule.js';
import { isFluxKustomization, record } from '../helpers.js';

/**
 * Without prune, an object deleted from Git stays on the site: a removed app keeps running, holding
 * CPU, disk and credentials, on a site nobody visits to clean up by hand.
 */
export default defineRule({
  id: 'sync-prune',
  meta: {
    category: 'sync',
    severity: 'error',
    description: 'Every Flux Kustomization sets prune: true, so that what is removed from Git is removed from the site: nobody is on site to delete leftovers by hand.',
    remediation: 'Set spec.prune: true on the Kustomization (synth does); protect an object that must outlive its removal with the kustomize.toolkit.fluxcd.io/prune: disabled annotation instead.',
    kinds: ['Kustomization'],
  },
  options: {},
  create(context) {
    return {
      Kustomization(obj) {
        if (!isFluxKustomization(obj)) return;
        const prune = record(obj.object.spec).prune;
        if (prune === true) return;
        context.report({
          object: obj,
          path: ['spec', 'prune'],
          message: `${prune === undefined ? 'prune is not set' : `prune is ${JSON.stringify(prune)}`}: objects removed from Git stay on site ${context.site.name} and keep running`,
        });
      },
    };
  },
});
