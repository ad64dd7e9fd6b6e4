// What the Docker daemon says about itself, asked once per run and shared by every check that needs
// it (docker-daemon, resources, max-map-count, ports). For the usual local socket we ask the
// daemon's HTTP API directly (node:http over the unix socket: the same GET /info the CLI makes,
// without starting it); for tcp://, ssh:// and docker contexts we go through the `docker` CLI, so
// TLS and context endpoints resolve exactly as they do for the user. A daemon that accepts and never
// answers would keep either waiting, so both are bounded a little inside the check's own bound, and
// the CLI child is killed.

import { readFile, stat } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
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
    const timeoutMs = Math.max(500, (ctx.boundMs ?? 3_000) - MARGIN_MS)
    const socket = await localSocket(ctx)
    return socket ? viaSocket(socket, timeoutMs) : viaCli(ctx, fallback, timeoutMs)
  })
}

/** The unix socket the CLI would use, or null when a context or a non-unix DOCKER_HOST decides. */
async function localSocket(ctx: Context): Promise<string | null> {
  const host = ctx.env.DOCKER_HOST
  if (host && !host.startsWith('unix://')) return null
  if (await usesContext(ctx)) return null
  return host ? host.slice('unix://'.length) : '/var/run/docker.sock'
}

/** DOCKER_CONTEXT, or a current context in Docker's config.json (Docker Desktop and colima set one). */
export async function usesContext(ctx: Context): Promise<boolean> {
  if (ctx.env.DOCKER_CONTEXT) return true
  const file = join(ctx.env.DOCKER_CONFIG || join(ctx.home, '.docker'), 'config.json')
  const config = (await readFile(file, 'utf8').then(JSON.parse).catch(() => null)) as { currentContext?: unknown } | null
  return typeof config?.currentContext === 'string' && config.currentContext !== '' && config.currentContext !== 'default'
}

function viaSocket(socketPath: string, timeoutMs: number): Promise<DaemonFacts> {
  const endpoint = `unix://${socketPath}`
  const started = performance.now()
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/info', headers: { host: 'docker' } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => {
        clearTimeout(timer)
        const info = parseInfo(body)
        if (res.statusCode === 200 && info?.ServerVersion) resolve({ ok: true, info, endpoint })
        else resolve({ ok: false, problem: 'other', endpoint, message: `GET /info answered ${res.statusCode}: ${body.trim().slice(0, 200)}` })
      })
    })
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })), timeoutMs)
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      const waitedMs = Math.round(performance.now() - started)
      // The same cases the CLI names, from the socket's own errors.
      if (error.code === 'ETIMEDOUT') resolve({ ok: false, problem: 'not-answering', endpoint, message: `no answer on ${socketPath} within ${waitedMs} ms`, waitedMs })
      else if (error.code === 'EACCES') resolve({ ok: false, problem: 'no-access', endpoint, message: `permission denied while trying to connect to the Docker daemon socket at ${endpoint}` })
      else if (error.code === 'ENOENT') resolve({ ok: false, problem: 'not-running', endpoint, message: `no socket at ${socketPath}`, socketExists: false })
      else if (error.code === 'ECONNREFUSED') resolve({ ok: false, problem: 'not-running', endpoint, message: `${socketPath} refused the connection`, socketExists: true })
      else resolve({ ok: false, problem: 'other', endpoint, message: `${error.code ?? ''} ${error.message}`.trim() })
    })
    req.end()
  })
}

async function viaCli(ctx: Context, fallback: string, timeoutMs: number): Promise<DaemonFacts> {
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
