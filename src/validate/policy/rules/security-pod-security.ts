import type { PathSegment } from '../../../util/yaml-source.js';
import { defineRule } from '../define-rule.js';
import { annotations, containers, describeContainer, get, labels, podTemplate, record, WORKLOAD_KINDS, type ContainerAt, type PodTemplate } from '../helpers.js';
import type { PolicyObject, RuleContext } from '../types.js';

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const REASON = 'edgefleet.io/pod-security-reason';
const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
type Level = (typeof LEVELS)[number];

// Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards, as enforced by
// k8s.io/pod-security-admission for Kubernetes 1.33).
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/**
 * Pod Security levels. An app namespace (one a site's app is deployed to) must enforce `restricted`, and its
 * pods must pass the restricted checks; any other namespace the site applies is held to the level its
 * `pod-security.kubernetes.io/enforce` label declares (baseline → the baseline checks, privileged → none), and
 * a level below restricted needs a non-empty `edgefleet.io/pod-security-reason` annotation on the namespace (a
 * namespace without the label runs at the cluster default, privileged, and fires). Pods in namespaces the site
 * does not declare (kube-system, …) are not judged: their level is not in the repository.
 *
 * The checks follow the Pod Security Standards field by field, for containers and init containers:
 * baseline — no hostNetwork/hostPID/hostIPC, no privileged, capabilities added only from the default set, no
 * hostPath volume, no hostPort, AppArmor not Unconfined, SELinux type from the allowed set and no user/role,
 * procMount Default, seccomp not Unconfined, only safe sysctls, no Windows HostProcess; restricted — also only
 * core volume types, allowPrivilegeEscalation false, runAsNonRoot true (pod, or every container; none false),
 * runAsUser not 0, seccomp RuntimeDefault or Localhost (pod, or every container), capabilities drop ALL and add
 * at most NET_BIND_SERVICE. As in the standard, a pod with `spec.os.name: windows` skips the Linux-only
 * restricted checks (privilege escalation, seccomp, capabilities). The relaxation of runAsNonRoot/runAsUser for
 * pods in a user namespace (`hostUsers: false`) is not applied: it is behind a feature gate that is off by default.
 */
export default defineRule({
  id: 'security-pod-security',
  meta: {
    category: 'security',
    severity: 'error',
    description: 'App namespaces enforce the restricted Pod Security level and their pods pass it; other namespaces are held to the level they declare and record why it is not restricted: an edge node is physically exposed and often unattended, so a container escape is a site compromise.',
    remediation: 'Set the pod and container securityContext the message names (runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile.type: RuntimeDefault, no host namespaces, ports or paths); for an add-on that needs more, label its namespace with the lowest level that works and record why in the edgefleet.io/pod-security-reason annotation.',
    kinds: ['Namespace', 'Pod', ...WORKLOAD_KINDS],
  },
  options: {},
  create(context) {
    const appNamespaces = new Set(context.site.apps.map((a) => a.namespace));
    const declared = new Map<string, Level | undefined>();
    const pods: PolicyObject[] = [];
    return {
      Namespace(obj) {
        const level = checkNamespace(context, obj, appNamespaces.has(obj.ref.name));
        declared.set(obj.ref.name, level);
      },
      '*'(obj) {
        if (obj.ref.kind !== 'Namespace' && podTemplate(obj)) pods.push(obj);
      },
      onSiteEnd() {
        for (const obj of pods) {
          const ns = obj.ref.namespace;
          if (ns === undefined) continue;
          const level: Level | undefined = appNamespaces.has(ns) ? 'restricted' : declared.has(ns) ? (declared.get(ns) ?? 'privileged') : undefined;
          if (level === undefined || level === 'privileged') continue;
          checkPod(context, obj, level, ns);
        }
      },
    };
  },
});

