// Which way Docker gets onto this machine (`--docker auto|desktop|colima|engine|distro`), and the
// steps for it. macOS: Docker Desktop or colima. WSL 2 with Docker Desktop: only its integration.
// WSL 1: the CLI and DOCKER_HOST. Linux and WSL 2 without Desktop: Docker's apt repository
// (`engine`), the distribution's docker.io (`distro`), or `auto`: Docker's repository when it
// answers, otherwise the distribution's package, saying which and why.

import type { Context, Fix, Step } from '../types.js'
import { dockerAptSteps, dockerRepoDistro, dockerRepoUrl } from './docker-apt.js'
import { dockerDistroSteps } from './docker-distro.js'
import { dockerGroupStep, dockerServiceSteps } from './docker-linux.js'
import { dockerMacosSteps } from './docker-macos.js'
import { reachable } from './download.js'
import { dockerDesktopOnWsl, wsl1DockerFix, wslIntegrationFix } from './wsl.js'

export const DOCKER_CHOICES = ['auto', 'desktop', 'colima', 'engine', 'distro'] as const
export type DockerChoice = (typeof DOCKER_CHOICES)[number]

export interface ProvisionOptions {
  docker: DockerChoice
  /** `auto` asks Docker's repository whether it answers; doctor's fix text does not go online. */
  probeNetwork: boolean
}

export const DEFAULT_PROVISION: ProvisionOptions = { docker: 'auto', probeNetwork: false }

export type Way = 'desktop' | 'colima' | 'wsl-desktop' | 'wsl1' | 'engine' | 'distro'

/** Decides the way, with the reason a person is shown. */
export async function dockerWay(ctx: Context, opts: ProvisionOptions): Promise<{ way: Way; why: string }> {
  const p = ctx.platform
  if (p.kind === 'macos') {
    if (opts.docker === 'colima') return { way: 'colima', why: '--docker colima' }
    return { way: 'desktop', why: opts.docker === 'auto' || opts.docker === 'desktop' ? 'Docker Desktop is the default on macOS' : `--docker ${opts.docker} is for Linux; using Docker Desktop` }
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
      return { ...(await dockerMacosSteps(ctx, way)), note }
    case 'wsl-desktop':
      return { ...wslIntegrationFix(ctx), note }
    case 'wsl1':
      return { ...wsl1DockerFix(ctx), note }
    case 'engine':
    case 'distro': {
      const install = way === 'engine' ? await dockerAptSteps(ctx) : dockerDistroSteps(ctx.platform)
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
