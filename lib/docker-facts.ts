// What the Docker daemon says about itself, asked once per run and shared by every check that needs
// it (docker-daemon, resources, max-map-count, ports). For the usual local socket we ask the
// daemon's HTTP API directly (node:http over the unix socket: the same GET /info the CLI makes,
// without starting it), whether it comes from DOCKER_HOST, a docker context or the default; for
// tcp:// and ssh:// we go through the `docker` CLI, so TLS and ssh work exactly as for the user.
// A daemon that accepts and never answers would keep either waiting, so both are bounded a little
// inside the check's own bound, and the CLI child is killed; an answer is also bounded in bytes, so
// an endpoint that streams without end is named, not read into memory. GET /version rides along:
// it names the engine (lib/docker-engine.ts) and the API versions the daemon accepts.

import { request, type RequestOptions } from 'node:http'
import { join } from 'node:path'
import { readJsonObject } from './bounded-read.js'
import { detectEngine, engineFromEndpoint, engineInVm, type DockerVersion, type Engine } from './docker-engine.js'
import type { Context } from './types.js'
import { versionOutput } from './version-cache.js'

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
  SecurityOptions?: string[] | null
}

export type DaemonProblem = 'not-running' | 'no-access' | 'not-answering' | 'too-large' | 'no-cli' | 'invalid' | 'other'

/** `engine` is what lib/docker-engine.ts makes of the endpoint and the answers (null: cannot tell). */
export type DaemonFacts =
  | ({ ok: true; info: DockerInfo; endpoint: string; version?: DockerVersion | null } & EngineFacts)
  | ({ ok: false; problem: DaemonProblem; endpoint: string; message: string; waitedMs?: number; socketExists?: boolean } & EngineFacts)

/** Where the endpoint came from (lib/docker-facts.ts dockerEndpoint) and the engine named from it. */
export interface EngineFacts {
  host?: string | null
  context?: string | null
  engine?: Engine | null
}

/** The most shipshape reads of one answer from the daemon: /info is a few KiB, so 4 MiB is no real daemon. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024

/** Leave this much of the check's bound for judging, so a hang is named rather than cut off. */
const MARGIN_MS = 500

export function daemonFacts(ctx: Context): Promise<DaemonFacts> {
  return ctx.facts.once('docker-info', async () => {
    const ep = await dockerEndpoint(ctx)
    const shown = ep.context ? `${ep.host ?? '?'} (context ${ep.context})` : (ep.host ?? '?')
    const where = { host: ep.host, context: ep.context }
    if (!(await ctx.which('docker'))) return { ok: false, problem: 'no-cli', endpoint: shown, message: 'docker is not on PATH', ...where, engine: engineFromEndpoint(ep.host, ep.context) }
    const timeoutMs = Math.max(500, (ctx.boundMs ?? 3_000) - MARGIN_MS)
    const facts = ep.host?.startsWith('unix://') ? await viaSocket(ep.host.slice('unix://'.length), shown, timeoutMs) : await viaCli(ctx, shown, timeoutMs)
    const engine = facts.ok ? detectEngine({ ...ep, version: facts.version, info: facts.info }) : engineFromEndpoint(ep.host, ep.context)
    return { ...facts, ...where, engine }
  })
}

/**
 * Starts asking the daemon as the run begins (Check.prefetch), not once docker-cli is judged: GET
 * /info is the slowest answer of a warm run, as dockerd gathers it, and the wait then overlaps the
 * other checks. Only a unix socket is asked this early; a tcp:// or ssh:// endpoint is asked through
 * the docker CLI, which runs within the check's own bound.
 */
export function prefetchDaemonFacts(ctx: Context): void {
  void dockerEndpoint(ctx)
    .then((ep) => (ep.host?.startsWith('unix://') ? daemonFacts(ctx) : null))
    .catch(() => {})
}

