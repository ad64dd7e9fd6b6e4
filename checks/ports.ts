// The host ports the stacks in use publish must be free on 127.0.0.1, or held by this project's own
// running stack. A TCP connect tells in about a millisecond; when something holds a port we name it
// if the daemon knows it (a container name), else say how to find the process.

import { connect } from 'node:net'
import { runningContainers, type ContainerRow } from '../lib/docker-facts.js'
import { hostPorts, type HostPort } from '../lib/stacks/declared.js'
import type { Check, Outcome } from '../lib/types.js'

/** Compose projects shipshape starts are named with this prefix (the stacks' `up`). */
export const OWN_PROJECT_PREFIX = 'shipshape'
const CONNECT_TIMEOUT_MS = 500

export const ports = {
  id: 'ports',
  title: 'Stack ports',
  about: {
    looks: 'whether the host ports the stacks in use publish are free on 127.0.0.1, and what holds a taken one',
    why: 'a taken port fails up with \'port is already allocated\'',
    statuses: { ok: 'free, or held by this project\'s own stack', warn: 'a default port is taken (no stack in use)', fail: 'a port a stack in use needs is taken; the fix names the parameter that moves it' },
  },
  required: false,
  async run(ctx) {
    const inUse = Object.keys(ctx.config.data.stacks)
    const wanted = await hostPorts(ctx.config.data.stacks)
    if (wanted.length === 0) return { status: 'ok', summary: `no host ports known for the stacks in use (${inUse.join(', ')})` }
    const busy = await Promise.all(wanted.map((p) => isListening('127.0.0.1', p.port)))
    const taken = wanted.filter((_, i) => busy[i])
    const containers = taken.length ? await runningContainers(ctx) : null
    return judgePorts(wanted, taken, containers, inUse.length > 0)
  },
  fix: (_ctx, finding) => {
    // The parameter path of each taken port, as judgePorts noted it: stacks.echo.port, not a placeholder.
    const paths = finding.details.map((d) => /^set another port with (\S+)/.exec(d)?.[1]).filter(Boolean)
    const where = paths.length ? paths.join(', ') : "the stack's port parameter under stacks"
    return { steps: [], manual: `Stop what holds the port, or change the stack's host port in shipshape.yaml (${where}). ${finding.details.filter((d) => d.startsWith('find it')).join(' ')}`.trim() }
  },
} satisfies Check

type Wanted = HostPort

export function judgePorts(wanted: Wanted[], taken: Wanted[], containers: ContainerRow[] | null, configured: boolean): Outcome {
  const list = wanted.map((w) => w.port).join(', ')
  const scope = configured ? 'stacks in use' : 'default stack ports'
  const foreign: string[] = []
  const own: string[] = []
  for (const t of taken) {
    const holder = containers?.find((c) => publishes(c.Ports, t.port))
    const project = holder?.Labels.match(/com\.docker\.compose\.project=([^,]+)/)?.[1]
    if (holder && project?.startsWith(OWN_PROJECT_PREFIX)) own.push(`${t.port} (${t.what}) held by this project's ${holder.Names}`)
    else if (holder) foreign.push(`${t.port} (${t.what}) is taken by container ${holder.Names}`)
    else foreign.push(`${t.port} (${t.what}) is taken by a process outside Docker`)
  }
  const paths = taken.filter((t) => t.param && !own.some((o) => o.startsWith(`${t.port} `))).map((t) => `set another port with stacks.${t.stack}.${t.param} (or --set ${t.param}=… on render and up)`)
  const details = [...own, ...foreign, ...paths, ...(taken.some((t) => !containers?.some((c) => publishes(c.Ports, t.port))) ? [`find it with: ss -ltnp 'sport = :${taken[0].port}' (Linux) or lsof -nP -iTCP:${taken[0].port} -sTCP:LISTEN (macOS)`] : [])]
  if (foreign.length === 0) return { status: 'ok', summary: `${list} free on 127.0.0.1${own.length ? ` (${own.length} held by this project's stack)` : ''} (${scope})`, details }
  return { status: configured ? 'fail' : 'warn', required: configured, summary: foreign.join('; '), details }
}

/** Does a `docker ps` Ports column ("0.0.0.0:9200->9200/tcp, :::9200->9200/tcp") publish this host port? */
export function publishes(portsColumn: string, port: number): boolean {
  return portsColumn.split(',').some((p) => new RegExp(`:${port}->`).test(p.trim()))
}

/** true when something accepts TCP connections on host:port. */
export function isListening(host: string, port: number, timeoutMs = CONNECT_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (listening: boolean) => {
      socket.destroy()
      resolve(listening)
    }
    socket.setTimeout(timeoutMs, () => done(true)) // a silent accept is still a holder; a filtered port is not expected on loopback
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}
