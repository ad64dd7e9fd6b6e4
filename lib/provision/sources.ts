// Where installers download from: one table of defaults, each entry overridable in shipshape.yaml
// (`sources.<name>: https://mirror.example/…`) so a team can point setup at its own mirror.

import type { Context } from '../types.js'

export const DEFAULT_SOURCES = {
  /** Docker's apt repositories; the distribution id is appended (…/linux/debian). */
  'docker-apt': 'https://download.docker.com/linux',
  /** pkgs.k8s.io: one repository per Kubernetes minor, appended as /v1.XX/deb/. */
  'kubernetes-apt': 'https://pkgs.k8s.io/core:/stable:',
  /** minikube's release packages (minikube_latest_amd64.deb and its .sha256). */
  minikube: 'https://storage.googleapis.com/minikube/releases/latest',
  /** Homebrew's official installer script. */
  'homebrew-install': 'https://raw.githubusercontent.com/Homebrew/install/HEAD/install.sh',
} as const

export type SourceName = keyof typeof DEFAULT_SOURCES

export function source(ctx: Pick<Context, 'config'>, name: SourceName): string {
  return (ctx.config.data.sources[name] ?? DEFAULT_SOURCES[name]).replace(/\/+$/, '')
}
