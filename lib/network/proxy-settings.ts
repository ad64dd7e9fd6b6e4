// The proxy settings that matter for pulling images, from the three places they live: the shell
// (HTTPS_PROXY… for curl, npm and shipshape itself), the Docker daemon (`docker info`: pulls go
// through the daemon's proxy, set in a systemd drop-in or Docker Desktop's settings) and
// ~/.docker/config.json `proxies.default` (what containers get). Which proxy a request takes follows
// Go's net/http rules, since the daemon is a Go program: HTTPS_PROXY for https, NO_PROXY entries as
// hosts, domain suffixes, IPs or CIDRs, and loopback never proxied.

import { BlockList, isIP } from 'node:net'
import { join } from 'node:path'
import { daemonFacts, dockerConfig, dockerConfigDir } from '../docker-facts.js'
import type { Context, Env } from '../types.js'

export interface ProxySet {
  http: string | null
  https: string | null
  noProxy: string | null
}

export const NO_PROXY_SET: ProxySet = { http: null, https: null, noProxy: null }

const pick = (env: Env, name: string) => env[name.toUpperCase()] || env[name.toLowerCase()] || null

export function shellProxy(env: Env): ProxySet {
  return { http: pick(env, 'http_proxy'), https: pick(env, 'https_proxy'), noProxy: pick(env, 'no_proxy') }
}

export const hasProxy = (s: ProxySet | null) => Boolean(s && (s.http || s.https))

export type DaemonProxy = { answered: true; set: ProxySet; desktop: boolean } | { answered: false; why: string }

/**
 * The daemon's proxy from the facts docker-daemon gathers (no second request). A daemon that does not
 * answer quickly is not waited for: its proxy is then unknown and the environment stands in.
 */
export async function daemonProxy(ctx: Context, waitMs: number): Promise<DaemonProxy> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)))
  const facts = await Promise.race([daemonFacts(ctx), late]).finally(() => clearTimeout(timer))
  if (!facts) return { answered: false, why: `the Docker daemon did not answer within ${waitMs} ms` }
  if (!facts.ok) return { answered: false, why: `the Docker daemon does not answer (${facts.message})` }
  const info = facts.info as unknown as Record<string, unknown>
  const field = (k: string) => (typeof info[k] === 'string' && info[k] ? (info[k] as string) : null)
  const desktop = /Docker Desktop/i.test(facts.info.OperatingSystem ?? '')
  return { answered: true, desktop, set: { http: field('HttpProxy'), https: field('HttpsProxy'), noProxy: field('NoProxy') } }
}

/** Docker Desktop shows its own forwarding proxy (http.docker.internal:3128), reachable only from its VM. */
export const isDesktopInternal = (proxy: string) => /^(?:[a-z]+:\/\/)?(?:[^@/]*@)?[^/:]*\.docker\.internal(?::\d+)?\/?$/i.test(proxy)

/** `proxies.default` of the Docker CLI's config.json, or null when it has none. */
export async function dockerConfigProxy(ctx: Context): Promise<{ file: string; set: ProxySet | null }> {
  const file = join(dockerConfigDir(ctx), 'config.json')
  const d = ((await dockerConfig(ctx)) as { proxies?: { default?: Record<string, unknown> } } | null)?.proxies?.default
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null)
  const set = d ? { http: str(d.httpProxy), https: str(d.httpsProxy), noProxy: str(d.noProxy) } : null
  return { file, set: hasProxy(set) || set?.noProxy ? set : null }
}

/** A proxy setting as a URL; Go and curl take `proxy:3128` as http://proxy:3128. */
export function proxyUrl(value: string): URL | null {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    return url
  } catch {
    return null
  }
}

export const proxyPort = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80)

/** The proxy an https request to host:port takes under these settings, or null for a direct connection. */
export function proxyFor(host: string, port: number, set: ProxySet): URL | null {
  if (!set.https || bypassed(host, port, set.noProxy)) return null
  return proxyUrl(set.https)
}

/** Go's httpproxy rules: loopback is never proxied; NO_PROXY entries are *, IPs, CIDRs, hosts and domain suffixes, with an optional port. */
export function bypassed(host: string, port: number, noProxy: string | null): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (h === 'localhost' || isLoopbackIp(h)) return true
  for (const raw of (noProxy ?? '').split(',')) {
    let entry = raw.trim().toLowerCase()
    if (!entry) continue
    if (entry === '*') return true
    if (entry.includes('/')) {
      if (inCidr(h, entry)) return true
      continue
    }
    const portMatch = entry.match(/^(.*?)(?::(\d+))?$/)
    if (!isIP(entry) && portMatch?.[2]) {
      if (Number(portMatch[2]) !== port) continue
      entry = portMatch[1]
    }
    if (isIP(entry.replace(/^\[|\]$/g, ''))) {
      if (entry.replace(/^\[|\]$/g, '') === h) return true
      continue
    }
    if (entry.startsWith('*.')) entry = entry.slice(1)
    if (entry.startsWith('.') ? h.endsWith(entry) : h === entry || h.endsWith(`.${entry}`)) return true
  }
  return false
}

function isLoopbackIp(h: string): boolean {
  return (isIP(h) === 4 && h.startsWith('127.')) || h === '::1'
}

/** Is this IP in the CIDR? A host name is not (Go does not resolve names for NO_PROXY either). */
export function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/')
  const family = isIP(net)
  if (!family || family !== isIP(ip)) return false
  const list = new BlockList()
  try {
    list.addSubnet(net, Number(bits), family === 4 ? 'ipv4' : 'ipv6')
    return list.check(ip, family === 4 ? 'ipv4' : 'ipv6')
  } catch {
    return false
  }
}
