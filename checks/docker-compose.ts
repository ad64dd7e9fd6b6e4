// Docker Compose: the v2 plugin (`docker compose`) is what current docs and the stacks use; the
// standalone Python `docker-compose` v1 still works but reached end of life in July 2023, so it is a
// warning. Both are looked at once. Versions are cached while the binary is unchanged: v1 costs about
// half a second to start; the plugin is found where docker finds it (its config dir, the config's
// cliPluginsExtraDirs, the system dirs) and asked directly, as the plugin binary also runs standalone.
// A plugin somewhere we do not know is still found by asking `docker compose version`.

import { constants } from 'node:fs'
import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { versionOutput } from '../lib/version-cache.js'
import { judgeVersion } from '../lib/versions.js'
import type { Check, Context, Fix } from '../lib/types.js'

export const dockerCompose = {
  id: 'docker-compose',
  title: 'Docker Compose',
  required: true,
  async run(ctx) {
    const [docker, standalone] = await Promise.all([ctx.which('docker'), ctx.which('docker-compose')])
    const pluginFile = docker ? await findPlugin(ctx) : null
    const [plugin, legacy] = await Promise.all([
      pluginFile ? versionOutput(ctx, pluginFile, ['version', '--short']) : docker ? ctx.probe([docker, 'compose', 'version', '--short']) : null,
      standalone ? versionOutput(ctx, standalone, ['version', '--short']) : null,
    ])
    const details: string[] = []
    // Without the plugin, docker reads `compose` as an unknown command and complains about the flag.
    if (plugin) details.push(plugin.ok ? `${pluginFile ?? 'docker compose'} version --short: ${plugin.stdout.trim()}` : `no Compose plugin: docker compose said '${firstLine(plugin.stderr) || `exit ${plugin.code}`}'`)
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

// docker/cli cli-plugins/manager: the config dir's cli-plugins, then cliPluginsExtraDirs, then these.
const SYSTEM_PLUGIN_DIRS = ['/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins']

export async function findPlugin(ctx: Context): Promise<string | null> {
  const configDir = ctx.env.DOCKER_CONFIG || join(ctx.home, '.docker')
  const config = (await readFile(join(configDir, 'config.json'), 'utf8').then(JSON.parse).catch(() => null)) as { cliPluginsExtraDirs?: unknown } | null
  const listed = config?.cliPluginsExtraDirs
  const extra = Array.isArray(listed) ? listed.filter((d: unknown): d is string => typeof d === 'string') : []
  for (const dir of [join(configDir, 'cli-plugins'), ...extra, ...SYSTEM_PLUGIN_DIRS.map((d) => join(ctx.hostRoot, d))]) {
    const file = join(dir, 'docker-compose')
    if (await access(file, constants.X_OK).then(() => true, () => false)) return file
  }
  return null
}

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