/**
 * The newest Docker API the `docker` client speaks (`docker version`'s Client.DefaultAPIVersion, or
 * ApiVersion on clients before it existed), or null when it cannot tell. The client half of `docker
 * version` needs no daemon: pointed at a socket that does not exist it does not negotiate down to
 * the daemon's version, cannot hang on one, and prints the same every time, so it is cached per binary.
 */
export function clientApiVersion(ctx: Context): Promise<string | null> {
  return ctx.facts.once('docker-client-api', async () => {
    const bin = await ctx.which('docker')
    if (!bin) return null
    const env = { ...ctx.env, DOCKER_HOST: 'unix:///nonexistent/shipshape-client-only.sock', DOCKER_CONTEXT: undefined }
    const r = await versionOutput(ctx, bin, ['version', '--format', '{{json .Client}}'], { env, timeoutMs: 5_000, usable: (p) => parseJson(p.stdout) !== null })
    const client = parseJson(r.stdout) as { DefaultAPIVersion?: unknown; ApiVersion?: unknown } | null
    const api = client?.DefaultAPIVersion ?? client?.ApiVersion
    return typeof api === 'string' && /^\d+\.\d+$/.test(api) ? api : null
  })
}

/**
 * Whether the daemon already holds `image` (`GET /images/<ref>/json` answers 200), so running it
 * pulls nothing; null when it cannot tell (not a unix socket, no answer within `timeoutMs`).
 */
export async function imagePresent(ctx: Context, image: string, timeoutMs: number): Promise<boolean | null> {
  const ep = await dockerEndpoint(ctx)
  if (!ep.host?.startsWith('unix://')) return null
  const r = await daemonGet(ep.host.slice('unix://'.length), `/images/${encodeURI(image)}/json`, performance.now() + timeoutMs, undefined, 256 * 1024)
  return r.ok ? r.status === 200 : null
}

