// Docker on WSL. With Docker Desktop (WSL 2), nothing is installed inside the distro: its WSL
// integration provides the CLI and the socket, and a DOCKER_HOST left over would override it.
// WSL 1 cannot run a daemon: the CLI talks to Docker Desktop's daemon exposed on tcp://localhost:2375,
// which Docker warns lets any local program run code as you; WSL 2 is the way out.

import type { Context, Fix } from '../types.js'
import { exists, hostPath } from './files.js'
import { dockerDistroSteps } from './docker-distro.js'
import { dockerHostManual, dockerHostRcStep } from './docker-host.js'

export const WSL1_DOCKER_HOST = 'tcp://localhost:2375'

/** Docker Desktop shares its sockets into every WSL 2 distro under /mnt/wsl/docker-desktop. */
export async function dockerDesktopOnWsl(ctx: Context): Promise<boolean> {
  if (ctx.platform.kind !== 'wsl') return false
  return (await exists(hostPath(ctx, '/mnt/wsl/docker-desktop'))) || (await exists(hostPath(ctx, '/mnt/wsl/docker-desktop-data')))
}

export function wslIntegrationFix(ctx: Context): Fix {
  const distro = ctx.env.WSL_DISTRO_NAME ?? 'this distro'
  return {
    steps: [],
    manual: `In Docker Desktop: Settings → Resources → WSL integration → turn on ${distro}, then Apply & restart and open a new terminal. Nothing is installed inside WSL.`,
  }
}

export function wsl1DockerFix(ctx: Context): Fix {
  return {
    steps: [...dockerDistroSteps(ctx.platform).map((s) => (s.id === 'docker-engine' ? { ...s, title: 'Install the docker CLI (the daemon cannot run on WSL 1)' } : s)), dockerHostRcStep(ctx, WSL1_DOCKER_HOST)],
    manual: [
      'In Docker Desktop: Settings → General → "Expose daemon on tcp://localhost:2375 without TLS".',
      'Warning: that port lets any program on this machine control Docker, which is root on it.',
      'Better: move this distro to WSL 2 (PowerShell: wsl --set-version <distro> 2) and use WSL integration.',
      dockerHostManual(WSL1_DOCKER_HOST),
    ].join('\n'),
  }
}
