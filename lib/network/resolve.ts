// Name resolution for the network checks, bounded for real. The system resolver (getaddrinfo) cannot
// be cancelled: a lookup hung on a VPN's dead nameserver would keep shipshape alive long after its
// report. On Linux and WSL we read /etc/hosts and ask the nameservers of /etc/resolv.conf ourselves
// (what the daemon's Go resolver does too), with a cancellable resolver; on macOS, where VPNs add
// resolvers /etc/resolv.conf does not list, we use the system's.

import { isIP } from 'node:net'
import { join } from 'node:path'
import type { Context } from '../types.js'
import { readCapped } from './trust.js'

export type Resolve = (host: string) => Promise<string[]>

/** The context's resolver (tests inject one), else one that gives up, and lets go, at `deadline` (performance.now() time). */
export function resolverFor(ctx: Context, deadline: number): Resolve {
  if (ctx.resolve) return ctx.resolve
  // node:dns is loaded here, not at start: an offline run never needs it.
  const dns = process.getBuiltinModule('node:dns/promises')
  if (ctx.platform.kind === 'macos') return async (host) => (await dns.lookup(host, { all: true })).map((a) => a.address)
  return async (host) => {
    if (isIP(host)) return [host]
    if (host === 'localhost') return ['127.0.0.1']
    const fromHosts = await hostsFile(ctx, host)
    if (fromHosts.length) return fromHosts
    const resolver = new dns.Resolver({ tries: 1, timeout: Math.max(100, Math.round(deadline - performance.now())) })
    const timer = setTimeout(() => resolver.cancel(), Math.max(0, deadline - performance.now()))
    try {
      const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)])
      const found = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])]
      if (found.length) return found
      const errors = [v4, v6].map((r) => (r.status === 'rejected' ? (r.reason as NodeJS.ErrnoException) : null))
      // "No such name" wins over "no records of this type" for the message.
      throw errors.find((e) => e && e.code !== 'ENODATA') ?? errors[0] ?? new Error('no address')
    } finally {
      clearTimeout(timer)
    }
  }
}

async function hostsFile(ctx: Context, host: string): Promise<string[]> {
  const text = (await readCapped(join(ctx.hostRoot, 'etc/hosts'), 1024 * 1024)) ?? ''
  const wanted = host.toLowerCase()
  const found: string[] = []
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/)
    if (address && isIP(address) && names.some((n) => n.toLowerCase() === wanted)) found.push(address)
  }
  return found
}
