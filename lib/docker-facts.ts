// What the Docker daemon says about itself, asked once per run and shared by every check that needs
// it (docker-daemon, resources, max-map-count, ports). For the usual local socket we ask the
// daemon's HTTP API directly (node:http over the unix socket: the same GET /info the CLI makes,
// without starting it), whether it comes from DOCKER_HOST, a docker context or the default; for
// tcp:// and ssh:// we go through the `docker` CLI, so TLS and ssh work exactly as for the user.
// A daemon that accepts and never answers would keep either waiting, so both are bounded a little
// inside the check's own bound, and the CLI child is killed.

import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
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
}

export type DaemonProblem = 'not-running' | 'no-access' | 'not-answering' | 'no-cli' | 'other'

export type DaemonFacts =
  | { ok: true; info: DockerInfo; endpoint: string }
  | { ok: false; problem: DaemonProblem; endpoint: string; message: string; waitedMs?: number; socketExists?: boolean }

/** Leave this much of the check's bound for judging, so a hang is named rather than cut off. */
const MARGIN_MS = 500

export function daemonFacts(ctx: Context): Promise<DaemonFacts> {
  return ctx.facts.once('docker-info', async () => {
    const ep = await dockerEndpoint(ctx)
    const shown = ep.context ? `${ep.host ?? '?'} (context ${ep.context})` : (ep.host ?? '?')
    if (!(await ctx.which('docker'))) return { ok: false, problem: 'no-cli', endpoint: shown, message: 'docker is not on PATH' }
    const timeoutMs = Math.max(500, (ctx.boundMs ?? 3_000) - MARGIN_MS)
    if (ep.host?.startsWith('unix://')) return viaSocket(ep.host.slice('unix://'.length), shown, timeoutMs)
    return viaCli(ctx, shown, timeoutMs)
  })
}

export interface DockerEndpoint {
  /** unix://, tcp://, ssh://…; null when a context's endpoint cannot be read (the CLI still knows). */
  host: string | null
  /** The docker context in use, or null for the default (DOCKER_HOST or the standard socket). */
  context: string | null
}

/**
 * Where the CLI will connect, resolved as docker/cli does: DOCKER_HOST, else DOCKER_CONTEXT, else
 * the config's currentContext (Docker Desktop, colima), else the standard socket. A context's
 * endpoint lives in <config dir>/contexts/meta/<sha256 of its name>/meta.json.
 */
export async function dockerEndpoint(ctx: Context): Promise<DockerEndpoint> {
  if (ctx.env.DOCKER_HOST) return { host: ctx.env.DOCKER_HOST, context: null }
  const configDir = ctx.env.DOCKER_CONFIG || join(ctx.home, '.docker')
  const config = (await readJson(join(configDir, 'config.json'))) as { currentContext?: unknown } | null
  const name = ctx.env.DOCKER_CONTEXT || (typeof config?.currentContext === 'string' ? config.currentContext : '')
  if (!name || name === 'default') return { host: 'unix:///var/run/docker.sock', context: null }
  const meta = (await readJson(join(configDir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'), 'meta.json'))) as { Endpoints?: { docker?: { Host?: unknown } } } | null
  const host = meta?.Endpoints?.docker?.Host
  return { host: typeof host === 'string' ? host : null, context: name }
}

function readJson(file: string): Promise<unknown> {
  return readFile(file, 'utf8').then(JSON.parse).catch(() => null)
}

function viaSocket(socketPath: string, endpoint: string, timeoutMs: number): Promise<DaemonFacts> {
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
      else if (error.code === 'EACCES') resolve({ ok: false, problem: 'no-access', endpoint, message: `permission denied while trying to connect to the Docker daemon socket at unix://${socketPath}` })
      else if (error.code === 'ENOENT') resolve({ ok: false, problem: 'not-running', endpoint, message: `no socket at ${socketPath}`, socketExists: false })
      else if (error.code === 'ECONNREFUSED') resolve({ ok: false, problem: 'not-running', endpoint, message: `${socketPath} refused the connection`, socketExists: true })
      else resolve({ ok: false, problem: 'other', endpoint, message: `${error.code ?? ''} ${error.message}`.trim() })
    })
    req.end()
  })
}

async function viaCli(ctx: Context, endpoint: string, timeoutMs: number): Promise<DaemonFacts> {
  const r = await ctx.probe(['docker', 'info', '--format', '{{json .}}'], { timeoutMs })
  const info = parseInfo(r.stdout)
  if (r.ok && info?.ServerVersion) return { ok: true, info, endpoint }
  return { ok: false, ...classify(r.stderr, r.timedOut, endpoint), ...(r.timedOut ? { waitedMs: r.ms } : {}) }
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
