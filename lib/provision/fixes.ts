// The one table from a check id to its installer: checks' fix() and `shipshape setup` both ask here,
// so each command is written in one place. Setup passes its options (--docker, and permission to
// ask the network which Docker source answers); doctor's fix text uses the defaults.

import type { Context, Finding, Fix } from '../types.js'
import { DEFAULT_PROVISION, dockerFix, type ProvisionOptions } from './docker.js'
import { distroComposePackage } from './docker-distro.js'
import { colimaStartStep, dockerDesktopOpenStep } from './docker-macos.js'
import { dockerGroupStep, dockerServiceSteps } from './docker-linux.js'
import { dockerHostManual, dockerHostRcStep } from './docker-host.js'
import { aptInstall, aptUpdate } from './apt.js'
import { brewInstall, brewNeeds } from './homebrew.js'
import { kubectlSteps } from './kubectl.js'
import { maxMapCountFix } from './max-map-count.js'
import { minikubeStartStep, minikubeSteps } from './minikube.js'
import { dockerDesktopOnWsl, WSL1_DOCKER_HOST, wslIntegrationFix } from './wsl.js'
import { dockerRepoSteps } from './docker-apt.js'

type Provisioner = (ctx: Context, finding: Finding, opts: ProvisionOptions) => Promise<Fix | null>

export const PROVISIONERS: Record<string, Provisioner> = {
  'docker-cli': (ctx, _f, opts) => dockerFix(ctx, opts),

  async 'docker-daemon'(ctx, finding, opts) {
    const p = ctx.platform
    if (p.kind === 'macos' && opts.docker === 'colima') return { steps: [colimaStartStep(ctx)] }
    // The check tells its causes apart (no socket, no access, DOCKER_HOST elsewhere); trust its fix.
    if (finding.fix) return finding.fix
    if (p.kind === 'macos') return { steps: [dockerDesktopOpenStep()] }
    if (p.kind === 'wsl' && (p.wsl === 1 || (await dockerDesktopOnWsl(ctx)))) return { ...wslIntegrationFix(ctx), manual: 'Start Docker Desktop on Windows.' }
    const denied = /permission denied/i.test(`${finding.summary} ${finding.details.join(' ')}`)
    const group = denied ? dockerGroupStep(ctx, []) : null
    if (group) return { steps: [group], manual: 'Log out and back in (or run: newgrp docker) so the docker group applies.' }
    return { steps: await dockerServiceSteps(ctx, []) }
  },

  async 'docker-compose'(ctx, _f, opts) {
    const p = ctx.platform
    if (p.kind === 'macos') {
      if (opts.docker !== 'colima') return { steps: [], manual: 'Docker Desktop includes Compose: update Docker Desktop.' }
      const brew = await brewNeeds(ctx)
      return { steps: [...brew.steps, brewInstall(ctx, 'docker-compose', 'Install the Compose plugin with Homebrew', ['docker-compose'], { needs: brew.needs })] }
    }
    if (p.kind === 'wsl' && (await dockerDesktopOnWsl(ctx))) return wslIntegrationFix(ctx)
    // Compose v2: Ubuntu packages it; elsewhere (Debian 12 has only v1) it is Docker's plugin package,
    // which works with the distribution's docker.io too.
    if (p.distro?.id === 'ubuntu' && opts.docker !== 'engine') {
      return { steps: [aptUpdate(), aptInstall('docker-compose', "Install Ubuntu's Compose v2 plugin", [distroComposePackage(p)], ['apt-update'])] }
    }
    return { steps: [...(await dockerRepoSteps(ctx)), aptInstall('docker-compose', "Install the Compose v2 plugin from Docker's repository", ['docker-compose-plugin'], ['docker-apt-update'])] }
  },

  async 'docker-host'(ctx) {
    const value = ctx.platform.kind === 'wsl' && ctx.platform.wsl === 1 ? WSL1_DOCKER_HOST : null
    return { steps: [dockerHostRcStep(ctx, value)], manual: dockerHostManual(value) }
  },

  kubectl: async (ctx) => ({ steps: await kubectlSteps(ctx) }),
  minikube: async (ctx) => ({ steps: await minikubeSteps(ctx) }),
  'kube-context': async () => ({ steps: [minikubeStartStep(['minikube', 'docker-engine', 'docker-service', 'docker-group'], { create: true })] }),
  'max-map-count': async (ctx) => maxMapCountFix(ctx, { dockerDesktop: ctx.platform.kind === 'wsl' && (await dockerDesktopOnWsl(ctx)) }),
}

/**
 * Every step id an installer can plan, so `setup --skip` knows a step that is not planned on this
 * machine today (minikube-start with the cluster running) from a typo. A test keeps it complete.
 */
export const STEP_IDS: readonly string[] = [
  'apt-keyrings-dir', 'apt-update', 'colima', 'colima-start', 'docker-apt-key', 'docker-apt-old-sources', 'docker-apt-source',
  'docker-apt-update', 'docker-compose', 'docker-conflicts-remove', 'docker-desktop', 'docker-desktop-open', 'docker-engine',
  'docker-group', 'docker-host-rc', 'docker-service', 'homebrew', 'kubectl', 'kubernetes-apt-key', 'kubernetes-apt-source',
  'kubernetes-apt-update', 'max-map-count-boot', 'max-map-count-now', 'minikube', 'minikube-start', 'wsl-systemd',
]

/** The fix for a finding through its installer, or null when shipshape has none for that check. */
export async function provisionFix(id: string, ctx: Context, finding: Finding, opts: ProvisionOptions = DEFAULT_PROVISION): Promise<Fix | null> {
  const provisioner = Object.hasOwn(PROVISIONERS, id) ? PROVISIONERS[id] : undefined
  return provisioner ? provisioner(ctx, finding, opts) : null
}