/** The engine the docker context or DOCKER_HOST points at, judged from the endpoint alone (no daemon asked). */
export async function engineInUse(ctx: Context): Promise<Engine | null> {
  const ep = await dockerEndpoint(ctx)
  return engineFromEndpoint(ep.host, ep.context)
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
export function dockerEndpoint(ctx: Context): Promise<DockerEndpoint> {
  return ctx.facts.once('docker-endpoint', () => readEndpoint(ctx))
}

async function readEndpoint(ctx: Context): Promise<DockerEndpoint> {
  if (ctx.env.DOCKER_HOST) return { host: ctx.env.DOCKER_HOST, context: null }
  const config = await dockerConfig(ctx)
  const name = ctx.env.DOCKER_CONTEXT || (typeof config?.currentContext === 'string' ? config.currentContext : '')
  if (!name || name === 'default') return { host: 'unix:///var/run/docker.sock', context: null }
  const meta = (await readJsonObject(join(dockerConfigDir(ctx), 'contexts', 'meta', sha256Hex(name), 'meta.json'))) as { Endpoints?: { docker?: { Host?: unknown } } } | null
  const host = meta?.Endpoints?.docker?.Host
  return { host: typeof host === 'string' ? host : null, context: name }
}

/** The Docker CLI's config folder: DOCKER_CONFIG, else ~/.docker. */
export const dockerConfigDir = (ctx: Context): string => ctx.env.DOCKER_CONFIG || join(ctx.home, '.docker')

/** The Docker CLI's config.json, read once per run (the endpoint, plugin folders and proxies are in it); null when absent or unreadable. */
export function dockerConfig(ctx: Context): Promise<Record<string, unknown> | null> {
  return ctx.facts.once('docker-config', () => readJsonObject(join(dockerConfigDir(ctx), 'config.json')))
}

// node:crypto is loaded where used, not at start: only a named context needs it.
function sha256Hex(text: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex')
}

async function viaSocket(socketPath: string, endpoint: string, timeoutMs: number): Promise<DaemonFacts> {
  const started = performance.now()
  const deadline = started + timeoutMs
  // /version only names the engine: once /info has answered, it gets a short grace, not the whole bound.
  const stopVersion = new AbortController()
  const pending = daemonGet(socketPath, '/version', deadline, stopVersion.signal)
  const info = await daemonGet(socketPath, '/info', deadline)
  const grace = setTimeout(() => stopVersion.abort(), VERSION_GRACE_MS)
  const version = await pending
  clearTimeout(grace)
  const parsed = info.ok && info.status === 200 ? await parseInfo(info.body) : null
  const answered = version.ok && version.status === 200 ? (parseJson(version.body) as DockerVersion | null) : null
  if (parsed && 'invalid' in parsed) return { ok: false, problem: 'invalid', endpoint, message: `GET /info: ${parsed.invalid}` }
  if (parsed) return { ok: true, info: parsed.info, endpoint, version: answered }
  if (info.ok) return { ok: false, problem: 'other', endpoint, message: `GET /info answered ${info.status}: ${info.body.trim().slice(0, 200)}` }
  const waitedMs = Math.round(performance.now() - started)
  // The same cases the CLI names, from the socket's own errors.
  switch (info.code) {
    case 'ETIMEDOUT':
      return { ok: false, problem: 'not-answering', endpoint, message: `no answer on ${socketPath} within ${waitedMs} ms`, waitedMs }
    case 'ETOOLARGE':
      return { ok: false, problem: 'too-large', endpoint, message: `answer too large: GET /info on ${socketPath} sent more than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB, so it was cut off` }
    case 'EACCES':
      return { ok: false, problem: 'no-access', endpoint, message: `permission denied while trying to connect to the Docker daemon socket at unix://${socketPath}` }
    case 'ENOENT':
      return { ok: false, problem: 'not-running', endpoint, message: `no socket at ${socketPath}`, socketExists: false }
    case 'ECONNREFUSED':
      return { ok: false, problem: 'not-running', endpoint, message: `${socketPath} refused the connection`, socketExists: true }
    default:
      return { ok: false, problem: 'other', endpoint, message: info.message }
  }
}

type Answer = { ok: true; status: number; body: string } | { ok: false; code: string; message: string }

const VERSION_GRACE_MS = 500

/** One GET on the daemon's socket, bounded in time (until `deadline`, or `signal`) and in bytes (MAX_ANSWER_BYTES). */
function daemonGet(socketPath: string, path: string, deadline: number, signal?: AbortSignal, maxBytes = MAX_ANSWER_BYTES): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false
    const settle = (answer: Answer) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(answer)
      req.destroy()
    }
    // A unix socket has no TLS server name: an empty one spares node's agent from guessing it from the
    // Host header, which compiles its IPv6 pattern (a few ms of every run).
    const req = request({ socketPath, path, headers: { host: 'docker' }, servername: '' } as RequestOptions, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > maxBytes) settle({ ok: false, code: 'ETOOLARGE', message: `more than ${maxBytes} bytes` })
        else chunks.push(chunk)
      })
      res.on('end', () => settle({ ok: true, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', (error: NodeJS.ErrnoException) => settle({ ok: false, code: error.code ?? 'EIO', message: error.message }))
    })
    const timer = setTimeout(() => settle({ ok: false, code: 'ETIMEDOUT', message: 'no answer' }), Math.max(0, deadline - performance.now()))
    signal?.addEventListener('abort', () => settle({ ok: false, code: 'ECANCELED', message: 'no longer needed' }), { once: true })
    req.on('error', (error: NodeJS.ErrnoException) => settle({ ok: false, code: error.code ?? 'EIO', message: `${error.code ?? ''} ${error.message}`.trim() }))
    req.end()
  })
}

