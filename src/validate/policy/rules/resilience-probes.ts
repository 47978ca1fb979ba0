import { defineRule } from '../define-rule.js';
import { containers, podTemplate, record, type ContainerAt } from '../helpers.js';

interface Options {
  /**
   * Also require probes of containers that declare no port. Off by default: such a container (a device plugin,
   * a queue worker) serves no traffic for readiness to gate and often has no health endpoint to probe.
   */
  readonly requireWithoutPorts: boolean;
}

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod']);
const DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 } as const;

/**
 * Long-running containers that serve (declare a port) have a liveness and a readiness probe, and the two are
 * not the same check. Nobody is on site to restart a wedged process (liveness), and a pod that is up but not
 * ready must not get traffic or let a rollout proceed (readiness). Jobs, CronJobs and bare pods that do not
 * restart are not long-running; native sidecars (init containers with restartPolicy Always) count as containers.
 *
 * Decision on "identical": the same handler (same probe type and target: HTTP path/port/scheme/host/headers,
 * TCP port, gRPC port/service, exec command; a named port is resolved to its number) fires unless liveness
 * tolerates failure strictly longer than readiness (periodSeconds × failureThreshold, Kubernetes defaults
 * applied). With the same endpoint and a longer liveness window, a slow dependency first takes the pod out of
 * service and only a pod that stays unhealthy is restarted — that is the recommended pattern and is fine. With
 * the same endpoint and a window no longer than readiness's, every readiness failure is also a restart: the
 * restart loop a shared health endpoint causes when an upstream (the WAN link!) is down.
 */
export default defineRule<Options>({
  id: 'resilience-probes',
  meta: {
    category: 'resilience',
    severity: 'error',
    description: 'Long-running containers that serve traffic have liveness and readiness probes that are not the same check: nobody is on site to restart a wedged process, and a shared check turns a slow upstream into a restart loop.',
    remediation: 'Give the container a readinessProbe (is it ready for traffic?) and a livenessProbe (is the process wedged?) on different endpoints, or on the same endpoint with a longer liveness failure window (periodSeconds × failureThreshold).',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'],
  },
  options: { requireWithoutPorts: false },
  create(context) {
    return {
      '*'(obj) {
        if (!LONG_RUNNING.has(obj.ref.kind)) return;
        const t = podTemplate(obj);
        if (!t) return;
        if (obj.ref.kind === 'Pod' && (t.spec.restartPolicy === 'Never' || t.spec.restartPolicy === 'OnFailure')) return;
        for (const c of containers(obj)) {
          if (c.init && c.container.restartPolicy !== 'Always') continue;
          const who = `${c.init ? 'sidecar' : 'container'} "${String(c.container.name ?? '?')}"`;
          const ports = Array.isArray(c.container.ports) ? (c.container.ports as unknown[]) : [];
          const liveness = c.container.livenessProbe;
          const readiness = c.container.readinessProbe;
          if (ports.length > 0 || context.options.requireWithoutPorts) {
            for (const [field, probe, why] of [
              ['livenessProbe', liveness, 'a wedged process is never restarted, and nobody is on site to do it'],
              ['readinessProbe', readiness, 'the pod gets traffic, and a rollout proceeds, before it is ready'],
            ] as const) {
              if (probe === undefined || probe === null) context.report({ object: obj, path: [...c.path, field], message: `${who} has no ${field}: ${why}` });
            }
          }
          if (liveness === undefined || readiness === undefined) continue;
          const l = record(liveness);
          const r = record(readiness);
          const handler = handlerKey(l, c);
          if (handler === undefined || handler !== handlerKey(r, c)) continue;
          const lw = window(l);
          const rw = window(r);
          if (lw > rw) continue;
          const message = sameTiming(l, r)
            ? `${who}: livenessProbe is identical to readinessProbe (${handler}): every time the pod is not ready it is also restarted`
            : `${who}: livenessProbe checks the same ${handler} as readinessProbe and gives up after ${lw}s, no later than readiness (${rw}s): every readiness failure is also a restart`;
          context.report({ object: obj, path: [...c.path, 'livenessProbe'], message });
        }
      },
    };
  },
});

/** What a probe checks, comparable between probes of one container; undefined for a probe with no handler. */
function handlerKey(probe: Record<string, unknown>, c: ContainerAt): string | undefined {
  const port = (p: unknown): string => {
    if (typeof p === 'string') {
      const named = (Array.isArray(c.container.ports) ? (c.container.ports as unknown[]) : []).map(record).find((x) => x.name === p);
      if (named && named.containerPort !== undefined) return String(named.containerPort);
    }
    return String(p);
  };
  const http = record(probe.httpGet);
  if (probe.httpGet !== undefined) {
    const headers = (Array.isArray(http.httpHeaders) ? (http.httpHeaders as unknown[]) : []).map((h) => `${String(record(h).name)}=${String(record(h).value)}`).sort();
    return `${String(http.scheme ?? 'HTTP')} ${String(http.host ?? '')}:${port(http.port)}${String(http.path ?? '/')}${headers.length ? ` [${headers.join(',')}]` : ''}`;
  }
  if (probe.tcpSocket !== undefined) return `TCP ${String(record(probe.tcpSocket).host ?? '')}:${port(record(probe.tcpSocket).port)}`;
  if (probe.grpc !== undefined) return `gRPC :${port(record(probe.grpc).port)} ${String(record(probe.grpc).service ?? '')}`.trim();
  if (probe.exec !== undefined) {
    const command = record(probe.exec).command;
    return `exec ${JSON.stringify(Array.isArray(command) ? command : [])}`;
  }
  return undefined;
}

function num(probe: Record<string, unknown>, field: keyof typeof DEFAULTS): number {
  const v = probe[field];
  return typeof v === 'number' ? v : DEFAULTS[field];
}

/** Seconds of consecutive failure before the probe acts. */
function window(probe: Record<string, unknown>): number {
  return num(probe, 'periodSeconds') * num(probe, 'failureThreshold');
}

function sameTiming(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return (Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]).every((f) => num(a, f) === num(b, f));
}
