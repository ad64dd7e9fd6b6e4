// Which way Docker gets onto this machine (`--docker auto|desktop|colima|orbstack|podman|engine|distro`),
// and the steps for it. macOS: Docker Desktop, colima, OrbStack or Podman; `auto` keeps the engine
// already in use (the docker context names it) and is Docker Desktop otherwise. WSL 2 with Docker Desktop: only its integration.
// WSL 1: the CLI and DOCKER_HOST. Linux and WSL 2 without Desktop: Docker's apt repository
// (`engine`), the distribution's docker.io (`distro`), or `auto`: Docker's repository when it
// answers, otherwise the distribution's package, saying which and why. Where rootless Docker or
// Podman is the engine in use, the CLI is installed without the docker group or the root service.

import type { Context, Fix, Platform, Step } from '../types.js'
import { dockerAptSteps, dockerRepoDistro, dockerRepoUrl } from './docker-apt.js'
import { dockerDistroSteps } from './docker-distro.js'
import { dockerGroupStep, dockerServiceSteps } from './docker-linux.js'
import { dockerMacosSteps, type MacosWay } from './docker-macos.js'
import { engineInUse } from '../docker-facts.js'
import { ENGINE_NAMES } from '../docker-engine.js'
import { UsageError } from '../errors.js'
import { reachable } from './download.js'
import { dockerDesktopOnWsl, wsl1DockerFix, wslIntegrationFix } from './wsl.js'

export const DOCKER_CHOICES = ['auto', 'desktop', 'colima', 'orbstack', 'podman', 'engine', 'distro'] as const
export type DockerChoice = (typeof DOCKER_CHOICES)[number]

export interface ProvisionOptions {
  docker: DockerChoice
  /** `auto` asks Docker's repository whether it answers; doctor's fix text does not go online. */
  probeNetwork: boolean
}

export const DEFAULT_PROVISION: ProvisionOptions = { docker: 'auto', probeNetwork: false }

export type Way = MacosWay | 'wsl-desktop' | 'wsl1' | 'engine' | 'distro'

const MACOS_WAYS: Record<string, MacosWay> = { desktop: 'desktop', 'docker-desktop': 'desktop', colima: 'colima', orbstack: 'orbstack', podman: 'podman' }

/** `--docker` ways that install through Homebrew exist on macOS only; elsewhere they are a usage error, before anything runs. */
export function checkDockerChoice(p: Platform, choice: DockerChoice): void {
  if (p.kind !== 'macos' && (choice === 'colima' || choice === 'orbstack' || choice === 'podman')) {
    throw new UsageError(`--docker ${choice} installs through Homebrew on macOS only; on ${p.kind} use auto, engine or distro`)
  }
}

/** Decides the way, with the reason a person is shown. */
export async function dockerWay(ctx: Context, opts: ProvisionOptions): Promise<{ way: Way; why: string }> {
  const p = ctx.platform
  if (p.kind === 'macos') {
    if (opts.docker !== 'auto' && MACOS_WAYS[opts.docker]) return { way: MACOS_WAYS[opts.docker], why: `--docker ${opts.docker}` }
    const inUse = opts.docker === 'auto' ? await engineInUse(ctx) : null
    if (inUse && MACOS_WAYS[inUse]) return { way: MACOS_WAYS[inUse], why: `${ENGINE_NAMES[inUse]} is the engine in use (docker context or DOCKER_HOST)` }
    return { way: 'desktop', why: opts.docker === 'auto' ? 'Docker Desktop is the default on macOS' : `--docker ${opts.docker} is for Linux; using Docker Desktop` }
  }
  if (p.kind === 'wsl' && p.wsl === 1) return { way: 'wsl1', why: 'WSL 1 cannot run a Docker daemon' }
  if (p.kind === 'wsl' && (opts.docker === 'desktop' || (opts.docker === 'auto' && (await dockerDesktopOnWsl(ctx))))) {
    return { way: 'wsl-desktop', why: 'Docker Desktop is present; its WSL integration provides Docker here' }
  }
  if (opts.docker === 'distro') return { way: 'distro', why: '--docker distro' }
  if (!dockerRepoDistro(p)) return { way: 'distro', why: `Docker publishes no apt repository for ${p.distro?.id ?? 'this system'}` }
  if (opts.docker === 'engine') return { way: 'engine', why: '--docker engine' }
  if (!opts.probeNetwork) return { way: 'engine', why: "Docker's repository (setup falls back to the distribution's package when it cannot be reached)" }
  const url = `${dockerRepoUrl(ctx, p)}/gpg`
  const probe = await reachable(ctx.env, url)
  return probe.ok
    ? { way: 'engine', why: `Docker's repository answers (${url})` }
    : { way: 'distro', why: `Docker's repository cannot be reached (${probe.why}); using ${p.distro?.id}'s docker.io instead` }
}

/** Everything to get a working Docker CLI and daemon on this machine. */
export async function dockerFix(ctx: Context, opts: ProvisionOptions): Promise<Fix> {
  const { way, why } = await dockerWay(ctx, opts)
  const note = `Docker: ${why}.`
  switch (way) {
    case 'desktop':
    case 'colima':
    case 'orbstack':
    case 'podman':
      return { ...(await dockerMacosSteps(ctx, way)), note }
    case 'wsl-desktop':
      return { ...wslIntegrationFix(ctx), note }
    case 'wsl1':
      return { ...wsl1DockerFix(ctx), note }
    case 'engine':
    case 'distro': {
      const install = way === 'engine' ? await dockerAptSteps(ctx) : dockerDistroSteps(ctx.platform)
      // Rootless Docker and Podman serve their user's own socket: no root service, no docker group.
      const inUse = await engineInUse(ctx)
      if (inUse === 'docker-engine-rootless' || inUse === 'podman') return { steps: install, note: `${note} ${ENGINE_NAMES[inUse]} is the engine in use: no root service and no docker group.` }
      const after: Step[] = [...(await dockerServiceSteps(ctx, ['docker-engine']))]
      const group = dockerGroupStep(ctx, ['docker-engine'])
      if (group) after.push(group)
      const manual = [
        ...(group ? ['Log out and back in (or run: newgrp docker) so the docker group applies.'] : []),
        ...(after.some((s) => s.id === 'wsl-systemd') ? ["Then run 'wsl.exe --shutdown' in Windows and reopen this terminal: systemd starts Docker."] : []),
      ]
      return { steps: [...install, ...after], ...(manual.length ? { manual: manual.join('\n') } : {}), note }
    }
  }
}
