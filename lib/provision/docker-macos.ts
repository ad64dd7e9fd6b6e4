// Docker on macOS: Docker Desktop from its Homebrew cask (`docker-desktop`; the cask was called
// `docker` until 2025, and `brew cask install` is long gone), or colima with the docker CLI
// (`--docker colima`). A Docker.app already installed by hand counts as installed: the cask would
// refuse to overwrite it.

import type { Context, Step } from '../types.js'
import { exists, hostPath } from './files.js'
import { brewInstall, brewNeeds, brewPrefix } from './homebrew.js'

export const DOCKER_APP = '/Applications/Docker.app'

export async function dockerMacosSteps(ctx: Context, flavour: 'desktop' | 'colima'): Promise<{ steps: Step[]; manual?: string }> {
  const brew = await brewNeeds(ctx)
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
