// The proxy settings of the shell, the Docker daemon and ~/.docker/config.json side by side. The
// common trap: a corporate proxy set in the shell but not for the daemon, so curl works and every
// pull fails; and NO_PROXY without localhost, so health polls and kubectl to minikube go through the
// proxy. A configured proxy that does not accept connections fails.

import { connect, isIP } from 'node:net'
import { neededByStacks } from '../lib/network/needed.js'
import { daemonProxy, dockerConfigProxy, hasProxy, inCidr, isDesktopInternal, proxyPort, proxyUrl, shellProxy, type DaemonProxy, type ProxySet } from '../lib/network/proxy-settings.js'
import { resolverFor, type Resolve } from '../lib/network/resolve.js'
import { maskCredentials } from '../lib/network/targets.js'
import type { Check, Context, Fix, Outcome } from '../lib/types.js'

const DAEMON_WAIT_MS = 1_000
const MARGIN_MS = 300
export const MINIKUBE_NET = '192.168.49.0/24'

export const proxy = {
  id: 'proxy',
  title: 'Proxy settings',
  about: {
    looks: 'HTTP(S)_PROXY and NO_PROXY in the shell and in the daemon\'s settings, and whether each proxy takes connections',
    why: 'the daemon pulls through its own proxy settings, not your shell\'s',
    statuses: { ok: 'no proxy, or the proxies answer and agree', warn: 'the shell and the daemon disagree', fail: 'a proxy does not take connections' },
  },
  required: false,
  network: true,
  async run(ctx) {
    const deadline = performance.now() + (ctx.boundMs ?? 3_000) - MARGIN_MS
    const [shell, daemon, config, minikube, needed] = await Promise.all([
      shellProxy(ctx.env),
      daemonProxy(ctx, Math.min(DAEMON_WAIT_MS, (ctx.boundMs ?? 3_000) / 3)),
      dockerConfigProxy(ctx),
      ctx.which('minikube'),
      neededByStacks(ctx, 'proxy'),
    ])
    const sources: Source[] = [{ name: 'shell', set: shell }, { name: 'daemon', set: daemon.answered ? daemon.set : null }, { name: '~/.docker/config.json', set: config.set }]
    const urls = proxiesOf(sources)
    const timeoutMs = Math.max(100, Math.round(deadline - performance.now()))
    const ask = async (u: { url: string; invalid?: boolean }) => (u.invalid ? INVALID : accepts(resolverFor(ctx, deadline), u.url, timeoutMs))
    const refused = (await Promise.all(urls.map(async (u) => ({ ...u, error: await ask(u) })))).filter((u) => u.error)
    return judgeProxy({ shell, daemon, config: config.set, minikube: minikube !== null, refused, needed: needed.length > 0, platform: ctx.platform.kind })
  },
  fix: (ctx, finding) => proxyFix(ctx, finding.summary),
} satisfies Check

const INVALID = 'not a usable http:// or https:// URL with a port from 1 to 65535'

interface Source {
  name: string
  set: ProxySet | null
}

interface ProxyInput {
  shell: ProxySet
  daemon: DaemonProxy
  config: ProxySet | null
  minikube: boolean
  /** Configured proxies that did not accept a connection, with why. */
  refused: { url: string; where: string; error: string | null }[]
  needed: boolean
  platform: string
}

const show = (set: ProxySet | null) =>
  set && (hasProxy(set) || set.noProxy)
    ? [set.https && `HTTPS_PROXY=${maskCredentials(set.https)}`, set.http && `HTTP_PROXY=${maskCredentials(set.http)}`, set.noProxy && `NO_PROXY=${set.noProxy}`].filter(Boolean).join(' ')
    : 'none'

export function judgeProxy(input: ProxyInput): Outcome {
  const { shell, daemon, config } = input
  const details = [
    `shell: ${show(shell)}`,
    `daemon (docker info): ${daemon.answered ? show(daemon.set) : `unknown: ${daemon.why}`}`,
    `~/.docker/config.json proxies.default (what containers get): ${show(config)}`,
  ]
  const warnings: string[] = []
  const daemonSet = daemon.answered ? daemon.set : null
  const desktopInternal = Boolean(daemonSet?.https && isDesktopInternal(daemonSet.https))
  if (hasProxy(shell) && daemon.answered && !hasProxy(daemon.set)) {
    warnings.push('the shell has a proxy, the Docker daemon none: pulls ignore the shell\'s proxy')
  } else if (shell.https && daemonSet?.https && !desktopInternal && normal(shell.https) !== normal(daemonSet.https)) {
    warnings.push(`the shell's HTTPS_PROXY (${maskCredentials(shell.https)}) and the daemon's (${maskCredentials(daemonSet.https)}) differ`)
  }
  for (const s of [{ name: 'shell', set: shell }, { name: 'daemon', set: daemonSet }, { name: '~/.docker/config.json', set: config }]) {
    if (!s.set || !hasProxy(s.set)) continue
    const missing = missingNoProxy(s.set.noProxy, input.minikube)
    if (missing.length) warnings.push(`NO_PROXY of the ${s.name} lacks ${missing.join(', ')}: local health checks${input.minikube ? ' and kubectl to minikube' : ''} go through the proxy`)
  }
  if (input.refused.length) {
    const refused = input.refused.map((r) => (r.error === INVALID ? `the proxy ${maskCredentials(r.url)} (${r.where}) is invalid: ${INVALID}` : `the proxy ${maskCredentials(r.url)} (${r.where}) does not accept connections (${r.error})`))
    return { status: 'fail', required: input.needed, summary: [...refused, ...warnings].join('; '), details }
  }
  if (warnings.length) return { status: 'warn', summary: warnings.join('; '), details }
  const any = hasProxy(shell) || hasProxy(daemonSet) || hasProxy(config)
  return { status: 'ok', summary: any ? 'the shell, the Docker daemon and ~/.docker/config.json agree, and every proxy accepts connections' : 'no proxy set in the shell, the Docker daemon or ~/.docker/config.json', details }
}

