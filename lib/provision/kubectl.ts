// kubectl: on Debian, Ubuntu and WSL from pkgs.k8s.io, which has one apt repository per Kubernetes
// minor (apt.kubernetes.io was shut down in 2024); the repository's Release.key is stored armoured
// under /etc/apt/keyrings (its fingerprint checked first) and named by Signed-By, so apt checks
// every package against it. On macOS, `brew install kubectl`.

import gt from 'semver/functions/gt.js'
import minVersion from 'semver/ranges/min-version.js'
import type { Context, Step } from '../types.js'
import { aptInstall, aptUpdateSource, debArch, deb822, KEYRINGS, keyringsDir, SOURCES_D, trustedKeyStep, writeFileShell } from './apt.js'
import { hostPath, placeFile, readOrNull } from './files.js'
import { brewInstall, brewNeeds } from './homebrew.js'
import { source } from './sources.js'

/** The minor installed unless shipshape.yaml's versions.kubectl names another (">=1.33" → 1.33). */
export const DEFAULT_KUBECTL_MINOR = '1.34'
export const KUBERNETES_KEY = `${KEYRINGS}/kubernetes-apt-keyring.asc`
/** pkgs.k8s.io's signing key (isv:kubernetes OBS Project), as `gpg --show-keys` prints it for Release.key. */
export const KUBERNETES_KEY_FINGERPRINT = 'DE15 B144 86CD 377B 9E87  6E1A 2346 54DA 9A29 6436'
export const KUBERNETES_SOURCES = 'kubernetes.sources'

export function kubectlMinor(ctx: Pick<Context, 'config'>): string {
  const range = ctx.config.data.versions.kubectl
  const min = range ? minVersion(range) : null
  return min && gt(min, `${DEFAULT_KUBECTL_MINOR}.0`) ? `${min.major}.${min.minor}` : DEFAULT_KUBECTL_MINOR
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
    trustedKeyStep({ id: 'kubernetes-apt-key', owner: 'pkgs.k8s.io', url: `${repo}Release.key`, path: KUBERNETES_KEY, fingerprint: KUBERNETES_KEY_FINGERPRINT }),
    {
      id: 'kubernetes-apt-source',
      title: `Add pkgs.k8s.io's repository for Kubernetes ${kubectlMinor(ctx)} as ${SOURCES_D}/${KUBERNETES_SOURCES}`,
      argv: [],
      sudo: true,
      needs: ['kubernetes-apt-key'],
      shell: writeFileShell(`${SOURCES_D}/${KUBERNETES_SOURCES}`, sourcesText),
      done: async (c) => (await readOrNull(hostPath(c, `${SOURCES_D}/${KUBERNETES_SOURCES}`))) === sourcesText,
      perform: (c) => placeFile(c, `${SOURCES_D}/${KUBERNETES_SOURCES}`, sourcesText, 0o644),
    },
    aptUpdateSource('kubernetes-apt-update', KUBERNETES_SOURCES, ['kubernetes-apt-source']),
    aptInstall('kubectl', 'Install kubectl from pkgs.k8s.io', ['kubectl'], ['kubernetes-apt-update']),
  ]
}