/** Reports namespace-level problems; returns the level the namespace enforces (undefined when invalid). */
function checkNamespace(context: RuleContext<Record<string, never>>, obj: PolicyObject, isApp: boolean): Level | undefined {
  const value = labels(obj.object)[ENFORCE];
  const labelPath = ['metadata', 'labels', ENFORCE];
  if (value === undefined) {
    context.report({
      object: obj,
      path: ['metadata'],
      key: true,
      message: `namespace "${obj.ref.name}" has no ${ENFORCE} label, so it runs at the cluster default (privileged)${isApp ? '; an app namespace must enforce restricted' : ''}`,
    });
    return 'privileged';
  }
  if (!(LEVELS as readonly string[]).includes(String(value))) {
    context.report({ object: obj, path: labelPath, message: `${ENFORCE}: "${value}" is not a Pod Security level (privileged, baseline, restricted)` });
    return undefined;
  }
  const level = value as Level;
  if (level === 'restricted') return level;
  if (isApp) {
    context.report({ object: obj, path: labelPath, message: `app namespace "${obj.ref.name}" enforces ${level}; app namespaces must enforce restricted` });
    return level;
  }
  const reason = annotations(obj.object)[REASON];
  if (typeof reason !== 'string' || reason.trim() === '') {
    context.report({ object: obj, path: labelPath, message: `namespace "${obj.ref.name}" enforces ${level} with no recorded reason: add the ${REASON} annotation saying why restricted is not possible` });
  }
  return level;
}

