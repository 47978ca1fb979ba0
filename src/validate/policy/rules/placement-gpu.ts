import type { PathSegment } from '../../../util/yaml-source.js';
import { defineRule } from '../define-rule.js';
import { containers, POD_KINDS, podTemplate, quantity, record } from '../helpers.js';

const GPU = 'nvidia.com/gpu';
const NANO = 1_000_000_000n;

/** Other names a GPU is asked for by (other vendors, MIG slices, shared GPUs): none is advertised at our sites. */
function otherGpuResource(name: string): boolean {
  return name !== GPU && (/(^|[./-])gpu/i.test(name) || name.startsWith('nvidia.com/'));
}

function toleratesGpu(tolerations: unknown): boolean {
  return (Array.isArray(tolerations) ? tolerations : []).map(record).some((t) => {
    const effectOk = t.effect === undefined || t.effect === '' || t.effect === 'NoSchedule';
    if ((t.key === undefined || t.key === '') && t.operator === 'Exists') return effectOk; // tolerates every taint
    return t.key === GPU && effectOk;
  });
}

/**
 * GPUs are scarce at the edge and requested in one way only: the NVIDIA device plugin advertises
 * `nvidia.com/gpu`, which Kubernetes takes from limits (a request alone is rejected). A GPU pod must
 * tolerate the GPU nodes' taint and, on k3s, run under the `nvidia` RuntimeClass, or it starts without
 * the GPU driver. On a site without a GPU it stays Pending.
 */
export default defineRule({
  id: 'placement-gpu',
  meta: {
    category: 'placement',
    severity: 'error',
    description:
      'GPUs are requested only on GPU sites (at most the GPUs the site has), only as nvidia.com/gpu limits, by pods that tolerate the nvidia.com/gpu taint and, on k3s, run with runtimeClassName nvidia: otherwise the pod stays Pending or starts without its GPU.',
    remediation:
      'Request GPUs as resources.limits nvidia.com/gpu, add the nvidia.com/gpu toleration and (on k3s) runtimeClassName: nvidia (synth patches these in for apps with gpu in app.yaml), and deploy GPU apps only to sites with a gpu in their hardware.',
    kinds: POD_KINDS,
  },
  options: { k3sRuntimeClassName: 'nvidia' },
  create(context) {
    const site = context.site;
    return {
      '*'(obj) {
        const t = podTemplate(obj);
        if (!t) return;
        let perPod = 0n;
        let initPeak = 0n;
        let firstGpu: readonly PathSegment[] | undefined;
        for (const c of containers(obj)) {
          const res = record(c.container.resources);
          const requests = record(res.requests);
          const limits = record(res.limits);
          for (const kind of ['requests', 'limits'] as const) {
            for (const name of Object.keys(record(res[kind]))) {
              if (!otherGpuResource(name)) continue;
              context.report({
                object: obj,
                path: [...c.path, 'resources', kind, name],
                key: true,
                message: `${name} is not a resource the sites advertise: the NVIDIA device plugin registers GPUs as ${GPU} only, so the pod stays Pending`,
              });
            }
          }
          const req = quantity(requests[GPU]);
          const lim = quantity(limits[GPU]);
          if (requests[GPU] !== undefined && limits[GPU] === undefined) {
            context.report({ object: obj, path: [...c.path, 'resources', 'requests', GPU], key: true, message: `${GPU} is requested without a limit: GPUs are asked for in limits (the request defaults to it), and the API server rejects a request alone` });
          } else if (req !== undefined && lim !== undefined && req !== lim) {
            context.report({ object: obj, path: [...c.path, 'resources', 'requests', GPU], message: `${GPU} request ${String(requests[GPU])} differs from its limit ${String(limits[GPU])}: the API server rejects the pod (GPUs cannot be overcommitted)` });
          }
          const n = lim ?? req ?? 0n;
          if (n > 0n) firstGpu ??= [...c.path, 'resources', lim !== undefined ? 'limits' : 'requests', GPU];
          if (c.init && c.container.restartPolicy !== 'Always') initPeak = n > initPeak ? n : initPeak;
          else perPod += n;
        }
        const gpus = perPod > initPeak ? perPod : initPeak;
        if (gpus === 0n || !firstGpu) return;
        const count = gpus / NANO;
        if (!site.gpu) {
          context.report({ object: obj, path: firstGpu, message: `the pod asks for ${count} GPU(s) but site ${site.name} has none: it stays Pending` });
          return;
        }
        if (gpus > BigInt(site.gpu.count) * NANO) {
          context.report({ object: obj, path: firstGpu, message: `the pod asks for ${count} GPUs but site ${site.name} has ${site.gpu.count} (${site.gpu.model}): it stays Pending` });
        }
        const specPath: PathSegment[] = [...t.path, 'spec'];
        if (!toleratesGpu(t.spec.tolerations)) {
          context.report({ object: obj, path: [...specPath, 'tolerations'], message: `a GPU pod without the ${GPU} toleration cannot be scheduled on GPU nodes tainted ${GPU}:NoSchedule` });
        }
        const runtimeClass = context.options.k3sRuntimeClassName;
        if (site.runtime === 'k3s' && t.spec.runtimeClassName !== runtimeClass) {
          context.report({
            object: obj,
            path: [...specPath, 'runtimeClassName'],
            message: `${t.spec.runtimeClassName === undefined ? 'no runtimeClassName' : `runtimeClassName ${String(t.spec.runtimeClassName)}`} on k3s site ${site.name}: k3s registers the NVIDIA runtime as the "${runtimeClass}" handler, and without it the container starts without the GPU driver`,
          });
        }
      },
    };
  },
});
