import { defineRule } from '../define-rule.js';
import { isFluxKustomization, namespaceOf, record } from '../helpers.js';

/**
 * Apps need the site's add-ons first (the Vault Agent injector must be up before a pod that needs
 * secrets is created, or the pod starts without them). After an outage every Kustomization
 * reconciles at once; only dependsOn orders them.
 */
export default defineRule({
  id: 'sync-depends-on-infra',
  meta: {
    category: 'sync',
    severity: 'error',
    description:
      'Every app Kustomization depends on every infrastructure Kustomization of its site, so that after a fresh install or an outage the add-ons (Vault Agent injector, device plugin) are ready before any app pod is created.',
    remediation: 'List every infra-* Kustomization of the site in the app Kustomization spec.dependsOn (synth does).',
    kinds: ['Kustomization'],
  },
  options: { appPrefix: 'app-', infraPrefix: 'infra-' },
  create(context) {
    const { appPrefix, infraPrefix } = context.options;
    const infra = context.objects.filter((o) => isFluxKustomization(o) && o.ref.name.startsWith(infraPrefix));
    return {
      Kustomization(obj) {
        if (!isFluxKustomization(obj) || !obj.ref.name.startsWith(appPrefix) || infra.length === 0) return;
        const ns = namespaceOf(obj);
        const deps = record(obj.object.spec).dependsOn;
        const listed = new Set(
          (Array.isArray(deps) ? deps : []).map((d) => {
            const dep = record(d);
            return `${typeof dep.namespace === 'string' ? dep.namespace : ns}/${String(dep.name)}`;
          }),
        );
        const missing = infra.filter((i) => !listed.has(`${namespaceOf(i)}/${i.ref.name}`)).map((i) => i.ref.name);
        if (missing.length === 0) return;
        context.report({
          object: obj,
          path: ['spec', 'dependsOn'],
          message: `${obj.ref.name} does not depend on ${missing.join(', ')}: after an outage its pods can start before the add-on is ready`,
        });
      },
    };
  },
});