const normal = (u: string) => proxyUrl(u)?.href ?? u

/** What NO_PROXY should hold and does not: localhost and 127.0.0.1, and minikube's network when minikube is in use. */
export function missingNoProxy(noProxy: string | null, minikube: boolean): string[] {
  const entries = (noProxy ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)
  const covers = (ip: string) => entries.some((e) => e === '*' || e === ip || (e.includes('/') && inCidr(ip, e)))
  const missing: string[] = []
  if (!entries.includes('localhost') && !entries.includes('*')) missing.push('localhost')
  if (!covers('127.0.0.1')) missing.push('127.0.0.1')
  if (minikube && !covers('192.168.49.2')) missing.push(MINIKUBE_NET)
  return missing
}

/** Every distinct proxy URL configured anywhere, with where it is set. Docker Desktop's internal one is reachable only from its VM. */
function proxiesOf(sources: Source[]): { url: string; where: string; invalid?: boolean }[] {
  const out = new Map<string, { url: string; where: string; invalid?: boolean }>()
  for (const s of sources) {
    for (const [key, value] of [['HTTPS_PROXY', s.set?.https], ['HTTP_PROXY', s.set?.http]] as const) {
      if (!value || isDesktopInternal(value)) continue
      const url = proxyUrl(value)
      // curl and Go refuse it too (a bracket left open, a port past 65535): say so rather than pass it over.
      if (!url) {
        out.set(`invalid ${value}`, { url: value, where: `${s.name} ${key}`, invalid: true })
        continue
      }
      const k = `${url.hostname}:${proxyPort(url)}`
      const have = out.get(k)
      if (have) have.where += `, ${s.name} ${key}`
      else out.set(k, { url: value, where: `${s.name} ${key}` })
    }
  }
  return [...out.values()]
}

/** null when the proxy accepts a TCP connection within the bound, else why not. */
function accepts(lookupHost: Resolve, value: string, timeoutMs: number): Promise<string | null> {
  const url = proxyUrl(value)!
  const host = url.hostname.replace(/^\[|\]$/g, '')
  return new Promise((resolve) => {
    let socket: ReturnType<typeof connect> | null = null
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs)
    const finish = (why: string | null) => {
      clearTimeout(timer)
      socket?.destroy()
      resolve(why)
    }
    const address = isIP(host) ? Promise.resolve(host) : lookupHost(host).then((a) => a[0] ?? Promise.reject(new Error('no address')))
    address.then(
      (ip) => {
        socket = connect({ host: ip, port: proxyPort(url) })
        socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message))
        socket.once('connect', () => finish(null))
      },
      (error: NodeJS.ErrnoException) => finish(`cannot resolve ${host}: ${error.code ?? error.message}`),
    )
  })
}

export function proxyFix(ctx: Context, summary: string): Fix | null {
  const lines: string[] = []
  if (/does not accept connections/.test(summary)) lines.push('Correct or remove the proxy named above where it is set (the shell\'s rc file, the daemon\'s drop-in or Docker Desktop, ~/.docker/config.json), or start it.')
  if (/daemon none|differ/.test(summary)) {
    if (ctx.platform.kind === 'macos') lines.push("Set the proxy for Docker in Docker Desktop: Settings > Resources > Proxies (manual), then Apply & restart.")
    else {
      lines.push(
        "Give the daemon the shell's proxy: sudo mkdir -p /etc/systemd/system/docker.service.d, then write /etc/systemd/system/docker.service.d/http-proxy.conf:",
        '    [Service]',
        '    Environment="HTTP_PROXY=http://proxy.example:3128" "HTTPS_PROXY=http://proxy.example:3128" "NO_PROXY=localhost,127.0.0.1"',
        'and run: sudo systemctl daemon-reload && sudo systemctl restart docker',
      )
      if (ctx.platform.kind === 'wsl') lines.push("With Docker Desktop: Settings > Resources > Proxies instead.")
    }
  }
  if (/NO_PROXY/.test(summary)) lines.push(`Add localhost,127.0.0.1${/192\.168\.49/.test(summary) ? `,${MINIKUBE_NET}` : ''} to NO_PROXY (and no_proxy) where the proxy is set.`)
  return lines.length ? { steps: [], manual: lines.join('\n') } : null
}
