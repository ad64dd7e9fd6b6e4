// kubectl: on Debian, Ubuntu and WSL from pkgs.k8s.io, which has one apt repository per Kubernetes
// minor (apt.kubernetes.io was shut down in 2024); the repository's Release.key is stored armoured
// under /etc/apt/keyrings and named by Signed-By, so apt checks every package against it. On macOS,
// `brew install kubectl`.

import semver from 'semver'
import type { Context, Step } from '../types.js'
import { aptInstall, aptUpdateSource, debArch, deb822, KEYRINGS, keyringsDir, SOURCES_D } from './apt.js'
import { download, DownloadError, openPgpFingerprint } from './download.js'
import { hostPath, placeFile, readOrNull } from './files.js'
import { brewInstall, brewNeeds } from './homebrew.js'
import { source } from './sources.js'

/** The minor installed unless shipshape.yaml's versions.kubectl names another (">=1.33" → 1.33). */
export const DEFAULT_KUBECTL_MINOR = '1.34'
export const KUBERNETES_KEY = `${KEYRINGS}/kubernetes-apt-keyring.asc`
export const KUBERNETES_SOURCES = 'kubernetes.sources'

export function kubectlMinor(ctx: Pick<Context, 'config'>): string {
  const range = ctx.config.data.versions.kubectl
  const min = range ? semver.minVersion(range) : null
  return min && semver.gt(min, `${DEFAULT_KUBECTL_MINOR}.0`) ? `${min.major}.${min.minor}` : DEFAULT_KUBECTL_MINOR
}

export async function kubectlSteps(ctx: Context): Promise<Step[]> {
  if (ctx.platform.kind === 'macos') {
    const brew = await brewNeeds(ctx)
    return [...brew.steps, brewInstall(ctx, 'kubectl', 'Install kubectl with Homebrew', ['kubectl'], { needs: brew.needs })]
  }
  const repo = `${source(ctx, 'kubernetes-apt')}/v${kubectlMinor(ctx)}/deb/`
  const sourcesText = deb822({ uris: repo, suites: '/', arch: debArch(ctx.platform.arch), signedBy: KUBERNETES_KEY })
  return [
    keyringsDir(),
    {
      id: 'kubernetes-apt-key',
      title: `Download the Kubernetes ${kubectlMinor(ctx)} repository key to ${KUBERNETES_KEY}`,
      argv: [],
      sudo: true,
      needs: ['apt-keyrings-dir'],
      async done(c) {
        const text = await readOrNull(hostPath(c, KUBERNETES_KEY))
        return text !== null && openPgpFingerprint(text) !== null
      },
      async perform(c) {
        const url = `${repo}Release.key`
        const key = (await download(c.env, url)).toString('utf8')
        if (!openPgpFingerprint(key)) throw new DownloadError(`${url}: not an OpenPGP public key; not trusted`)
        await placeFile(c, KUBERNETES_KEY, key, 0o644)
      },
    },
    {
      id: 'kubernetes-apt-source',
      title: `Add pkgs.k8s.io's repository for Kubernetes ${kubectlMinor(ctx)} as ${SOURCES_D}/${KUBERNETES_SOURCES}`,
      argv: [],
      sudo: true,
      needs: ['kubernetes-apt-key'],
      done: async (c) => (await readOrNull(hostPath(c, `${SOURCES_D}/${KUBERNETES_SOURCES}`))) === sourcesText,
      perform: (c) => placeFile(c, `${SOURCES_D}/${KUBERNETES_SOURCES}`, sourcesText, 0o644),
    },
    aptUpdateSource('kubernetes-apt-update', KUBERNETES_SOURCES, ['kubernetes-apt-source']),
    aptInstall('kubectl', 'Install kubectl from pkgs.k8s.io', ['kubectl'], ['kubernetes-apt-update']),
  ]
}
