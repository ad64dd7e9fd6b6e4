// Waiting for a started stack, always within a deadline. Compose v1 has no --wait, so we poll each
// container's state with `docker inspect` (v2's --wait does the same inside compose). Kubernetes:
// rollout status for Deployments and StatefulSets, kubectl wait for Pods (Ready) and Jobs (complete),
// and readyReplicas for ReplicaSets, which have no rollout viewer.

import type { Probe } from '../types.js'

export interface ContainerState {
  id: string
  service: string
  status: string
  health: string | null
  exitCode: number
  oneShot: boolean
}

export type Readiness = { ready: true } | { ready: false; waitingFor: ContainerState[]; failed: ContainerState[] }

interface Inspected {
  Id: string
  State: { Status: string; ExitCode: number; Health?: { Status: string } }
  Config: { Labels?: Record<string, string> }
  HostConfig?: { RestartPolicy?: { Name?: string } }
}

export async function inspectContainers(probe: Probe, ids: string[]): Promise<ContainerState[]> {
  if (ids.length === 0) return []
  const r = await probe(['docker', 'inspect', ...ids], { timeoutMs: 15_000 })
  if (!r.ok) return []
  return (JSON.parse(r.stdout) as Inspected[]).map((c) => ({
    id: c.Id,
    service: c.Config.Labels?.['com.docker.compose.service'] ?? c.Id.slice(0, 12),
    status: c.State.Status,
    health: c.State.Health?.Status ?? null,
    exitCode: c.State.ExitCode,
    // A service that is never restarted is a one-shot (Elasticsearch's setup): exit 0 is its success.
    oneShot: (c.HostConfig?.RestartPolicy?.Name ?? 'no') === 'no',
  }))
}

/** Healthy when every container with a healthcheck is healthy, every other one runs, and one-shots exited 0. */
export function judge(states: ContainerState[]): Readiness {
  const failed = states.filter((s) => s.health === 'unhealthy' || (s.status === 'exited' && !(s.oneShot && s.exitCode === 0)) || s.status === 'dead')
  const waitingFor = states.filter((s) => !failed.includes(s) && !(s.health ? s.health === 'healthy' && s.status === 'running' : s.status === 'running' || (s.oneShot && s.status === 'exited')))
  return failed.length === 0 && waitingFor.length === 0 && states.length > 0 ? { ready: true } : { ready: false, waitingFor, failed }
}

export interface PollOptions {
  probe: Probe
  /** Lists the stack's container ids (compose ps -q). */
  containerIds: () => Promise<string[]>
  deadline: number
  intervalMs?: number
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

/** Polls until ready, a container fails, or the deadline passes; returns the last judgement. */
export async function pollHealthy(opts: PollOptions): Promise<Readiness & { states: ContainerState[] }> {
  const now = opts.now ?? Date.now
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  for (;;) {
    const states = await inspectContainers(opts.probe, await opts.containerIds())
    const verdict = judge(states)
    if (verdict.ready || verdict.failed.length > 0 || now() >= opts.deadline) return { ...verdict, states }
    await sleep(Math.min(opts.intervalMs ?? 1_000, Math.max(0, opts.deadline - now())))
  }
}

/** The last lines a container logged, for the message of a stack that did not come up. */
export async function lastLogs(probe: Probe, id: string, lines = 20): Promise<string> {
  const r = await probe(['docker', 'logs', '--tail', String(lines), id], { timeoutMs: 10_000 })
  return `${r.stdout}${r.stderr}`.trimEnd()
}

export interface K8sObjectRef {
  kind: string
  name: string
  replicas?: number
}

/** The command that waits for one object, or null when the kind has nothing to wait for. */
export function k8sWaitCommand(kubectl: string[], obj: K8sObjectRef, seconds: number): string[] | null {
  const timeout = `--timeout=${Math.max(1, seconds)}s`
  switch (obj.kind) {
    case 'Deployment':
    case 'StatefulSet':
      return [...kubectl, 'rollout', 'status', `${obj.kind.toLowerCase()}/${obj.name}`, timeout]
    case 'Pod':
      return [...kubectl, 'wait', '--for=condition=Ready', `pod/${obj.name}`, timeout]
    case 'Job':
      return [...kubectl, 'wait', '--for=condition=complete', `job/${obj.name}`, timeout]
    case 'ReplicaSet':
      return [...kubectl, 'get', `replicaset/${obj.name}`, '-o', 'jsonpath={.status.readyReplicas}']
    default:
      return null
  }
}
