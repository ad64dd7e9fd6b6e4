// Can this machine pull what it will run? An HTTPS `GET /v2/` to every registry the stacks in use
// pull from and every mirror in `network.registries`, through the daemon's proxy and with the
// daemon's trust (lib/network/registries.ts). 200 or 401 means reachable; every other outcome is
// named with its fix, because "lookup registry-1.docker.io: no such host" at `up` time helps nobody.

import { join } from 'node:path'
import { readBoundedFile } from '../lib/bounded-read.js'
import { shellLine } from '../lib/probe.js'
import { neededByStacks } from '../lib/network/needed.js'
import { probeRegistries, type RegistryResult } from '../lib/network/registries.js'
import type { Problem } from '../lib/network/reach.js'
import type { Check, Context, Fix, Outcome } from '../lib/types.js'

export const registries = {
  id: 'registries',
  title: 'Image registries',
  about: {
    looks: 'an HTTPS GET /v2/ to every registry the stacks in use pull from and every mirror in network.registries, through the daemon\'s proxy and trust',
    why: 'a pull that fails at up time says little; this names the stage (name, connect, proxy, TLS, HTTP) that failed',
    statuses: { ok: 'every registry answers (200 or 401)', fail: 'one does not; the fix names the cause: DNS, a firewall, a proxy, a certificate' },
  },
  required: false,
  network: true,
  async run(ctx) {
    const [run, needed] = await Promise.all([probeRegistries(ctx), neededByStacks(ctx, 'registries')])
    const local = run.local.map((image) => `${image}: present in the daemon, nothing to pull`)
    if (run.results.length === 0 && run.invalid.length === 0) {
      if (local.length) return { status: 'ok', summary: `nothing to pull: the stacks' ${run.local.length === 1 ? 'image is' : 'images are'} already present`, details: local }
      return { status: 'skip', summary: 'no registry to check: no stacks in use and no network.registries in shipshape.yaml' }
    }
    const outcome = judgeRegistries(run.results, run.invalid, needed.length > 0)
    outcome.details = [...local, ...(outcome.details ?? []), `proxy: ${run.proxySource}`]
    if (outcome.status === 'fail') outcome.fix = await registriesFix(ctx, run.results)
    return outcome
  },
} satisfies Check

const label = (r: RegistryResult) => r.target.name

export function judgeRegistries(results: RegistryResult[], invalid: string[], needed: boolean): Outcome {
  const details: string[] = []
  for (const r of results) {
    const via = r.proxy ? `via ${r.proxy}` : 'direct'
    details.push(r.reach.ok ? `${label(r)}: answered ${r.reach.status} in ${r.reach.ms} ms (${via})` : `${label(r)}: ${r.reach.message} (${via})`)
    details.push(`  for ${r.target.why.join('; ')}; trusts ${r.trust.join(', ')}`)
  }
  const bad = results.filter((r) => !r.reach.ok)
  const problems = [...invalid.map((e) => `network.registries: '${e}' is not host[:port] or an https URL`), ...bad.map((r) => `${label(r)}: ${(r.reach as { message: string }).message}`)]
  if (problems.length === 0) return { status: 'ok', summary: `reachable: ${results.map((r) => `${label(r)} (${(r.reach as { status: number }).status})`).join(', ')}`, details }
  // A registry a stack in use pulls from, or any registry when a stack in use needs this check.
  const required = needed || bad.some((r) => r.target.fromStack)
  return { status: 'fail', required, summary: problems.join('; '), details }
}

const CA_PROBLEMS: Problem[] = ['untrusted', 'name-mismatch']

