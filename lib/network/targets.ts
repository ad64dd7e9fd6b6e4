// Which registries this machine must reach: the ones the stacks in use pull from (read from their
// image references, as Docker reads them) and a team's mirrors from `network.registries`. Also the
// one place that hides credentials in URLs, since proxy and mirror URLs often carry them.

import { isIP } from 'node:net'
import { imagePresent } from '../docker-facts.js'
import { stackImages } from '../stacks/declared.js'
import type { Context } from '../types.js'

export interface RegistryTarget {
  /** How a person names it: docker.io, docker.elastic.co, mirror.example.com:5000. */
  name: string
  /** Where the request goes (Docker Hub's API lives on registry-1.docker.io). */
  host: string
  port: number
  /** Folder name under certs.d the daemon reads for it: host, or host:port off 443. */
  certsDir: string
  /** Why it is checked: "stack elasticsearch (docker.elastic.co/elasticsearch/elasticsearch:8.19.10)", "network.registries". */
  why: string[]
  /** A stack in use pulls from it. */
  fromStack: boolean
}

/** Asking the daemon whether it has an image is one local request; it must not eat the check's bound. */
const IMAGE_LOOKUP_MS = 1_000

export const DOCKER_HUB = 'docker.io'
const HUB_API = 'registry-1.docker.io'

/** The registry part of an image reference, as Docker decides it: a first component with a dot, a colon or `localhost`; otherwise Docker Hub. */
export function registryOf(image: string): string {
  const slash = image.indexOf('/')
  if (slash === -1) return DOCKER_HUB
  const first = image.slice(0, slash)
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : DOCKER_HUB
}

/** host[:port] or an https URL, as in `network.registries`; null when it is neither. */
export function parseRegistry(entry: string): { host: string; port: number } | null {
  const text = entry.trim()
  let url: URL
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`)
  } catch {
    return null
  }
  if (url.protocol !== 'https:' || !url.hostname) return null
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : 443 }
}

function target(name: string, host: string, port: number): RegistryTarget {
  const shownHost = isIP(host) === 6 ? `[${host}]` : host
  const hostPort = port === 443 ? shownHost : `${shownHost}:${port}`
  return { name: name === DOCKER_HUB ? DOCKER_HUB : hostPort, host: name === DOCKER_HUB ? HUB_API : host, port, certsDir: name === DOCKER_HUB ? DOCKER_HUB : hostPort, why: [], fromStack: false }
}

export interface Targets {
  targets: RegistryTarget[]
  /** Images of the stacks in use the daemon already has: running them pulls nothing. */
  local: string[]
  /** Entries of network.registries that are neither host[:port] nor an https URL (masked). */
  invalid: string[]
}

export async function registryTargets(ctx: Context): Promise<Targets> {
  const byKey = new Map<string, RegistryTarget>()
  const add = (t: RegistryTarget, why: string, fromStack: boolean) => {
    const key = `${t.host}:${t.port}`
    const have = byKey.get(key) ?? t
    byKey.set(key, have)
    if (!have.why.includes(why)) have.why.push(why)
    have.fromStack ||= fromStack
  }
  const images = await stackImages(ctx.config.data.stacks, ctx.platform)
  // An image the daemon already has is not pulled, so its registry need not answer (a team that
  // builds or loads its images offline).
  const present = await Promise.all(images.map(({ image }) => imagePresent(ctx, image, IMAGE_LOOKUP_MS)))
  const local = images.filter((_, i) => present[i] === true).map((i) => i.image)
  for (const { stack, image } of images.filter((_, i) => present[i] !== true)) {
    const registry = registryOf(image)
    const parsed = registry === DOCKER_HUB ? { host: registry, port: 443 } : parseRegistry(registry)
    if (parsed) add(target(registry === DOCKER_HUB ? DOCKER_HUB : parsed.host, parsed.host, parsed.port), `stack ${stack} (${image})`, true)
  }
  const invalid: string[] = []
  for (const entry of ctx.config.data.network?.registries ?? []) {
    const parsed = parseRegistry(entry)
    if (!parsed) invalid.push(maskCredentials(entry))
    else add(target(parsed.host === DOCKER_HUB ? DOCKER_HUB : parsed.host, parsed.host, parsed.port), 'network.registries', false)
  }
  return { targets: [...byKey.values()], local, invalid }
}

/** `https://user:secret@host` → `https://user:***@host`; a user name alone may be a token, so it goes too. */
export function maskCredentials(text: string): string {
  return text.replace(/(\/\/)([^:@/\s]*)(:[^@/\s]*)?@/g, (_m, slashes: string, user: string, pass?: string) => (pass ? `${slashes}${user}:***@` : `${slashes}***@`))
}