function checkPod(context: RuleContext<Record<string, never>>, obj: PolicyObject, level: 'baseline' | 'restricted', ns: string): void {
  const t = podTemplate(obj) as PodTemplate;
  const sp: PathSegment[] = [...t.path, 'spec'];
  const spec = t.spec;
  const psc = record(spec.securityContext);
  const where = `namespace "${ns}" enforces ${level}`;
  const report = (path: readonly PathSegment[], what: string): void => context.report({ object: obj, path, message: `${what} (${where})` });
  const all = containers(obj);
  const label = describeContainer;
  const csc = (c: ContainerAt): Record<string, unknown> => record(c.container.securityContext);
  const cscPath = (c: ContainerAt, ...rest: PathSegment[]): PathSegment[] => [...c.path, 'securityContext', ...rest];

  // ── baseline ──
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[f] === true) report([...sp, f], `${f}: true shares the node's namespace`);
  }
  if (record(psc.windowsOptions).hostProcess === true) report([...sp, 'securityContext', 'windowsOptions', 'hostProcess'], 'a Windows HostProcess pod has node access');
  const volumes = Array.isArray(spec.volumes) ? (spec.volumes as unknown[]) : [];
  volumes.forEach((v, i) => {
    const vol = record(v);
    if (vol.hostPath !== undefined) report([...sp, 'volumes', i, 'hostPath'], `volume "${String(vol.name ?? i)}" mounts a hostPath`);
    else if (level === 'restricted') {
      const type = Object.keys(vol).find((k) => k !== 'name');
      if (type !== undefined && !RESTRICTED_VOLUMES.has(type)) report([...sp, 'volumes', i, type], `volume "${String(vol.name ?? i)}" is of type ${type}; restricted allows ${[...RESTRICTED_VOLUMES].join(', ')}`);
    }
  });
  const sysctls = Array.isArray(psc.sysctls) ? (psc.sysctls as unknown[]) : [];
  sysctls.forEach((s, i) => {
    const name = String(record(s).name ?? '');
    if (!SAFE_SYSCTLS.has(name)) report([...sp, 'securityContext', 'sysctls', i, 'name'], `sysctl ${name} is not in the safe set`);
  });
  checkSeLinux(record(psc.seLinuxOptions), [...sp, 'securityContext', 'seLinuxOptions'], 'the pod', report);
  checkProfile(record(psc.appArmorProfile).type, [...sp, 'securityContext', 'appArmorProfile', 'type'], 'the pod', 'AppArmor', report);
  const podSeccomp = record(psc.seccompProfile).type;
  if (podSeccomp === 'Unconfined') report([...sp, 'securityContext', 'seccompProfile', 'type'], 'the pod sets seccompProfile Unconfined');
  for (const [k, v] of Object.entries(record(t.metadata.annotations))) {
    if (k.startsWith(APPARMOR_ANNOTATION) && v !== 'runtime/default' && !String(v).startsWith('localhost/')) {
      report([...t.path, 'metadata', 'annotations', k], `AppArmor annotation ${k}: ${String(v)} (allowed: runtime/default, localhost/*)`);
    }
  }
  for (const c of all) {
    const sc = csc(c);
    if (sc.privileged === true) report(cscPath(c, 'privileged'), `${label(c)} is privileged`);
    if (record(sc.windowsOptions).hostProcess === true) report(cscPath(c, 'windowsOptions', 'hostProcess'), `${label(c)} is a Windows HostProcess container`);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') report(cscPath(c, 'procMount'), `${label(c)} sets procMount ${String(sc.procMount)}`);
    checkSeLinux(record(sc.seLinuxOptions), cscPath(c, 'seLinuxOptions'), label(c), report);
    checkProfile(record(sc.appArmorProfile).type, cscPath(c, 'appArmorProfile', 'type'), label(c), 'AppArmor', report);
    if (record(sc.seccompProfile).type === 'Unconfined') report(cscPath(c, 'seccompProfile', 'type'), `${label(c)} sets seccompProfile Unconfined`);
    const ports = Array.isArray(c.container.ports) ? (c.container.ports as unknown[]) : [];
    ports.forEach((p, j) => {
      const hostPort = record(p).hostPort;
      if (hostPort !== undefined && hostPort !== 0) report([...c.path, 'ports', j, 'hostPort'], `${label(c)} binds hostPort ${String(hostPort)}`);
    });
    const add = Array.isArray(record(sc.capabilities).add) ? (record(sc.capabilities).add as unknown[]) : [];
    add.forEach((cap, j) => {
      const name = String(cap).toUpperCase().replace(/^CAP_/, '');
      const allowed = level === 'restricted' ? name === 'NET_BIND_SERVICE' : BASELINE_CAPABILITIES.has(name);
      if (!allowed) report(cscPath(c, 'capabilities', 'add', j), `${label(c)} adds capability ${String(cap)}${level === 'restricted' ? ' (restricted allows only NET_BIND_SERVICE)' : ''}`);
    });
  }
  if (level === 'baseline') return;

  // ── restricted ──
  const windows = record(spec.os).name === 'windows';
  const podNonRoot = psc.runAsNonRoot;
  if (podNonRoot === false) report([...sp, 'securityContext', 'runAsNonRoot'], 'the pod sets runAsNonRoot: false');
  if (psc.runAsUser === 0) report([...sp, 'securityContext', 'runAsUser'], 'the pod runs as user 0 (root)');
  const podSeccompOk = podSeccomp === 'RuntimeDefault' || podSeccomp === 'Localhost';
  for (const c of all) {
    const sc = csc(c);
    if (sc.runAsNonRoot === false) report(cscPath(c, 'runAsNonRoot'), `${label(c)} sets runAsNonRoot: false`);
    else if (sc.runAsNonRoot !== true && podNonRoot !== true) report(cscPath(c, 'runAsNonRoot'), `${label(c)} may run as root: set runAsNonRoot: true on the pod or the container`);
    if (sc.runAsUser === 0) report(cscPath(c, 'runAsUser'), `${label(c)} runs as user 0 (root)`);
    if (windows) continue;
    if (sc.allowPrivilegeEscalation !== false) report(cscPath(c, 'allowPrivilegeEscalation'), `${label(c)} does not set allowPrivilegeEscalation: false`);
    const seccomp = record(sc.seccompProfile).type;
    if (seccomp === undefined ? !podSeccompOk : seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost' && seccomp !== 'Unconfined') {
      report(cscPath(c, 'seccompProfile', 'type'), `${label(c)} has no seccomp profile: set seccompProfile.type RuntimeDefault (or Localhost) on the pod or the container`);
    }
    const drop = get(sc, ['capabilities', 'drop']);
    if (!Array.isArray(drop) || !drop.some((d) => String(d).toUpperCase() === 'ALL')) report(cscPath(c, 'capabilities', 'drop'), `${label(c)} does not drop ALL capabilities`);
  }
}

function checkSeLinux(opts: Record<string, unknown>, path: readonly PathSegment[], who: string, report: (path: readonly PathSegment[], what: string) => void): void {
  if (opts.type !== undefined && !SELINUX_TYPES.has(String(opts.type))) report([...path, 'type'], `${who} sets SELinux type ${String(opts.type)}`);
  for (const f of ['user', 'role'] as const) {
    if (typeof opts[f] === 'string' && opts[f] !== '') report([...path, f], `${who} sets a custom SELinux ${f}`);
  }
}

function checkProfile(type: unknown, path: readonly PathSegment[], who: string, what: string, report: (path: readonly PathSegment[], what: string) => void): void {
  if (type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') report(path, `${who} sets ${what} profile ${String(type)}`);
}
