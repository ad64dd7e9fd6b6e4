// The Pod Security Standards' Baseline and Restricted tables, control by control, as the Kubernetes
// documentation states them, and a checker that applies them to a Pod (or a workload's Pod template).
// Source: https://kubernetes.io/docs/concepts/security/pod-security-standards/ ("Baseline" and
// "Restricted" policy specifications). Written out here from the page, not from our templates, so a
// template that drifts from a rule fails. No API server runs in the tests: this is a field check of the
// documented rules, not the Pod Security admission controller itself.

export type Profile = 'baseline' | 'restricted'

export interface Control {
  profile: Profile
  control: string
  /** The table's "Restricted Fields", `spec.` and `metadata.` as in a Pod; `[*]` is every element. */
  fields: string[]
  /** The table's "Allowed Values". */
  allowed: Allowed
  /** "The container fields may be undefined/nil if the pod-level <field> is set" (to an allowed value). */
  podLevel?: string
  /** Seccomp: "the pod-level field may be undefined/nil if all container-level fields are set". */
  podLevelMayBeUnsetIfAllContainersSet?: boolean
}

/**
 * `values`: one of these (undefined stands for "Undefined/nil"; a string ending in `*` is a prefix).
 * `notValues`: anything but these. `includes`: a list that includes this. `setsOneOf`: an object that
 * sets one of these fields to a non-null value.
 */
export type Allowed = { values: unknown[] } | { notValues: unknown[] } | { includes: string } | { setsOneOf: string[] }

const CONTAINERS = ['containers', 'initContainers', 'ephemeralContainers']
const everyContainer = (field: string) => CONTAINERS.map((list) => `spec.${list}[*].${field}`)

