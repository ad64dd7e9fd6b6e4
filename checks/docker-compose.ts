// Docker Compose: the v2 plugin (`docker compose`) is what current docs and the stacks use; the
// standalone Python `docker-compose` v1 still works but reached end of life in July 2023, so it is a
// warning. Both are looked at once. Versions are cached while the binary is unchanged: v1 costs about
// half a second to start; the plugin is found where docker itself looks (docker/cli's plugin manager:
// its config dir, the config's cliPluginsExtraDirs, the system dirs) and asked directly, as the
// plugin binary also runs standalone. So no `docker` starts just to learn there is no plugin.
// Where Podman is the engine (the docker context or DOCKER_HOST names its socket), `podman compose`
// runs an external provider against it: docker-compose (the plugin or standalone, through Podman's
// Docker-compatible API) or podman-compose; podman-compose alone serves `podman compose` but not
// `docker compose`, which `shipshape up` runs.

import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { probeFailed } from '../lib/probe-outcome.js'
import { cacheTag, versionOutput } from '../lib/version-cache.js'
import { judgeVersion, parseVersion } from '../lib/versions.js'
import { dockerConfig, dockerConfigDir, engineInUse } from '../lib/docker-facts.js'
import { provisionFix } from '../lib/provision/fixes.js'
import type { Check, Context } from '../lib/types.js'

export const dockerCompose = {
  id: 'docker-compose',
  title: 'Docker Compose',
  about: {
    looks: 'Compose: the v2 plugin where docker looks for it, and a standalone docker-compose',
    why: 'up and down drive the stacks through Compose; v1 reached end of life in July 2023',
    statuses: { ok: 'the Compose v2 plugin', warn: 'only a standalone v1 or an old plugin: it runs the stacks, but upgrade', fail: 'no Compose at all; the fix installs the plugin' },
  },
  required: true,
  versionProbe: true,
  async run(ctx) {
    const [docker, standalone] = await Promise.all([ctx.which('docker'), ctx.which('docker-compose')])
    // v1 takes about half a second to answer when not cached: it starts before the plugin is looked for.
    const legacyAnswer = standalone ? versionOutput(ctx, standalone, ['version', '--short']) : null
    const pluginFile = docker ? await findPlugin(ctx) : null
    const [plugin, legacy] = await Promise.all([pluginFile ? versionOutput(ctx, pluginFile, ['version', '--short']) : null, legacyAnswer])
    const details: string[] = []
    const podman = (await engineInUse(ctx)) === 'podman'
    if (podman) details.push("Podman is the engine: `podman compose` runs docker-compose (or podman-compose) against Podman's socket")
    if (docker && !pluginFile) details.push(`no docker-compose plugin where docker looks for it (${(await pluginDirs(ctx)).join(', ')})`)
    if (plugin) details.push(plugin.ok ? `${pluginFile} version --short: ${plugin.stdout.trim()}` : `${pluginFile} version failed: ${firstLine(plugin.stderr) || `exit ${plugin.code}`}`)
    if (legacy) details.push(legacy.ok ? `${standalone}: ${legacy.stdout.trim()}${cacheTag(legacy)}` : `${standalone} version failed: ${firstLine(legacy.stderr)}`)

    if (plugin?.ok) {
      const j = judgeVersion('compose', plugin.stdout, ctx.config)
      if (!j.version) return { status: 'warn', summary: `cannot read a version from '${plugin.stdout.trim()}'`, details, fix: null }
      if (j.meets) return { status: 'ok', summary: `Docker Compose ${j.version} (plugin)`, version: j.version, details }
      return { status: 'warn', summary: `Docker Compose plugin ${j.version ?? plugin.stdout.trim()} is older than ${j.floor}`, version: j.version, details }
    }
    if (legacy?.ok) {
      const j = judgeVersion('compose', legacy.stdout, ctx.config)
      // A v2 binary installed standalone is current Compose, only not reachable as `docker compose`.
      if (j.meets) return { status: 'warn', summary: `docker-compose ${j.version} works, but only as standalone 'docker-compose'; install it as the Docker plugin for 'docker compose'`, version: j.version, details }
      return { status: 'warn', summary: `only docker-compose ${j.version ?? legacy.stdout.trim()} (v1, end of life since July 2023); install the Compose v2 plugin`, version: j.version, details }
    }
    // Installed but not answering is not "not installed": no install plan for it.
    if (plugin && pluginFile) return probeFailed(plugin, `${pluginFile} version --short`, details)
    if (legacy && standalone) return probeFailed(legacy, `${standalone} version --short`, details)
    if (podman) {
      const podmanCompose = await ctx.which('podman-compose')
      const pc = podmanCompose ? await versionOutput(ctx, podmanCompose, ['--version']) : null
      if (pc?.ok) {
        const version = parseVersion(pc.stdout)
        details.push(`${podmanCompose}: ${pc.stdout.trim().split('\n')[0]}`)
        return { status: 'warn', summary: `only podman-compose ${version ?? ''}: \`podman compose\` works, but \`docker compose\` (which shipshape up runs) does not; install docker-compose`.replace('  ', ' '), version, details }
      }
      return { status: 'fail', summary: 'Podman is the engine, but no Compose provider is installed: neither docker-compose (for `podman compose` and `docker compose`) nor podman-compose', details }
    }
    return { status: 'fail', summary: 'neither `docker compose` (v2 plugin) nor `docker-compose` is installed', details }
  },
  fix: (ctx, finding) => provisionFix('docker-compose', ctx, finding),
} satisfies Check

// docker/cli cli-plugins/manager: the config dir's cli-plugins, then cliPluginsExtraDirs, then these.
const SYSTEM_PLUGIN_DIRS = ['/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins']

/** Where docker finds CLI plugins, in its order of preference. */
export async function pluginDirs(ctx: Context): Promise<string[]> {
  const configDir = dockerConfigDir(ctx)
  const config = await dockerConfig(ctx)
  const listed = config?.cliPluginsExtraDirs
  const extra = Array.isArray(listed) ? listed.filter((d: unknown): d is string => typeof d === 'string') : []
  return [join(configDir, 'cli-plugins'), ...extra, ...SYSTEM_PLUGIN_DIRS.map((d) => join(ctx.hostRoot, d))]
}

export async function findPlugin(ctx: Context): Promise<string | null> {
  for (const dir of await pluginDirs(ctx)) {
    const file = join(dir, 'docker-compose')
    if (await access(file, constants.X_OK).then(() => true, () => false)) return file
  }
  return null
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}
