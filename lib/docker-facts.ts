// What the Docker daemon says about itself, asked once per run and shared by every check that needs
// it (docker-daemon, resources, max-map-count, ports). We go through the `docker` CLI rather than
// the socket so contexts, DOCKER_HOST, TLS and ssh:// endpoints resolve exactly as they do for the
// user; it costs about 30 ms. A daemon that accepts and never answers makes `docker info` wait
// forever, so the probe is bounded a little inside the check's own bound and its child is killed.

import { stat } from 'node:fs/promises'
import type { Context } from './types.js'

/** The fields of `docker info --format '{{json .}}'` shipshape reads. */
export interface DockerInfo {
  ServerVersion: string
  OperatingSystem: string
  OSType: string
  Architecture: string
  KernelVersion: string
  NCPU: number
  MemTotal: number
  DockerRootDir: string
  Name: string
  ClientInfo?: { Version?: string; Context?: string }
}

export type DaemonProblem = 'not-running' | 'no-access' | 'not-answering' | 'no-cli' | 'other'

export type DaemonFacts =
  | { ok: true; info: DockerInfo; endpoint: string }
  | { ok: false; problem: DaemonProblem; endpoint: string; message: string; waitedMs?: number; socketExists?: boolean }

/** Leave this much of the check's bound for judging, so a hang is named rather than cut off. */
const MARGIN_MS = 500

export function daemonFacts(ctx: Context): Promise<DaemonFacts> {
  return ctx.facts.once('docker-info', async () => {
    const fallback = ctx.env.DOCKER_HOST || (ctx.env.DOCKER_CONTEXT ? `context ${ctx.env.DOCKER_CONTEXT}` : 'unix:///var/run/docker.sock')
    if (!(await ctx.which('docker'))) return { ok: false, problem: 'no-cli', endpoint: fallback, message: 'docker is not on PATH' }
    const timeoutMs = ctx.boundMs ? Math.max(500, ctx.boundMs - MARGIN_MS) : undefined
    const r = await ctx.probe(['docker', 'info', '--format', '{{json .}}'], { timeoutMs })
    const info = parseInfo(r.stdout)
    if (r.ok && info?.ServerVersion) {
      const context = info.ClientInfo?.Context
      return { ok: true, info, endpoint: ctx.env.DOCKER_HOST || (context && context !== 'default' ? `context ${context}` : fallback) }
    }
    const failed = classify(r.stderr, r.timedOut, fallback)
    // "Not running" has two faces on a unix socket: no socket at all, or a stale one nobody serves.
    const socket = failed.problem === 'not-running' && failed.endpoint.startsWith('unix://') ? failed.endpoint.slice('unix://'.length) : null
    const socketExists = socket === null ? undefined : await stat(socket).then(() => true, () => false)
    return { ok: false, ...failed, ...(r.timedOut ? { waitedMs: r.ms } : {}), ...(socketExists === undefined ? {} : { socketExists }) }
  })
}

function parseInfo(stdout: string): DockerInfo | null {
  try {
    return JSON.parse(stdout) as DockerInfo
  } catch {
    return null
  }
}

/** Names why the daemon did not answer, from the CLI's own words (stable since Docker 1.x). */
export function classify(stderr: string, timedOut: boolean, fallback: string): { problem: DaemonProblem; endpoint: string; message: string } {
  const message = stderr.trim().split('\n').find((l) => l.trim()) ?? ''
  const at = message.match(/(?:daemon socket at|Docker daemon at) (\S+?)[.:]?(?:\s|$)/)?.[1]
  const endpoint = at ?? fallback
  if (timedOut) return { problem: 'not-answering', endpoint, message }
  if (/permission denied/i.test(message)) return { problem: 'no-access', endpoint, message }
  if (/Cannot connect to the Docker daemon|connection refused|no such file or directory|Is the docker daemon running/i.test(message)) {
    return { problem: 'not-running', endpoint, message }
  }
  return { problem: 'other', endpoint, message: message || 'docker info failed without a message' }
}

/** One running container as `docker ps --format '{{json .}}'` prints it. */
export interface ContainerRow {
  Names: string
  Ports: string
  Labels: string
}

/** Running containers, or null when the daemon cannot tell us. */
export function runningContainers(ctx: Context): Promise<ContainerRow[] | null> {
  return ctx.facts.once('docker-ps', async () => {
    const daemon = await daemonFacts(ctx)
    if (!daemon.ok) return null
    const r = await ctx.probe(['docker', 'ps', '--format', '{{json .}}'])
    if (!r.ok) return null
    return r.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as ContainerRow)
  })
}

/** true when the daemon runs in a VM of its own (Docker Desktop), so its kernel and disk are not this host's. */
export function daemonInVm(info: DockerInfo): boolean {
  return /Docker Desktop/i.test(info.OperatingSystem) || /linuxkit/i.test(info.KernelVersion)
}

/** true when DOCKER_HOST (or the endpoint) names a machine other than this one. */
export function isRemote(endpoint: string): boolean {
  const m = endpoint.match(/^(?:tcp|ssh|https?):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i)
  return m ? !isLoopback(m[1]) : false
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || h === '0.0.0.0'
}
