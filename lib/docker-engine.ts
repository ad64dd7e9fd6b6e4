// Which engine answers behind the Docker endpoint. Many developers run something other than a root
// Docker Engine: rootless Docker, Podman's Docker-compatible socket, or a VM manager (colima,
// OrbStack, Rancher Desktop, Docker Desktop). Each starts, stops and is fixed its own way, so the
// checks name it from what they can see, strongest sign first:
//   1. GET /version lists a component named "Podman Engine" (containers/podman, compat/version.go);
//   2. the docker context's name and the socket's path, as each installer writes them;
//   3. what GET /info says of the machine (OrbStack, Docker Desktop, Rancher Desktop name themselves);
//   4. SecurityOptions `name=rootless` (rootless Podman says it too, hence Podman first).
// A daemon that is down still has its context and socket path, which is enough to name its starter.

import type { Platform } from './types.js'

export const ENGINES = ['docker-engine', 'docker-engine-rootless', 'podman', 'colima', 'orbstack', 'rancher-desktop', 'docker-desktop'] as const
export type Engine = (typeof ENGINES)[number]

/** How summaries name each engine. */
export const ENGINE_NAMES: Record<Engine, string> = {
  'docker-engine': 'Docker Engine',
  'docker-engine-rootless': 'rootless Docker Engine',
  podman: 'Podman',
  colima: 'colima',
  orbstack: 'OrbStack',
  'rancher-desktop': 'Rancher Desktop',
  'docker-desktop': 'Docker Desktop',
}

/** Engines that run their containers in a Linux VM of their own (on macOS always; colima and Docker Desktop on Linux too). */
export function engineInVm(engine: Engine | null, platform: Pick<Platform, 'kind'>): boolean {
  if (engine === 'colima' || engine === 'orbstack' || engine === 'rancher-desktop' || engine === 'docker-desktop') return platform.kind !== 'wsl'
  // Podman runs natively on Linux; on macOS only in `podman machine`.
  if (engine === 'podman') return platform.kind === 'macos'
  return false
}

/** The parts of GET /version (`docker version`'s Server) shipshape reads. */
export interface DockerVersion {
  Version?: string
  ApiVersion?: string
  MinAPIVersion?: string
  Components?: { Name?: string; Version?: string }[]
}

export interface EngineSigns {
  /** unix:///…, tcp://…; null when a context's endpoint cannot be read. */
  host: string | null
  context: string | null
  version?: DockerVersion | null
  info?: { OperatingSystem?: string; KernelVersion?: string; Name?: string; SecurityOptions?: string[] | null } | null
}

export function detectEngine(s: EngineSigns): Engine | null {
  if (s.version?.Components?.some((c) => c.Name === 'Podman Engine')) return 'podman'
  const fromPlace = engineFromEndpoint(s.host, s.context)
  if (fromPlace && fromPlace !== 'docker-engine-rootless') return fromPlace
  const i = s.info
  if (!i) return fromPlace
  const os = i.OperatingSystem ?? ''
  if (os === 'OrbStack' || /orbstack/i.test(i.KernelVersion ?? '')) return 'orbstack'
  if (/Docker Desktop/i.test(os) || /linuxkit/i.test(i.KernelVersion ?? '')) return 'docker-desktop'
  if (/Rancher Desktop/i.test(os) || i.Name === 'lima-rancher-desktop') return 'rancher-desktop'
  if (i.SecurityOptions?.some((o) => o.split(',').includes('name=rootless'))) return 'docker-engine-rootless'
  return fromPlace ?? 'docker-engine'
}

/**
 * The engine a context name or socket path belongs to, as the installers write them: colima's
 * context `colima` (`colima-<profile>`) and ~/.colima/<profile>/docker.sock (or ~/.config/colima);
 * OrbStack's `orbstack` and ~/.orbstack/run/docker.sock; Rancher Desktop's `rancher-desktop` and
 * ~/.rd/docker.sock; Docker Desktop's `desktop-linux` and ~/.docker/run/docker.sock (macOS) or
 * ~/.docker/desktop/docker.sock (Linux); Podman's …/podman/podman.sock and machine sockets; rootless
 * Docker's context `rootless` and $XDG_RUNTIME_DIR/docker.sock (/run/user/<uid>/docker.sock).
 */
export function engineFromEndpoint(host: string | null, context: string | null): Engine | null {
  const name = context ?? ''
  if (name === 'colima' || name.startsWith('colima-')) return 'colima'
  if (name === 'orbstack') return 'orbstack'
  if (name === 'rancher-desktop') return 'rancher-desktop'
  if (name === 'desktop-linux' || name === 'desktop-windows') return 'docker-desktop'
  // dockerd-rootless-setuptool.sh install creates the context `rootless`.
  if (name === 'rootless') return 'docker-engine-rootless'
  const path = host?.startsWith('unix://') ? host.slice('unix://'.length) : ''
  if (!path) return null
  if (/\/\.colima\/|\/\.config\/colima\//.test(path)) return 'colima'
  if (path.includes('/.orbstack/')) return 'orbstack'
  if (path.includes('/.rd/') || /rancher-desktop/i.test(path)) return 'rancher-desktop'
  if (/\/\.docker\/(run|desktop)\/docker\.sock$/.test(path)) return 'docker-desktop'
  if (/\/podman\/[^/]*\.sock$|\/podman\.sock$/.test(path)) return 'podman'
  if (/^\/run\/user\/\d+\/docker\.sock$/.test(path)) return 'docker-engine-rootless'
  return null
}

/** colima's profile from its context (`colima-work`) or socket (~/.colima/work/docker.sock); "default" otherwise. */
export function colimaProfile(host: string | null, context: string | null): string {
  if (context?.startsWith('colima-')) return context.slice('colima-'.length)
  return host?.match(/colima\/([^/]+)\/docker\.sock$/)?.[1] ?? 'default'
}
