// Does a Docker daemon answer through the active context or DOCKER_HOST, and which engine is it?
// Each way it can fail has its own fix, so each is named: not running (no socket, refused), no access
// (the socket is there but this user is not in the docker group), not answering (accepts, never
// replies: bounded, child killed), a remote daemon (works, but bind mounts and published ports live
// on that machine). The engine (lib/docker-engine.ts) decides the fix: colima, OrbStack, Rancher
// Desktop, Docker Desktop, rootless Docker and Podman each start their own way, and only the root
// Docker Engine has a docker group. The client's and daemon's API versions are compared too.

import { userInfo } from 'node:os'
import coerce from 'semver/functions/coerce.js'
import lt from 'semver/functions/lt.js'
import { clientApiVersion, daemonFacts, daemonInVm, isRemote, prefetchDaemonFacts, type DaemonFacts } from '../lib/docker-facts.js'
import { ENGINE_NAMES, type Engine } from '../lib/docker-engine.js'
import { dockerGroupStep, dockerServiceStep } from '../lib/provision/docker-linux.js'
import { dockerDesktopOpenStep } from '../lib/provision/docker-macos.js'
import { engineAccessHint, engineRestartHint, engineStartFix } from '../lib/provision/engines.js'
import type { Check, Context, Fix, Outcome, Platform } from '../lib/types.js'

const GiB = 1024 ** 3

/** Compose v2 implements the Compose Specification, which needs Docker Engine 19.03 (API 1.40). */
export const COMPOSE_V2_MIN_API = '1.40'

export const dockerDaemon = {
  id: 'docker-daemon',
  title: 'Docker daemon',
  about: {
    looks: 'the engine docker talks to (DOCKER_HOST, the current context or the standard socket): whether it answers, who may use it, and which engine it is',
    why: 'no container starts without a daemon that answers this user',
    statuses: { ok: 'the daemon answers this user', warn: 'it answers, with something to know (an old engine, a VM that is slow to start)', fail: 'nothing answers, permission is denied, or the endpoint is wrong; the fix starts it or grants access' },
  },
  required: true,
  needs: ['docker-cli'],
  prefetch: prefetchDaemonFacts,
  async run(ctx) {
    const d = await daemonFacts(ctx)
    return judgeDaemon(d, d.ok ? await clientApiVersion(ctx) : null, ctx.platform)
  },
  // The facts are memoised for the run, so the fix reads the same answer the check judged.
  fix: async (ctx) => {
    const d = await daemonFacts(ctx)
    return daemonFix(ctx, d, d.ok ? await clientApiVersion(ctx) : null)
  },
} satisfies Check

/** "Docker Engine 27.3.1", "Podman 4.9.4", "Docker Engine 27.1.1 in colima". */
function engineTitle(engine: Engine | null, version: string): string {
  if (engine === 'podman') return `Podman ${version}`
  if (engine === 'docker-engine-rootless') return `rootless Docker Engine ${version}`
  if (engine === null || engine === 'docker-engine') return `Docker Engine ${version}`
  return `Docker Engine ${version} in ${ENGINE_NAMES[engine]}`
}