export const BASELINE: Control[] = [
  { profile: 'baseline', control: 'HostProcess', fields: ['spec.securityContext.windowsOptions.hostProcess', ...everyContainer('securityContext.windowsOptions.hostProcess')], allowed: { values: [undefined, false] } },
  { profile: 'baseline', control: 'Host Namespaces', fields: ['spec.hostNetwork', 'spec.hostPID', 'spec.hostIPC'], allowed: { values: [undefined, false] } },
  { profile: 'baseline', control: 'Privileged Containers', fields: everyContainer('securityContext.privileged'), allowed: { values: [undefined, false] } },
  {
    profile: 'baseline',
    control: 'Capabilities',
    fields: everyContainer('securityContext.capabilities.add[*]'),
    allowed: { values: [undefined, 'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'] },
  },
  { profile: 'baseline', control: 'HostPath Volumes', fields: ['spec.volumes[*].hostPath'], allowed: { values: [undefined] } },
  { profile: 'baseline', control: 'Host Ports', fields: CONTAINERS.map((list) => `spec.${list}[*].ports[*].hostPort`), allowed: { values: [undefined, 0] } },
  { profile: 'baseline', control: 'AppArmor', fields: ['spec.securityContext.appArmorProfile.type', ...everyContainer('securityContext.appArmorProfile.type')], allowed: { values: [undefined, 'RuntimeDefault', 'Localhost'] } },
  { profile: 'baseline', control: 'AppArmor (annotations)', fields: ['metadata.annotations[container.apparmor.security.beta.kubernetes.io/*]'], allowed: { values: [undefined, 'runtime/default', 'localhost/*'] } },
  {
    profile: 'baseline',
    control: 'SELinux (type)',
    fields: ['spec.securityContext.seLinuxOptions.type', ...everyContainer('securityContext.seLinuxOptions.type')],
    allowed: { values: [undefined, '', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'] },
  },
  {
    profile: 'baseline',
    control: 'SELinux (user, role)',
    fields: ['spec.securityContext.seLinuxOptions.user', ...everyContainer('securityContext.seLinuxOptions.user'), 'spec.securityContext.seLinuxOptions.role', ...everyContainer('securityContext.seLinuxOptions.role')],
    allowed: { values: [undefined, ''] },
  },
  { profile: 'baseline', control: '/proc Mount Type', fields: everyContainer('securityContext.procMount'), allowed: { values: [undefined, 'Default'] } },
  { profile: 'baseline', control: 'Seccomp', fields: ['spec.securityContext.seccompProfile.type', ...everyContainer('securityContext.seccompProfile.type')], allowed: { values: [undefined, 'RuntimeDefault', 'Localhost'] } },
  {
    profile: 'baseline',
    control: 'Sysctls',
    fields: ['spec.securityContext.sysctls[*].name'],
    allowed: {
      values: [
        undefined,
        'kernel.shm_rmid_forced',
        'net.ipv4.ip_local_port_range',
        'net.ipv4.ip_unprivileged_port_start',
        'net.ipv4.tcp_syncookies',
        'net.ipv4.ping_group_range',
        'net.ipv4.ip_local_reserved_ports',
        'net.ipv4.tcp_keepalive_time',
        'net.ipv4.tcp_fin_timeout',
        'net.ipv4.tcp_keepalive_intvl',
        'net.ipv4.tcp_keepalive_probes',
      ],
    },
  },
]

/** "Everything from the Baseline policy", then these. */
export const RESTRICTED: Control[] = [
  ...BASELINE.map((c) => ({ ...c, profile: 'restricted' as const })),
  { profile: 'restricted', control: 'Volume Types', fields: ['spec.volumes[*]'], allowed: { setsOneOf: ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'] } },
  { profile: 'restricted', control: 'Privilege Escalation', fields: everyContainer('securityContext.allowPrivilegeEscalation'), allowed: { values: [false] } },
  {
    profile: 'restricted',
    control: 'Running as Non-root',
    fields: ['spec.securityContext.runAsNonRoot', ...everyContainer('securityContext.runAsNonRoot')],
    allowed: { values: [true] },
    podLevel: 'spec.securityContext.runAsNonRoot',
  },
  { profile: 'restricted', control: 'Running as Non-root user', fields: ['spec.securityContext.runAsUser', ...everyContainer('securityContext.runAsUser')], allowed: { notValues: [0] } },
  {
    profile: 'restricted',
    control: 'Seccomp',
    fields: ['spec.securityContext.seccompProfile.type', ...everyContainer('securityContext.seccompProfile.type')],
    allowed: { values: ['RuntimeDefault', 'Localhost'] },
    podLevel: 'spec.securityContext.seccompProfile.type',
    podLevelMayBeUnsetIfAllContainersSet: true,
  },
  { profile: 'restricted', control: 'Capabilities (drop)', fields: everyContainer('securityContext.capabilities.drop'), allowed: { includes: 'ALL' } },
  { profile: 'restricted', control: 'Capabilities (add)', fields: everyContainer('securityContext.capabilities.add[*]'), allowed: { values: [undefined, 'NET_BIND_SERVICE'] } },
]

export const PROFILES: Record<Profile, Control[]> = { baseline: BASELINE, restricted: RESTRICTED }

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

/** The Pod (spec and metadata) a Kubernetes object runs, or null for an object that runs none. */
export function podOf(obj: Json): { spec: Json; metadata: Json } | null {
  if (obj?.kind === 'Pod') return { spec: obj.spec ?? {}, metadata: obj.metadata ?? {} }
  const template = obj?.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template : obj?.spec?.template
  return template ? { spec: template.spec ?? {}, metadata: template.metadata ?? {} } : null
}

/** Every value at a path, one per element of each `[*]` (a missing field is undefined; an absent list, nothing). */
function valuesAt(root: Json, path: string): Array<{ where: string; value: unknown }> {
  let current: Array<{ where: string; value: unknown }> = [{ where: '', value: root }]
  for (const step of path.match(/[^.[\]]+(?:\[[^\]]*\])?/g) ?? []) {
    const [, name, index] = /^([^[]+)(?:\[([^\]]*)\])?$/.exec(step)!
    const next: typeof current = []
    for (const { where, value } of current) {
      const here = `${where}${where ? '.' : ''}${name}`
      const field = value === undefined || value === null ? undefined : (value as Json)[name]
      if (index === undefined) next.push({ where: here, value: field })
      else if (index === '*') for (const [i, item] of (Array.isArray(field) ? field : []).entries()) next.push({ where: `${here}[${i}]`, value: item })
      else if (index.endsWith('*')) {
        for (const [k, v] of Object.entries(field ?? {})) if (k.startsWith(index.slice(0, -1))) next.push({ where: `${here}[${k}]`, value: v })
      } else next.push({ where: `${here}[${index}]`, value: field?.[index] })
    }
    current = next
  }
  return current
}

function allows(allowed: Allowed, value: unknown): boolean {
  if ('values' in allowed) return allowed.values.some((a) => a === value || (typeof a === 'string' && a.endsWith('*') && typeof value === 'string' && value.startsWith(a.slice(0, -1))))
  if ('notValues' in allowed) return !allowed.notValues.includes(value)
  if ('includes' in allowed) return Array.isArray(value) && value.includes(allowed.includes)
  return typeof value === 'object' && value !== null && allowed.setsOneOf.some((f) => (value as Json)[f] !== undefined && (value as Json)[f] !== null)
}

/** What a Pod does that the profile forbids, as "control: field = value"; empty when it passes. */
export function violations(pod: { spec: Json; metadata: Json }, profile: Profile): string[] {
  const out: string[] = []
  for (const c of PROFILES[profile]) {
    const podLevelOk = c.podLevel !== undefined && allows(c.allowed, valuesAt(pod, c.podLevel)[0]?.value)
    for (const field of c.fields) {
      for (const { where, value } of valuesAt(pod, field)) {
        if (allows(c.allowed, value)) continue
        const isPodLevel = field === c.podLevel
        if (!isPodLevel && value === undefined && podLevelOk) continue
        if (isPodLevel && value === undefined && c.podLevelMayBeUnsetIfAllContainersSet) {
          const containerFields = c.fields.filter((f) => f !== c.podLevel)
          if (containerFields.every((f) => valuesAt(pod, f).every((v) => allows(c.allowed, v.value)))) continue
        }
        out.push(`${c.control}: ${where} = ${JSON.stringify(value)}`)
      }
    }
  }
  return out
}
