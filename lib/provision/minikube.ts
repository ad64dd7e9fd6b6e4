// minikube: on Debian, Ubuntu and WSL the release .deb for this architecture, checked against the
// .sha256 published beside it before `dpkg -i`; on macOS `brew install minikube`. A cluster is its
// own step, `minikube start --driver=docker` as the invoking user (minikube refuses the docker
// driver as root, and `sudo minikube` leaves root-owned files in ~/.minikube); skip it with
// `--skip minikube-start`.

import type { Context, Step } from '../types.js'
import { debArch, installed, tmp } from './apt.js'
import { downloadVerified } from './download.js'
import { mustRun, withStagedFile } from './files.js'
import { brewInstall, brewNeeds } from './homebrew.js'
import { asRoot } from './privilege.js'
import { source } from './sources.js'

export const minikubeDebUrl = (ctx: Context) => `${source(ctx, 'minikube')}/minikube_latest_${debArch(ctx.platform.arch)}.deb`

export async function minikubeSteps(ctx: Context): Promise<Step[]> {
  if (ctx.platform.kind === 'macos') {
    const brew = await brewNeeds(ctx)
    return [...brew.steps, brewInstall(ctx, 'minikube', 'Install minikube with Homebrew', ['minikube'], { needs: brew.needs })]
  }
  const url = minikubeDebUrl(ctx)
  return [{
    id: 'minikube',
    title: `Install minikube from ${url}, checked against its published sha256`,
    argv: [],
    sudo: true,
    timeoutMs: 20 * 60_000,
    // By hand: download, check against the published sha256 (its first field), then install.
    shell: [
      { argv: ['curl', '-fsSL', '-o', tmp(url), url] },
      { argv: ['curl', '-fsSL', `${url}.sha256`] },
      { argv: ['awk', `{print $1 "  ${tmp(url)}"}`], pipe: true },
      { argv: ['sha256sum', '-c'], pipe: true },
      { argv: ['dpkg', '-i', tmp(url)], sudo: true },
    ],
    done: (c) => installed(c, ['minikube']),
    async perform(c) {
      const deb = await downloadVerified(c.env, url)
      await withStagedFile('minikube.deb', deb, 0o644, (file) => mustRun(c, [...asRoot(c), 'dpkg', '-i', file], 10 * 60_000))
    },
  }]
}

/**
 * The local cluster: a new one on the docker driver (`create`, when kube-context finds none), or an
 * existing one started as it was made (its profile keeps its driver; a different one is refused).
 */
export function minikubeStartStep(needs: string[] = [], opts: { create?: boolean } = {}): Step {
  const argv = ['minikube', 'start', ...(opts.create ? ['--driver=docker'] : [])]
  return {
    id: 'minikube-start',
    title: `${opts.create ? 'Create and start a local Kubernetes cluster' : 'Start the local Kubernetes cluster'}: ${argv.join(' ')} (as you, never root)`,
    argv,
    sudo: false,
    asUser: true,
    needs,
    timeoutMs: 15 * 60_000,
  }
}
