// The one table of version floors, and the one way to compare a tool's version against it.
// Real versions are messy: `v1.32.4-gke.100`, `20.10.24+dfsg1`, `minor: "32+"`, `1.29.2, build 123`.
// semver.coerce takes the first x.y.z out of any of them; the floor is a semver range a team's
// shipshape.yaml may raise.

// Each function from its own file: `semver`'s index loads all 50 of its modules, a fifth of what a
// warm doctor run loads in all.
import coerce from 'semver/functions/coerce.js'
import gte from 'semver/functions/gte.js'
import minor from 'semver/functions/minor.js'
import satisfies from 'semver/functions/satisfies.js'
import type { Config } from './config.js'

export const FLOORS = {
  // Debian 12's docker.io is 20.10; minikube's docker driver recommends 20.10 or newer.
  docker: '>=20.10.0',
  // Compose v2 is the plugin; v1 (docker-compose 1.x, Python) reached end of life in 2023.
  compose: '>=2.0.0',
  // kubectl is supported within one minor of the cluster; older than this misses current clusters.
  kubectl: '>=1.29.0',
  minikube: '>=1.32.0',
} as const

export type Tool = keyof typeof FLOORS | string

/** "v1.32.4-gke.100" → "1.32.4"; null when there is no version in it. */
export function parseVersion(text: string | null | undefined): string | null {
  if (!text) return null
  // Docker numbered 17.03–19.03 with a zero-padded minor, which semver refuses: "19.03.13" → "19.3.13".
  return coerce(text.replace(/(\d+)\.0+(\d+)/g, '$1.$2'))?.version ?? null
}

export function floorFor(tool: Tool, config?: Config): string | null {
  return config?.data.versions[tool] ?? (FLOORS as Record<string, string>)[tool] ?? null
}

export interface VersionJudgement {
  version: string | null
  floor: string | null
  meets: boolean
}

export function judgeVersion(tool: Tool, raw: string | null | undefined, config?: Config): VersionJudgement {
  const version = parseVersion(raw)
  const floor = floorFor(tool, config)
  // The usual floor, ">=x.y.z", is one comparison; parsing it as a range costs a warm run 5 ms.
  const atLeast = floor ? /^>=\s*(\d+\.\d+\.\d+)$/.exec(floor.trim())?.[1] : undefined
  const meets = version !== null && (floor === null || (atLeast ? gte(version, atLeast) : satisfies(version, floor)))
  return { version, floor, meets }
}

/** Minor version from a Kubernetes version object, where minor may read "32+". */
export function kubeMinor(v: { major?: string; minor?: string; gitVersion?: string } | null | undefined): number | null {
  if (!v) return null
  const fromField = Number.parseInt(String(v.minor ?? '').replace(/\D+$/, ''), 10)
  if (Number.isFinite(fromField)) return fromField
  const parsed = parseVersion(v.gitVersion)
  return parsed ? minor(parsed) : null
}
