// The one table from a check id to its installer: checks' fix() and `shipshape setup` both ask here,
// so each command is written in one place. Setup passes its options (--docker, and permission to
// ask the network which Docker source answers); doctor's fix text uses the defaults.

import type { Context, Finding, Fix } from '../types.js'
import { DEFAULT_PROVISION, dockerFix, dockerWay, type ProvisionOptions } from './docker.js'
import { engineInUse } from '../docker-facts.js'
import { engineStartFix } from './engines.js'
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
import { offPathFix } from './shell-path.js'

type Provisioner = (ctx: Context, finding: Finding, opts: ProvisionOptions) => Promise<Fix | null>

export const PROVISIONERS: Record<string, Provisioner> = {
  'docker-cli': (ctx, _f, opts) => dockerFix(ctx, opts),

  async 'docker-daemon'(ctx, finding, opts) {
    const p = ctx.platform
    if (p.kind === 'macos' && opts.docker === 'colima') return { steps: [colimaStartStep(ctx)] }
    if (p.kind === 'macos' && (opts.docker === 'orbstack' || opts.docker === 'podman')) {
      return engineStartFix(ctx, opts.docker, {}) ?? finding.fix
    }
    // The check tells its causes apart (no socket, no access, DOCKER_HOST elsewhere) and knows the
    // engine in use (colima, rootless Docker, Podman…); trust its fix.
    if (finding.fix) return finding.fix
    if (finding.engine && finding.engine !== 'docker-engine') return null
    if (p.kind === 'macos') return { steps: [dockerDesktopOpenStep()] }
    if (p.kind === 'wsl' && (p.wsl === 1 || (await dockerDesktopOnWsl(ctx)))) return { ...wslIntegrationFix(ctx), manual: 'Start Docker Desktop on Windows.' }
    const denied = /permission denied/i.test(`${finding.summary} ${finding.details.join(' ')}`)
    const group = denied ? dockerGroupStep(ctx, []) : null
    if (group) return { steps: [group], manual: 'Log out and back in (or run: newgrp docker) so the docker group applies.' }
    return { steps: await dockerServiceSteps(ctx, []) }
  },

  async 'docker-compose'(ctx, _f, opts) {
    const p = ctx.platform
    const engine = await engineInUse(ctx)
    if (p.kind === 'macos') {
      const way = (await dockerWay(ctx, opts)).way
      if (way === 'desktop') return { steps: [], manual: 'Docker Desktop includes Compose: update Docker Desktop.' }
      if (way === 'orbstack') return { steps: [], manual: 'OrbStack includes Compose (`docker compose`): update OrbStack (brew upgrade --greedy orbstack).' }
      if (engine === 'rancher-desktop') return { steps: [], manual: 'Rancher Desktop includes Compose: update Rancher Desktop, and keep its ~/.rd/bin on PATH.' }
      const brew = await brewNeeds(ctx)
      const why = way === 'podman' ? 'Install the Compose plugin with Homebrew (podman compose runs it against the Podman machine)' : 'Install the Compose plugin with Homebrew'
      return { steps: [...brew.steps, brewInstall(ctx, 'docker-compose', why, ['docker-compose'], { needs: brew.needs })] }
    }
    if (engine === 'podman') {
      // `podman compose` runs an external provider (docker-compose, else podman-compose) against Podman's socket.
      return {
        steps: [aptUpdate(), aptInstall('docker-compose', 'Install docker-compose for `podman compose` (Podman runs it against its own socket)', [distroComposePackage(p)], ['apt-update'])],
        manual: 'Podman is the engine: run `podman compose`, or `docker compose` with DOCKER_HOST at Podman\'s socket.',
      }
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
  'max-map-count': async (ctx) => maxMapCountFix(ctx, { dockerDesktop: ctx.platform.kind === 'wsl' && (await dockerDesktopOnWsl(ctx)), engine: await engineInUse(ctx) }),
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
  'homebrew-shellenv', 'orbstack', 'orbstack-start', 'podman', 'podman-machine-init', 'podman-machine-start',
]

/** The command each tool check looks for. */
const TOOL_OF: Record<string, string> = { 'docker-cli': 'docker', kubectl: 'kubectl', minikube: 'minikube' }

/** The fix for a finding through its installer, or null when shipshape has none for that check. */
export async function provisionFix(id: string, ctx: Context, finding: Finding, opts: ProvisionOptions = DEFAULT_PROVISION): Promise<Fix | null> {
  // Installed but off PATH: the PATH line, never a reinstall.
  const offPath = Object.hasOwn(TOOL_OF, id) ? await offPathFix(ctx, TOOL_OF[id]) : null
  if (offPath) return offPath
  const provisioner = Object.hasOwn(PROVISIONERS, id) ? PROVISIONERS[id] : undefined
  return provisioner ? provisioner(ctx, finding, opts) : null
}
