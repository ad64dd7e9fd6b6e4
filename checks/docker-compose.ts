// Docker Compose: the v2 plugin (`docker compose`) is what current docs and the stacks use; the
// standalone Python `docker-compose` v1 still works but reached end of life in July 2023, so it is a
// warning. Both probes start at once. v1 costs about half a second to start, so its version is cached
// while the file is unchanged; the plugin is a separate file `docker` finds on its own, and fast,
// so it is asked every time.

import { versionOutput } from '../lib/version-cache.js'
import { judgeVersion } from '../lib/versions.js'
import type { Check, Context, Fix } from '../lib/types.js'

export const dockerCompose = {
  id: 'docker-compose',
  title: 'Docker Compose',
  required: true,
  async run(ctx) {
    const [docker, standalone] = await Promise.all([ctx.which('docker'), ctx.which('docker-compose')])
    const [plugin, legacy] = await Promise.all([
      docker ? ctx.probe([docker, 'compose', 'version', '--short']) : null,
      standalone ? versionOutput(ctx, standalone, ['version', '--short']) : null,
    ])
    const details: string[] = []
    // Without the plugin, docker reads `compose` as an unknown command and complains about the flag.
    if (plugin) details.push(plugin.ok ? `docker compose version --short: ${plugin.stdout.trim()}` : `no Compose plugin: docker compose said '${firstLine(plugin.stderr) || `exit ${plugin.code}`}'`)
    if (legacy) details.push(legacy.ok ? `${standalone}: ${legacy.stdout.trim()}${legacy.cached ? ' (cached)' : ''}` : `${standalone} version failed: ${firstLine(legacy.stderr)}`)

    if (plugin?.ok) {
      const j = judgeVersion('compose', plugin.stdout, ctx.config)
      if (j.meets) return { status: 'ok', summary: `Docker Compose ${j.version} (plugin)`, version: j.version, details }
      return { status: 'warn', summary: `Docker Compose plugin ${j.version ?? plugin.stdout.trim()} is older than ${j.floor}`, version: j.version, details }
    }
    if (legacy?.ok) {
      const j = judgeVersion('compose', legacy.stdout, ctx.config)
      // A v2 binary installed standalone is current Compose, only not reachable as `docker compose`.
      if (j.meets) return { status: 'warn', summary: `docker-compose ${j.version} works, but only as standalone 'docker-compose'; install it as the Docker plugin for 'docker compose'`, version: j.version, details }
      return { status: 'warn', summary: `only docker-compose ${j.version ?? legacy.stdout.trim()} (v1, end of life since July 2023); install the Compose v2 plugin`, version: j.version, details }
    }
    return { status: 'fail', summary: 'neither `docker compose` (v2 plugin) nor `docker-compose` is installed', details }
  },
  fix: (ctx) => installCompose(ctx),
} satisfies Check

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}

export function installCompose(ctx: Context): Fix {
  const p = ctx.platform
  if (p.kind === 'macos' || p.kind === 'wsl') {
    return { steps: [], manual: 'Docker Desktop includes Compose v2: update Docker Desktop (and on WSL, enable WSL integration for this distro).' }
  }
  if (p.distro?.id === 'ubuntu') {
    return { steps: [{ id: 'compose-v2', title: 'Install the Compose v2 plugin', argv: ['apt-get', 'install', '-y', 'docker-compose-v2'], sudo: true }], manual: "Ubuntu's docker-compose-v2 package; with Docker's own apt repository, install docker-compose-plugin instead." }
  }
  return {
    steps: [{ id: 'compose-plugin', title: 'Install the Compose v2 plugin', argv: ['apt-get', 'install', '-y', 'docker-compose-plugin'], sudo: true }],
    manual: "docker-compose-plugin comes from Docker's apt repository (https://docs.docker.com/compose/install/linux/); add it first as the docker-cli fix shows.",
  }
}
