// Starting the Docker engine in use, each with its own tool: colima, OrbStack's `orb`, Rancher
// Desktop's `rdctl` (or its app), Docker Desktop's app, rootless Docker's user unit, Podman's machine
// (macOS) or its socket unit (Linux). None of them has a docker group: only the root Docker Engine's
// socket is opened that way, so only it is ever told to join one.

import { join } from 'node:path'
import { colimaProfile, ENGINE_NAMES, type Engine } from '../docker-engine.js'
import type { Context, Fix, Step } from '../types.js'
import { colimaStartStep, dockerDesktopOpenStep, podmanMachineStartStep } from './docker-macos.js'

/** Where the engine's endpoint came from, as lib/docker-facts.ts resolved it. */
export interface EnginePlace {
  host?: string | null
  context?: string | null
}

/** The steps (and words) that start a stopped engine; null for the root Docker Engine and unknown ones (the caller knows those). */
export function engineStartFix(ctx: Context, engine: Engine | null, place: EnginePlace): Fix | null {
  const p = ctx.platform
  switch (engine) {
    case 'colima': {
      const profile = colimaProfile(place.host ?? null, place.context ?? null)
      const step = colimaStartStep(ctx)
      // Homebrew's path on macOS (it may not be on PATH yet); on Linux colima is wherever PATH has it.
      const argv = [p.kind === 'macos' ? step.argv[0] : 'colima', 'start', ...(profile === 'default' ? [] : ['--profile', profile])]
      return { steps: [profile === 'default' && p.kind === 'macos' ? step : { ...step, argv, done: undefined }] }
    }
    case 'orbstack':
      return { steps: [userStep('orbstack-start', "Start OrbStack (its Docker engine and VM)", ['orb', 'start'])] }
    case 'rancher-desktop':
      if (p.kind === 'wsl') return { steps: [], manual: 'Start Rancher Desktop on Windows and enable its WSL integration for this distro (Preferences > WSL > Integrations).' }
      return {
        steps: [userStep('rancher-desktop-start', 'Start Rancher Desktop', [rdctl(ctx), 'start'])],
        manual: 'Or open the Rancher Desktop app; with the containerd engine selected it serves no Docker socket (Preferences > Container Engine > dockerd (moby)).',
      }
    case 'docker-desktop':
      if (p.kind === 'macos') return { steps: [dockerDesktopOpenStep()] }
      if (p.kind === 'linux') return { steps: [userStep('docker-desktop-start', 'Start Docker Desktop', ['systemctl', '--user', 'start', 'docker-desktop'])] }
      return null
    case 'docker-engine-rootless':
      return {
        steps: [userStep('docker-rootless-start', 'Start your rootless Docker daemon (a systemd user unit)', ['systemctl', '--user', 'start', 'docker'])],
        manual: [
          `Rootless Docker serves you alone, on your own socket: DOCKER_HOST=${rootlessHost(ctx, place)} (the docker group does not apply).`,
          'To start it at every boot: systemctl --user enable docker and sudo loginctl enable-linger $USER.',
        ].join('\n'),
      }
    case 'podman':
      if (p.kind === 'macos') return { steps: [podmanMachineStartStep('podman')] }
      return {
        steps: [userStep('podman-socket', "Serve Podman's Docker-compatible API on your socket (systemd user unit podman.socket)", ['systemctl', '--user', 'enable', '--now', 'podman.socket'])],
        manual: `Then point Docker clients at it: export DOCKER_HOST=${podmanHost(ctx, place)}`,
      }
    default:
      return null
  }
}

/** A daemon that accepts and does not answer: restart it with its own tool. */
export function engineRestartHint(engine: Engine | null, ctx: Context, place: EnginePlace): string | null {
  switch (engine) {
    case 'colima': {
      const profile = colimaProfile(place.host ?? null, place.context ?? null)
      return `Restart colima: colima restart${profile === 'default' ? '' : ` --profile ${profile}`}`
    }
    case 'orbstack':
      return 'Restart OrbStack: orb restart docker'
    case 'rancher-desktop':
      return `Restart Rancher Desktop: ${rdctl(ctx)} shutdown, then ${rdctl(ctx)} start`
    case 'docker-engine-rootless':
      return 'Restart your rootless daemon: systemctl --user restart docker'
    case 'podman':
      return ctx.platform.kind === 'macos' ? 'Restart Podman: podman machine stop, then podman machine start' : 'Restart the API service: systemctl --user restart podman.socket podman.service'
    case 'docker-desktop':
      return 'Restart Docker Desktop (whale menu > Restart).'
    default:
      return null
  }
}

/** No access to the socket of an engine that has no docker group: the socket is someone else's. */
export function engineAccessHint(engine: Engine, socket: string): string {
  const name = ENGINE_NAMES[engine]
  if (engine === 'docker-engine-rootless' || engine === 'podman') {
    return `${socket} belongs to another user's ${name}: it serves only the user who runs it (no docker group applies). Start your own (see the start command for ${name}) and point DOCKER_HOST at your socket.`
  }
  return `${socket} is ${name}'s and belongs to another user (no docker group applies): run ${name} as yourself, or fix the socket's owner by restarting ${name}.`
}

function userStep(id: string, title: string, argv: string[]): Step {
  return { id, title, argv, sudo: false, asUser: true, timeoutMs: 5 * 60_000 }
}

/** Where Rancher Desktop puts rdctl (~/.rd/bin, which it adds to PATH only for new shells). */
function rdctl(ctx: Context): string {
  return join(ctx.home, '.rd/bin/rdctl')
}

function runtimeDir(ctx: Context): string {
  return ctx.env.XDG_RUNTIME_DIR || `/run/user/${process.getuid?.() ?? 1000}`
}

function rootlessHost(ctx: Context, place: EnginePlace): string {
  return place.host?.startsWith('unix://') ? place.host : `unix://${runtimeDir(ctx)}/docker.sock`
}

function podmanHost(ctx: Context, place: EnginePlace): string {
  return place.host?.startsWith('unix://') ? place.host : `unix://${runtimeDir(ctx)}/podman/podman.sock`
}