async function registriesFix(ctx: Context, results: RegistryResult[]): Promise<Fix | null> {
  const lines: string[] = []
  const seen = new Set<Problem>()
  for (const r of results) {
    if (r.reach.ok) continue
    const p = r.reach.problem
    if (CA_PROBLEMS.includes(p)) lines.push(...caFix(ctx, r.target.certsDir, r.reach.issuer ?? 'unknown'))
    if (seen.has(p)) continue
    seen.add(p)
    if (p === 'resolve') lines.push(...(await resolveFix(ctx, results.filter((o) => !o.reach.ok && o.reach.problem === 'resolve').map((o) => o.target.host))))
    else if (p === 'refused') lines.push('Something refuses the connection: check the registry\'s host and port (a mirror is host[:port], no path), a firewall, or whether this network needs a proxy for the Docker daemon (see the proxy check).')
    else if (p === 'timeout') lines.push('Nothing answered within the bound: a firewall that drops packets, or a network that needs a proxy for the Docker daemon (see the proxy check). On a slow link, raise --timeout.')
    else if (p === 'proxy-refused' || p === 'proxy-resolve') lines.push("The proxy does not take the connection: check its address where the daemon's proxy is set (`docker info` shows it) and HTTPS_PROXY in your shell; the proxy check tests each one.")
    else if (p === 'proxy-auth') lines.push("The proxy wants credentials: put them in the proxy URL the daemon uses (http://USER:PASSWORD@proxy:port in /etc/systemd/system/docker.service.d/http-proxy.conf, or Docker Desktop's Settings > Resources > Proxies). shipshape never prints them.")
    else if (p === 'not-yet-valid' || p === 'expired') lines.push("A certificate outside its dates usually means this machine's clock is wrong: see the clock check and fix the time first.")
    else if (p === 'http') lines.push('It answers HTTPS but not as a registry: check the address in network.registries (the registry\'s host, not a web page).')
  }
  return lines.length ? { steps: [], manual: [...new Set(lines)].join('\n') } : null
}

/** Where to put the CA that signed the certificate, for each program that must trust it. */
export function caFix(ctx: Context, certsDir: string, issuer: string): string[] {
  const kind = ctx.platform.kind
  const system = kind === 'macos'
    ? '- this machine (Keychain): sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain corp-ca.crt'
    : '- this machine: sudo cp corp-ca.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates'
  const daemon = kind === 'macos'
    ? `- Docker Desktop: add it to the Keychain (above), or put it in ~/.docker/certs.d/${certsDir}/ca.crt, then restart Docker Desktop`
    : kind === 'wsl'
      ? `- the Docker daemon: sudo mkdir -p /etc/docker/certs.d/${certsDir} && sudo cp corp-ca.crt /etc/docker/certs.d/${certsDir}/ca.crt (Docker Desktop: import it into Windows' Trusted Root Certification Authorities and restart Docker Desktop)`
      : `- the Docker daemon: sudo mkdir -p /etc/docker/certs.d/${certsDir} && sudo cp corp-ca.crt /etc/docker/certs.d/${certsDir}/ca.crt`
  return [
    `Get the CA certificate that issued it (${issuer}) from your IT department as corp-ca.crt, then make each program trust it:`,
    system,
    daemon,
    '- minikube: mkdir -p ~/.minikube/certs && cp corp-ca.crt ~/.minikube/certs/ && minikube start --embed-certs',
    '- Node (shipshape, npm): export NODE_EXTRA_CA_CERTS=/path/to/corp-ca.crt',
  ]
}

async function resolveFix(ctx: Context, hosts: string[]): Promise<string[]> {
  // The names this run could not resolve, in the command that asks the system resolver as Docker does.
  const ask = (host: string) => shellLine(ctx.platform.kind === 'macos' ? ['dscacheutil', '-q', 'host', '-a', 'name', host] : ['getent', 'hosts', host])
  const lines = [`The name does not resolve: check your DNS (${hosts.map((h) => `\`${ask(h)}\``).join(', ')}), or a VPN that replaced it.`]
  if (ctx.platform.kind !== 'wsl') return lines
  const resolv = await readBoundedFile(join(ctx.hostRoot, 'etc/resolv.conf'), 64 * 1024).catch(() => '')
  const servers = resolv.split('\n').map((l) => l.match(/^\s*nameserver\s+(\S+)/)?.[1]).filter(Boolean)
  lines.push(
    `On WSL a VPN often breaks DNS: /etc/resolv.conf names ${servers.length ? servers.join(', ') : 'no nameserver'}. ` +
      "Try `wsl --shutdown` after connecting the VPN, set `dnsTunneling=true` under [wsl2] in %USERPROFILE%\\.wslconfig, " +
      'or set `generateResolvConf = false` under [network] in /etc/wsl.conf and write the nameservers the VPN gives you.',
  )
  return lines
}
