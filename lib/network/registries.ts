// Probes every registry to check once per run, all at once, and shares the result: the registries
// check judges it and the clock check reads the first answer's Date header from it (no second
// request). The proxy is the one the Docker daemon would use (`docker info`), else the
// environment's; the trust is the daemon's (trust.ts). Everything ends inside the check's bound.

import type { Context } from '../types.js'
import { daemonProxy, isDesktopInternal, proxyFor, shellProxy, type ProxySet } from './proxy-settings.js'
import { reachRegistry, type Reach } from './reach.js'
import { resolverFor } from './resolve.js'
import { maskCredentials, registryTargets, type RegistryTarget } from './targets.js'
import { trustFor } from './trust.js'

/** Left of the check's bound for judging and reporting. */
const MARGIN_MS = 300
const DAEMON_WAIT_MS = 1_000

export interface RegistryResult {
  target: RegistryTarget
  /** The proxy used, credentials masked; null for a direct connection. */
  proxy: string | null
  trust: string[]
  reach: Reach
  /** This machine's time when the answer came. */
  at: Date
}

export interface RegistryRun {
  results: RegistryResult[]
  /** Stack images already present in the daemon, not pulled. */
  local: string[]
  invalid: string[]
  /** Whose proxy settings were followed, and why. */
  proxySource: string
}

export function probeRegistries(ctx: Context): Promise<RegistryRun> {
  return ctx.facts.once('registries', async () => {
    const deadline = performance.now() + (ctx.boundMs ?? 3_000) - MARGIN_MS
    const { targets, local, invalid } = await registryTargets(ctx)
    if (targets.length === 0) return { results: [], local, invalid, proxySource: 'none needed' }
    const daemon = await daemonProxy(ctx, Math.min(DAEMON_WAIT_MS, Math.max(0, deadline - performance.now()) / 3))
    let settings: ProxySet
    let proxySource: string
    if (daemon.answered && !(daemon.set.https && isDesktopInternal(daemon.set.https))) {
      settings = daemon.set
      proxySource = daemon.set.https ? "the Docker daemon's proxy (docker info)" : 'no proxy: the Docker daemon has none (docker info)'
    } else {
      settings = shellProxy(ctx.env)
      const why = daemon.answered ? "Docker Desktop forwards to this machine's proxy" : daemon.why
      proxySource = `${settings.https ? 'the environment\'s HTTPS_PROXY' : 'no proxy (none in the environment)'}: ${why}`
    }
    const resolve = resolverFor(ctx, deadline)
    const results = await Promise.all(
      targets.map(async (target): Promise<RegistryResult> => {
        const proxy = proxyFor(target.host, target.port, settings)
        const trust = await trustFor(ctx, target.certsDir)
        const timeoutMs = Math.max(100, Math.round(deadline - performance.now()))
        const reach = await reachRegistry({ host: target.host, port: target.port, proxy, ca: trust.ca, timeoutMs, resolve })
        return { target, proxy: proxy ? maskCredentials(proxy.href.replace(/\/$/, '')) : null, trust: trust.sources, reach, at: ctx.now() }
      }),
    )
    return { results, local, invalid, proxySource }
  })
}