async function viaCli(ctx: Context, endpoint: string, timeoutMs: number): Promise<DaemonFacts> {
  const started = performance.now()
  const r = await ctx.probe(['docker', 'info', '--format', '{{json .}}'], { timeoutMs })
  const parsed = r.ok ? await parseInfo(r.stdout) : null
  if (parsed && 'invalid' in parsed) return { ok: false, problem: 'invalid', endpoint, message: `docker info: ${parsed.invalid}` }
  if (parsed) {
    const info = parsed.info
    // Only once the daemon answered: a hung one costs one bound and one child, not two.
    const left = Math.max(200, timeoutMs - (performance.now() - started))
    const v = await ctx.probe(['docker', 'version', '--format', '{{json .Server}}'], { timeoutMs: left })
    return { ok: true, info, endpoint, version: v.ok ? (parseJson(v.stdout) as DockerVersion | null) : null }
  }
  return { ok: false, ...classify(r.stderr, r.timedOut, endpoint), ...(r.timedOut ? { waitedMs: r.ms } : {}) }
}

/**
 * The daemon's /info checked against the fields shipshape reads, so a missing or mistyped one is named
 * (an error of the daemon check) instead of crashing a check that uses it. null when it is no JSON
 * object at all (the callers then say what the daemon answered).
 */
async function parseInfo(stdout: string): Promise<{ info: DockerInfo } | { invalid: string } | null> {
  const value = parseJson(stdout)
  if (value === null) return null
  const { z } = await import('zod')
  const schema = z.looseObject({
    ServerVersion: z.string().min(1), OperatingSystem: z.string(), OSType: z.string(), Architecture: z.string(), KernelVersion: z.string(),
    NCPU: z.number(), MemTotal: z.number(), DockerRootDir: z.string(), Name: z.string(), SecurityOptions: z.array(z.string()).nullish(),
  })
  const r = schema.safeParse(value)
  if (r.success) return { info: r.data as DockerInfo }
  const issue = r.error.issues[0]
  return { invalid: `the answer has no usable ${issue.path.join('.')} (${issue.message})` }
}

function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text)
    return value !== null && typeof value === 'object' ? value : null
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

/** true when the daemon runs in a VM of its own (Docker Desktop, colima, OrbStack…), so its kernel and disk are not this host's. */
export function daemonInVm(d: Extract<DaemonFacts, { ok: true }>, platform: Pick<Context['platform'], 'kind'>): boolean {
  return engineInVm(d.engine ?? detectEngine({ host: null, context: null, info: d.info, version: d.version }), platform)
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

/**
 * Runs a command inside the daemon's kernel and disk (a VM engine's VM, a remote machine) with a
 * throwaway container from an image already present: nothing is pulled. The container is named for
 * what it measures, so a user who sees it in `docker ps -a` knows whose it is.
 */
export async function runInDaemon(ctx: Context, what: string, argv: [string, ...string[]]): Promise<{ stdout: string; image: string } | { skip: string }> {
  const image = await localImage(ctx)
  if (!image) return { skip: "no image is present locally to measure inside the engine's VM (nothing is pulled)" }
  const name = `shipshape-${what}-${process.getBuiltinModule('node:crypto').randomBytes(3).toString('hex')}`
  const r = await ctx.probe(['docker', 'run', '--rm', '--name', name, '--network', 'none', '--entrypoint', argv[0], image, ...argv.slice(1)])
  if (!r.ok) return { skip: `could not measure inside the daemon's VM with ${image}: ${r.stderr.trim().split('\n')[0] || `exit ${r.code}`}` }
  return { stdout: r.stdout, image }
}

async function localImage(ctx: Context): Promise<string | null> {
  return ctx.facts.once('docker-local-image', async () => {
    // A named image (a test's own, or one a user trusts) wins over picking among what is present.
    if (ctx.env.SHIPSHAPE_MEASURE_IMAGE) return ctx.env.SHIPSHAPE_MEASURE_IMAGE
    const r = await ctx.probe(['docker', 'image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])
    const images = r.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.includes('<none>'))
    // Prefer small images that surely have `cat` and `df`.
    return images.find((i) => /(^|\/)(busybox|alpine|debian|ubuntu)/.test(i)) ?? images[0] ?? null
  })
}
