// vm.max_map_count for Elasticsearch (it refuses to start below 262144). Linux: `sysctl -w` for now
// and a file in /etc/sysctl.d for every boot. VM engines run containers in their own VM, so on macOS
// (Docker Desktop, colima, OrbStack, Podman, Rancher Desktop), colima anywhere, and WSL 2 with Docker
// Desktop the value is set there, by hand, through the engine's own shell into its VM or the way
// Elastic and Microsoft document it.

import { ENGINE_NAMES, type Engine } from '../docker-engine.js'
import type { Context, Fix } from '../types.js'
import { writeFileShell } from './apt.js'
import { hostPath, placeFile, readOrNull } from './files.js'

export const MAX_MAP_COUNT = 262144
export const SYSCTL_FILE = '/etc/sysctl.d/99-shipshape-max-map-count.conf'
const SYSCTL_TEXT = `# For Elasticsearch (written by shipshape setup)\nvm.max_map_count = ${MAX_MAP_COUNT}\n`

export function maxMapCountFix(ctx: Context, opts: { dockerDesktop: boolean; engine?: Engine | null }): Fix {
  const sysctl = `sysctl -w vm.max_map_count=${MAX_MAP_COUNT}`
  // A VM engine's own shell into its VM, where it has one (each resets on a restart of the VM).
  const inVm: Partial<Record<Engine, string>> = {
    colima: `colima ssh -- sudo ${sysctl}`,
    orbstack: `docker run --rm --privileged --pid=host alpine nsenter -t 1 -m -u -n -i ${sysctl}`,
    podman: `podman machine ssh sudo ${sysctl}`,
    'rancher-desktop': `rdctl shell sudo ${sysctl}`,
  }
  const engine = opts.engine ?? null
  if (engine && inVm[engine] && (ctx.platform.kind === 'macos' || engine === 'colima')) {
    return { steps: [], manual: `${ENGINE_NAMES[engine]}'s VM holds the setting: ${inVm[engine]} (again after the VM restarts).` }
  }
  if (ctx.platform.kind === 'macos') {
    return {
      steps: [],
      manual: `Docker Desktop's VM holds the setting: docker run --rm --privileged --pid=host alpine nsenter -t 1 -m -u -n -i ${sysctl} (again after Docker Desktop restarts).`,
    }
  }
  if (ctx.platform.kind === 'wsl' && opts.dockerDesktop) {
    return {
      steps: [],
      manual: `In %USERPROFILE%\\.wslconfig on Windows add:\n[wsl2]\nkernelCommandLine = "sysctl.vm.max_map_count=${MAX_MAP_COUNT}"\nthen run 'wsl --shutdown' in PowerShell and restart Docker Desktop.`,
    }
  }
  return {
    steps: [
      {
        id: 'max-map-count-now',
        title: `Raise vm.max_map_count to ${MAX_MAP_COUNT} now`,
        argv: ['sysctl', '-w', `vm.max_map_count=${MAX_MAP_COUNT}`],
        sudo: true,
        async done(c) {
          const now = Number.parseInt((await readOrNull(hostPath(c, '/proc/sys/vm/max_map_count'))) ?? '', 10)
          return now >= MAX_MAP_COUNT
        },
      },
      {
        id: 'max-map-count-boot',
        title: `Keep vm.max_map_count at ${MAX_MAP_COUNT} after reboots (${SYSCTL_FILE})`,
        argv: [],
        sudo: true,
        shell: writeFileShell(SYSCTL_FILE, SYSCTL_TEXT),
        done: async (c) => (await readOrNull(hostPath(c, SYSCTL_FILE))) === SYSCTL_TEXT,
        perform: (c) => placeFile(c, SYSCTL_FILE, SYSCTL_TEXT, 0o644),
      },
    ],
  }
}