export function judgeDaemon(d: DaemonFacts, clientApi: string | null = null, platform: Pick<Platform, 'kind'> = { kind: 'linux' }): Outcome {
  const engine = d.engine ?? null
  if (d.ok) {
    const i = d.info
    const what = `${engineTitle(engine, i.ServerVersion)} on ${i.OperatingSystem || i.OSType} (${i.NCPU} CPUs, ${(i.MemTotal / GiB).toFixed(1)} GiB)`
    const inVm = daemonInVm(d, platform)
    const details = [`endpoint ${d.endpoint}`, `engine ${engine ?? 'unknown'}`, `server ${i.Name}, kernel ${i.KernelVersion}, ${i.Architecture}`, `data in ${i.DockerRootDir}${inVm ? ` (inside ${engine ? ENGINE_NAMES[engine] : 'the engine'}'s VM)` : ''}`]
    const api = apiMismatch(d.version?.ApiVersion, d.version?.MinAPIVersion, clientApi, engine)?.text
    if (d.version?.ApiVersion) details.push(`API ${d.version.ApiVersion} (accepts ${d.version.MinAPIVersion ?? '?'} and newer); the docker client speaks ${clientApi ?? '?'}`)
    if (isRemote(d.endpoint)) {
      return { status: 'warn', summary: `remote daemon at ${d.endpoint}: ${what}; bind mounts and published ports are on that machine, not this one${api ? `; ${api}` : ''}`, version: i.ServerVersion, details, engine }
    }
    if (api) return { status: 'warn', summary: `${what}; ${api}`, version: i.ServerVersion, details, engine }
    return { status: 'ok', summary: what, version: i.ServerVersion, details, engine }
  }
  const details = [d.message, `endpoint ${d.endpoint}`, `engine ${engine ?? 'unknown'}`].filter(Boolean)
  const who = engine && engine !== 'docker-engine' ? `${ENGINE_NAMES[engine]} is ` : ''
  switch (d.problem) {
    case 'no-access':
      if (engine && engine !== 'docker-engine') return { status: 'fail', summary: `no access to ${d.endpoint}: permission denied (${ENGINE_NAMES[engine]}'s socket belongs to another user)`, details, engine }
      return { status: 'fail', summary: `no access to ${d.endpoint}: permission denied (this user is not in the docker group)`, details, engine }
    case 'not-answering':
      return { status: 'timeout', summary: `the daemon at ${d.endpoint} accepts connections but did not answer within ${d.waitedMs ?? '?'} ms`, details: [...details, 'docker info was stopped at the bound'], engine }
    case 'too-large':
      return { status: 'fail', summary: `the endpoint at ${d.endpoint} sent an answer too large for a Docker daemon (cut off at 4 MiB); is it one?`, details, engine }
    case 'not-running': {
      const socket = (d.host ?? d.endpoint).replace(/^unix:\/\//, '')
      if (d.socketExists === false) return { status: 'fail', summary: `${who}not running: no socket at ${socket}`, details, engine }
      if (d.socketExists === true) return { status: 'fail', summary: `${who}not running: ${socket} exists but nothing serves it (a daemon that stopped)`, details, engine }
      return { status: 'fail', summary: `${who}not running: nothing answers at ${d.endpoint}`, details, engine }
    }
    case 'no-cli':
      return { status: 'skip', summary: 'docker is not on PATH', details, engine }
    case 'invalid':
      // Not a state shipshape can fix: the daemon (or what poses as one) answered outside Docker's API.
      return { status: 'error', summary: `the daemon at ${d.endpoint} answered without a field shipshape needs: ${d.message}`, details, engine }
    default:
      return { status: 'fail', summary: `docker info failed: ${d.message}`, details, engine }
  }
}

/**
 * What the API versions say: a client older than the daemon's minimum cannot talk to it at all
 * (Docker Engine 29 accepts only API 1.44 and newer: "client version 1.43 is too old"), and a daemon
 * older than Compose v2's needs runs `docker compose` badly.
 */
export function apiMismatch(daemonApi: string | undefined, daemonMin: string | undefined, clientApi: string | null, engine: Engine | null): { older: 'client' | 'engine'; text: string } | null {
  const v = (x: string | null | undefined) => (x && /^\d+\.\d+/.test(x) ? coerce(x)?.version ?? null : null)
  const [api, min, client] = [v(daemonApi), v(daemonMin), v(clientApi)]
  const name = engine ? ENGINE_NAMES[engine] : 'the daemon'
  if (client && min && lt(client, min)) return { older: 'client', text: `the docker client speaks API ${clientApi}, older than the ${daemonMin} ${name} accepts: upgrade the docker CLI` }
  if (api && lt(api, coerce(COMPOSE_V2_MIN_API)!.version)) return { older: 'engine', text: `${name} speaks API ${daemonApi}, older than Compose v2 needs (${COMPOSE_V2_MIN_API}, Docker Engine 19.03): upgrade the engine` }
  return null
}

/** The login name the docker group fix is for. */
export function loginName(ctx: Context): string {
  return ctx.env.USER || ctx.env.LOGNAME || userInfo().username
}

export function daemonFix(ctx: Context, d: DaemonFacts, clientApi: string | null = null): Fix | null {
  if (d.ok) {
    const api = apiMismatch(d.version?.ApiVersion, d.version?.MinAPIVersion, clientApi, d.engine ?? null)
    return api ? apiFix(ctx, d, api.older) : null
  }
  const p = ctx.platform
  const viaHost = ctx.env.DOCKER_HOST ? `DOCKER_HOST=${ctx.env.DOCKER_HOST} is set: if that is not the daemon you mean, unset it (see the docker-host check).` : ''
  const engine = d.engine ?? null
  const place = { host: d.host, context: d.context }
  // Only the root Docker Engine's socket is opened through the docker group.
  const groupless = engine !== null && engine !== 'docker-engine'
  switch (d.problem) {
    case 'no-access':
      if (groupless) return { steps: [], manual: engineAccessHint(engine, d.host?.replace(/^unix:\/\//, '') ?? d.endpoint) }
      // macOS has no docker group: every engine there serves its own user's socket.
      if (p.kind === 'macos') return { steps: [], manual: `${d.host?.replace(/^unix:\/\//, '') ?? d.endpoint} belongs to another user: start your Docker engine as yourself (Docker Desktop, colima, OrbStack…), which makes its own socket yours.` }
      return {
        steps: [dockerGroupStep(ctx, [], loginName(ctx))],
        manual: 'Log out and back in (or run `newgrp docker` in this shell) so the new group applies. Do not chmod the socket: the docker group is root-equivalent, and so is a world-writable socket.',
      }
    case 'not-answering': {
      const restart = engineRestartHint(engine, ctx, place) ?? (p.kind === 'macos' || p.kind === 'wsl' ? 'Restart Docker Desktop (whale menu > Restart).' : 'Restart the daemon: sudo systemctl restart docker')
      return { steps: [], manual: [viaHost, restart].filter(Boolean).join('\n') }
    }
    case 'not-running': {
      // DOCKER_HOST at an engine's own socket (rootless Docker, Podman) is that engine's to start.
      const started = engineStartFix(ctx, engine, place)
      if (started) return viaHost && !groupless ? { ...started, manual: [started.manual, viaHost].filter(Boolean).join('\n') } : started
      if (viaHost) return { steps: [], manual: viaHost }
      if (p.kind === 'macos') return { steps: [dockerDesktopOpenStep()] }
      if (p.kind === 'wsl') {
        return { steps: [], manual: 'Start Docker Desktop on Windows and enable Settings > Resources > WSL integration for this distro. For Docker Engine inside WSL 2 instead: set [boot] systemd=true in /etc/wsl.conf, run `wsl.exe --shutdown` from Windows, then `sudo systemctl enable --now docker`.' }
      }
      return { steps: [dockerServiceStep()] }
    }
    default:
      return viaHost ? { steps: [], manual: viaHost } : null
  }
}

/** A daemon that answers but whose API does not fit the client or Compose: the upgrade of the older side, by engine. */
function apiFix(ctx: Context, d: Extract<DaemonFacts, { ok: true }>, older: 'client' | 'engine'): Fix {
  const engine = d.engine ?? null
  const client = ctx.platform.kind === 'macos'
    ? engine === 'docker-desktop' || engine === 'orbstack' || engine === 'rancher-desktop' ? `update ${ENGINE_NAMES[engine]}, which brings its own docker CLI` : 'brew upgrade docker'
    : "upgrade the docker CLI package (docker-ce-cli from Docker's repository, or the distribution's docker.io)"
  const server: Record<Engine, string> = {
    'docker-engine': "upgrade Docker Engine (docker-ce from Docker's repository)",
    'docker-engine-rootless': 'upgrade Docker Engine, then run dockerd-rootless-setuptool.sh install again',
    podman: ctx.platform.kind === 'macos' ? 'brew upgrade podman, then podman machine stop && podman machine start' : "upgrade the distribution's podman package",
    colima: 'brew upgrade colima, then colima stop && colima start',
    orbstack: 'update OrbStack (brew upgrade --greedy orbstack)',
    'rancher-desktop': 'update Rancher Desktop',
    'docker-desktop': 'update Docker Desktop',
  }
  return { steps: [], manual: older === 'client' ? `Upgrade the docker CLI: ${client}.` : `Upgrade the engine: ${server[engine ?? 'docker-engine']}.` }
}
