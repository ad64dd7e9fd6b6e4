// Docker on macOS: Docker Desktop from its Homebrew cask (`docker-desktop`; the cask was called
// `docker` until 2025, and `brew cask install` is long gone), colima with the docker CLI (formulae),
// OrbStack (cask `orbstack`, which links its own docker CLI) or Podman (formula `podman`, with the
// docker CLI formula for the Docker API it serves). A Docker.app or OrbStack.app already installed by
// hand counts as installed: the cask would refuse to overwrite it.

import type { Context, Step } from '../types.js'
import { exists, hostPath } from './files.js'
import { brewInstall, brewNeeds, brewPrefix } from './homebrew.js'

export const DOCKER_APP = '/Applications/Docker.app'

export type MacosWay = 'desktop' | 'colima' | 'orbstack' | 'podman'

export const ORBSTACK_APP = '/Applications/OrbStack.app'

export async function dockerMacosSteps(ctx: Context, flavour: MacosWay): Promise<{ steps: Step[]; manual?: string }> {
  const brew = await brewNeeds(ctx)
  if (flavour === 'orbstack') {
    return {
      steps: [
        ...brew.steps,
        brewInstall(ctx, 'orbstack', 'Install OrbStack with Homebrew (cask orbstack; it brings the docker CLI)', ['orbstack'], { cask: true, needs: brew.needs, done: (c) => exists(hostPath(c, ORBSTACK_APP)) }),
        { id: 'orbstack-start', title: 'Start OrbStack (it becomes the docker context)', argv: [`${brewPrefix(ctx.platform.arch)}/bin/orb`, 'start'], sudo: false, asUser: true, needs: ['orbstack'], timeoutMs: 10 * 60_000 },
      ],
    }
  }
  if (flavour === 'podman') {
    const podman = `${brewPrefix(ctx.platform.arch)}/bin/podman`
    return {
      steps: [
        ...brew.steps,
        brewInstall(ctx, 'podman', 'Install Podman and the docker CLI with Homebrew', ['podman', 'docker'], { needs: brew.needs }),
        {
          id: 'podman-machine-init',
          title: "Create Podman's VM (podman machine init)",
          argv: [podman, 'machine', 'init'],
          sudo: false,
          asUser: true,
          needs: ['podman'],
          timeoutMs: 20 * 60_000,
          done: async (c) => /"Name"/.test((await c.probe([podman, 'machine', 'list', '--format', 'json'], { timeoutMs: 20_000 })).stdout),
        },
        podmanMachineStartStep(podman, ['podman-machine-init']),
      ],
      manual: "Podman prints the DOCKER_HOST for its socket when the machine starts; `sudo podman-mac-helper install` makes /var/run/docker.sock point at it instead.",
    }
  }
  if (flavour === 'colima') {
    return {
      steps: [
        ...brew.steps,
        brewInstall(ctx, 'colima', 'Install colima and the docker CLI with Homebrew', ['colima', 'docker'], { needs: brew.needs }),
        colimaStartStep(ctx, ['colima']),
      ],
    }
  }
  return {
    steps: [
      ...brew.steps,
      brewInstall(ctx, 'docker-desktop', 'Install Docker Desktop with Homebrew (cask docker-desktop)', ['docker-desktop'], {
        cask: true,
        needs: brew.needs,
        done: (c) => exists(hostPath(c, DOCKER_APP)),
      }),
    ],
    manual: 'Open Docker Desktop once (open -a Docker) and accept its terms; the daemon starts then.',
  }
}

/** Docker Desktop's engine starts with the app. */
export function dockerDesktopOpenStep(): Step {
  return { id: 'docker-desktop-open', title: 'Start Docker Desktop', argv: ['open', '-a', 'Docker'], sudo: false, asUser: true }
}

/** colima's VM with Docker in it; it makes itself the docker context. */
export function colimaStartStep(ctx: Context, needs: string[] = []): Step {
  const colima = `${brewPrefix(ctx.platform.arch)}/bin/colima`
  return {
    id: 'colima-start',
    title: 'Start colima (a Linux VM running Docker; it becomes the docker context)',
    argv: [colima, 'start'],
    sudo: false,
    asUser: true,
    needs,
    timeoutMs: 10 * 60_000,
    done: async (c) => (await c.probe([colima, 'status'], { timeoutMs: 20_000 })).ok,
  }
}

/** `podman machine start`, done when the default machine already runs (starting it again is an error). */
export function podmanMachineStartStep(podman: string, needs: string[] = []): Step {
  return {
    id: 'podman-machine-start',
    title: "Start Podman's VM (podman machine start)",
    argv: [podman, 'machine', 'start'],
    sudo: false,
    asUser: true,
    needs,
    timeoutMs: 10 * 60_000,
    done: async (c) => /running/i.test((await c.probe([podman, 'machine', 'inspect', '--format', '{{.State}}'], { timeoutMs: 20_000 })).stdout),
  }
}
