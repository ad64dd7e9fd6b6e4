// Docker Engine from Docker's own apt repository, as docs.docker.com/engine/install/{debian,ubuntu}
// describe it today: the key at /etc/apt/keyrings/docker.asc (its fingerprint checked here before
// apt trusts it), a deb822 docker.sources with Signed-By, older entries for the same repository
// moved aside as *.shipshape.disabled, which apt skips silently (two Signed-By values for one
// repository make apt fail), conflicting distribution packages removed, then docker-ce and plugins.

import { readdir, rename } from 'node:fs/promises'
import { join } from 'node:path'
import type { Context, Platform, Step } from '../types.js'
import { aptInstall, aptUpdateSource, debArch, deb822, installedOf, KEYRINGS, keyringsDir, SOURCES_D, trustedKeyStep, writeFileShell } from './apt.js'
import { hostPath, mustRun, placeFile, readOrNull } from './files.js'
import { asRoot, isRoot } from './privilege.js'
import { source } from './sources.js'

/** Docker Release (CE deb) <docker@docker.com>, as published on docs.docker.com. */
export const DOCKER_KEY_FINGERPRINT = '9DC8 5822 9FC7 DD38 854A  E2D8 8D81 803C 0EBF CD88'
export const DOCKER_KEY = `${KEYRINGS}/docker.asc`
export const DOCKER_SOURCES = 'docker.sources'
export const DOCKER_PACKAGES = ['docker-ce', 'docker-ce-cli', 'containerd.io', 'docker-buildx-plugin', 'docker-compose-plugin']
/** Packages Docker's docs remove first: they ship their own containerd and runc. */
export const CONFLICTING = ['docker.io', 'docker-doc', 'docker-compose', 'docker-compose-v2', 'podman-docker', 'containerd', 'runc']

/** Docker publishes repositories for these; other IDs (mint, pop) need ID_LIKE mapping we do not guess. */
export function dockerRepoDistro(p: Platform): string | null {
  const id = p.distro?.id
  return id === 'debian' || id === 'ubuntu' ? id : null
}

export const dockerRepoUrl = (ctx: Pick<Context, 'config'>, p: Platform) => `${source(ctx, 'docker-apt')}/${dockerRepoDistro(p)}`

export async function dockerAptSteps(ctx: Context): Promise<Step[]> {
  // Only packages seen installed are removed, and the step names them; none seen, no removal.
  const seen = await installedOf(ctx, CONFLICTING)
  const remove: Step[] = seen.length === 0 ? [] : [{
    id: 'docker-conflicts-remove',
    title: `Remove ${seen.join(', ')} (installed here; they conflict with docker-ce)`,
    argv: ['apt-get', 'remove', '-y', ...seen],
    sudo: true,
    needs: ['docker-apt-update'],
    done: async (c) => (await installedOf(c, seen)).length === 0,
  }]
  return [
    ...(await dockerRepoSteps(ctx)),
    ...remove,
    aptInstall('docker-engine', "Install Docker Engine from Docker's repository", DOCKER_PACKAGES, ['docker-apt-update', ...remove.map((r) => r.id)]),
  ]
}

/** Docker's repository, trusted and refreshed, up to `docker-apt-update`; installers need that id. */
export async function dockerRepoSteps(ctx: Context): Promise<Step[]> {
  const p = ctx.platform
  const repo = dockerRepoUrl(ctx, p)
  const old = await oldDockerSources(ctx, repo)
  return [
    keyringsDir(),
    trustedKeyStep({ id: 'docker-apt-key', owner: 'Docker', url: `${repo}/gpg`, path: DOCKER_KEY, fingerprint: DOCKER_KEY_FINGERPRINT }),
    {
      id: 'docker-apt-old-sources',
      title: `Move aside older entries for ${repo} in ${SOURCES_D}`,
      argv: [],
      sudo: true,
      shell: old.map((file) => ({ argv: ['mv', '-f', join(SOURCES_D, file), `${join(SOURCES_D, file)}.shipshape.disabled`], sudo: true })),
      async done(c) {
        return (await oldDockerSources(c, repo)).length === 0
      },
      async perform(c) {
        for (const file of await oldDockerSources(c, repo)) {
          const from = join(SOURCES_D, file)
          const to = `${from}.shipshape.disabled`
          if (isRoot(c)) await rename(hostPath(c, from), hostPath(c, to))
          else await mustRun(c, [...asRoot(c), 'mv', '-f', hostPath(c, from), hostPath(c, to)])
        }
      },
    },
    {
      id: 'docker-apt-source',
      title: `Add Docker's repository as ${SOURCES_D}/${DOCKER_SOURCES} (signed by ${DOCKER_KEY})`,
      argv: [],
      sudo: true,
      needs: ['docker-apt-key', 'docker-apt-old-sources'],
      shell: writeFileShell(`${SOURCES_D}/${DOCKER_SOURCES}`, dockerSourcesText(ctx, repo)),
      async done(c) {
        return (await readOrNull(hostPath(c, `${SOURCES_D}/${DOCKER_SOURCES}`))) === dockerSourcesText(c, repo)
      },
      async perform(c) {
        await placeFile(c, `${SOURCES_D}/${DOCKER_SOURCES}`, dockerSourcesText(c, repo), 0o644)
      },
    },
    aptUpdateSource('docker-apt-update', DOCKER_SOURCES, ['docker-apt-source']),
  ]
}

function dockerSourcesText(ctx: Context, repo: string): string {
  const p = ctx.platform
  return deb822({ uris: repo, suites: p.distro?.codename ?? '', components: 'stable', arch: debArch(p.arch), signedBy: DOCKER_KEY })
}

/** Source files other than ours that name Docker's repository. */
async function oldDockerSources(ctx: Context, repo: string): Promise<string[]> {
  const dir = hostPath(ctx, SOURCES_D)
  const files = await readdir(dir).catch(() => [] as string[])
  const host = new URL(repo).host
  const out: string[] = []
  for (const f of files) {
    if (f === DOCKER_SOURCES || !/\.(list|sources)$/.test(f)) continue
    const text = await readOrNull(join(dir, f))
    if (text && text.split('\n').some((l) => !l.trim().startsWith('#') && l.includes(host))) out.push(f)
  }
  return out
}
