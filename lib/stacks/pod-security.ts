// What decides whether a stack's Pods are admitted and run on a real cluster, derived once for every
// stack: the Pod Security profile they meet (Kubernetes' Pod Security Standards,
// kubernetes.io/docs/concepts/security/pod-security-standards), the namespace they go to, and for
// Elasticsearch how vm.max_map_count is dealt with (Elastic's ECK "Virtual memory" page: either mmap
// off, or a privileged init container that raises it on the node).

import { UsageError } from '../errors.js'
import type { Values } from './values.js'

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted'

/** nginx's own image runs its master as root; this one runs as uid 101 and listens where it is told. */
export const NGINX_IMAGE = 'nginx:1.27-alpine'
export const UNPRIVILEGED_NGINX_IMAGE = 'nginxinc/nginx-unprivileged:1.27-alpine'
/** Not the echo server's 8080: both containers share the Pod's network. */
export const UNPRIVILEGED_NGINX_PORT = 8081

export interface KubeSettings {
  values: Values
  warnings: string[]
}

export function kubeSettings(stack: string, v: Values): KubeSettings {
  const warnings: string[] = []
  const init = v.kernelSettings === 'init'
  if (init && v.podSecurity !== undefined) {
    throw new UsageError(
      `parameter 'kernelSettings': init runs a privileged init container (sysctl -w vm.max_map_count=262144), ` +
        `which the Pod Security profile podSecurity=${v.podSecurity} does not admit (neither baseline nor restricted ` +
        'allows a privileged container). Keep kernelSettings=mmapOff, use kernelSettings=none where the nodes already ' +
        'have vm.max_map_count=262144, or leave podSecurity out for a namespace that allows privileged Pods',
    )
  }
  // Kubernetes keeps the kube- prefix for its own namespaces; labelling one would change what its Pods may do.
  if (typeof v.namespace === 'string' && v.namespace.startsWith('kube-')) {
    const why = 'which Kubernetes reserves for its own namespaces; choose another'
    throw new UsageError(`parameter 'namespace': '${v.namespace}' starts with kube-, ${why}`)
  }
  const level: PodSecurityLevel = init ? 'privileged' : v.podSecurity === 'restricted' ? 'restricted' : 'baseline'
  const values: Values = { ...v, podSecurityLevel: level }
  if (stack === 'elasticsearch') {
    // node.store.allow_mmap is a 7.0 setting (Elastic's store module reference); an older node would
    // refuse it, so it is left out and the manifest says what the node needs instead (clusterNote).
    values.mmapOff = v.kernelSettings === 'mmapOff' && Number(String(v.version).split('.')[0]) >= 7
    values.sysctlInit = init
  }
  if (stack === 'echo') {
    const restricted = level === 'restricted'
    if (restricted && v.nginxImage !== undefined) {
      warnings.push(
        `nginxImage ${v.nginxImage} runs as uid 101 under podSecurity=restricted and must write /etc/nginx/conf.d ` +
          `and listen on ${UNPRIVILEGED_NGINX_PORT} unprivileged, as ${UNPRIVILEGED_NGINX_IMAGE} does`,
      )
    }
    values.nginxImage = v.nginxImage ?? (restricted ? UNPRIVILEGED_NGINX_IMAGE : NGINX_IMAGE)
    values.nginxPort = restricted ? UNPRIVILEGED_NGINX_PORT : 80
    values.restricted = restricted
  }
  return { values, warnings }
}

/**
 * The manifest's lines on what the cluster must allow: the Pod Security profile and the label that has
 * the cluster enforce it, and an Elasticsearch too old to turn mmap off.
 */
export function clusterNote(v: Values): string | undefined {
  const level = v.podSecurityLevel
  if (level === undefined) return undefined
  const meets = level === 'privileged' ? 'need the "privileged" Pod Security profile (the sysctl init container)' : `meet the "${level}" Pod Security profile`
  const label = `pod-security.kubernetes.io/enforce=${level}`
  const lines = [
    v.namespace !== undefined
      ? `These Pods ${meets}; the Namespace ${v.namespace} below has ${label}.`
      : `These Pods ${meets}. A cluster admin enforces it on their namespace: kubectl label namespace <namespace> ${label}`,
  ]
  if (v.kernelSettings === 'mmapOff' && v.mmapOff === false) {
    lines.push(
      `Elasticsearch ${v.version} has no node.store.allow_mmap (it came with 7.0): its node needs ` +
        "vm.max_map_count=262144, set by the nodes' admin or with kernelSettings=init.",
    )
  }
  return lines.join('\n# ')
}
