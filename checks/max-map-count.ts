// Elasticsearch wants vm.max_map_count >= 262144. Its bootstrap checks refuse to start a node below
// that only in production mode; every render shipshape makes sets discovery.type=single-node, where
// they are logged as warnings (Elastic's "Bootstrap checks"). What a low value costs there is memory
// maps under load (out-of-memory errors), so it is a warning, and `up` starts. The value that counts is the one in
// the kernel the containers run on: this host's on Linux and WSL 2 (WSL 2 distros and Docker
// Desktop's share one kernel), the VM's on macOS, WSL 1, a VM engine on Linux (Docker Desktop, colima…) or a remote daemon. There we measure inside the
// daemon's kernel with a throwaway container from an image that is already present (nothing is
// pulled), or skip and say why. Required when a stack in use needs it (Elasticsearch), never a failure.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { daemonFacts, daemonInVm, dockerEndpoint, isRemote, runInDaemon } from '../lib/docker-facts.js'
import { provisionFix } from '../lib/provision/fixes.js'
import type { Check, Context, Outcome } from '../lib/types.js'

export const MIN_MAP_COUNT = 262_144

export const maxMapCount = {
  id: 'max-map-count',
  title: 'vm.max_map_count',
  about: {
    looks: 'vm.max_map_count in the kernel the containers run on: this host\'s, or measured inside the engine\'s VM',
    why: 'Elasticsearch maps its index files into memory; below 262144 a single-node render starts (its bootstrap checks only warn) but may run out of memory maps under load',
    statuses: { ok: '262144 or more', warn: 'below 262144; the fix raises it now and after reboots' },
  },
  required: false,
  async run(ctx) {
    const needed = 'elasticsearch' in ctx.config.data.stacks
    const measured = await measure(ctx)
    if ('skip' in measured) return { status: 'skip', summary: measured.skip }
    return judgeMapCount(measured.value, measured.where, needed)
  },
  fix: (ctx, finding) => provisionFix('max-map-count', ctx, finding),
} satisfies Check

export function judgeMapCount(value: number, where: string, needed: boolean): Outcome {
  const version = String(value)
  if (value >= MIN_MAP_COUNT) return { status: 'ok', summary: `${value} (${where}; Elasticsearch needs ${MIN_MAP_COUNT})`, version, details: [where] }
  const use = needed ? 'the elasticsearch stack is in use' : 'only matters if you run Elasticsearch'
  const consequence = 'Elasticsearch starts (single-node, its bootstrap checks only warn) but may run out of memory maps under load and fail with out-of-memory errors'
  return { status: 'warn', required: needed, summary: `${value} is below ${MIN_MAP_COUNT}: ${consequence} (${use})`, version, details: [where] }
}

type Measured = { value: number; where: string } | { skip: string }

async function measure(ctx: Context): Promise<Measured> {
  const p = ctx.platform
  // Linux and WSL 2 share their kernel with a local daemon (WSL 2's Docker Desktop VM is the WSL
  // kernel itself). WSL 1 has no real kernel: its daemon is Docker Desktop's own VM.
  const sharedKernel = p.kind === 'linux' || (p.kind === 'wsl' && p.wsl === 2)
  // Only ask the daemon where it may live elsewhere, so a hung daemon never delays a file read.
  const daemon = sharedKernel && !(await otherEndpoint(ctx)) ? null : await daemonFacts(ctx)
  const elsewhere = Boolean(daemon?.ok && (isRemote(daemon.endpoint) || (p.kind === 'linux' && daemonInVm(daemon, p))))
  if (sharedKernel && !elsewhere) {
    const file = join(ctx.hostRoot, 'proc/sys/vm/max_map_count')
    try {
      return { value: Number.parseInt(await readFile(file, 'utf8'), 10), where: `read from ${file}` }
    } catch (error) {
      return { skip: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}` }
    }
  }
  if (!daemon?.ok) return { skip: `the Docker daemon's kernel is not this host's and the daemon does not answer (${daemon?.ok === false ? daemon.problem : 'unknown'})` }
  const r = await runInDaemon(ctx, 'max-map-count', ['cat', '/proc/sys/vm/max_map_count'])
  if ('skip' in r) return { skip: `${r.skip}; after any \`docker pull\`, this check measures it` }
  const value = Number.parseInt(r.stdout, 10)
  if (!Number.isFinite(value)) return { skip: `could not read it inside the daemon's VM with ${r.image}: ${r.stdout.trim().slice(0, 80)}` }
  return { value, where: `measured inside the daemon's kernel (${daemon.info.OperatingSystem}) with ${r.image}` }
}

/** DOCKER_HOST or a docker context (Docker Desktop for Linux sets one): the daemon may be elsewhere. */
async function otherEndpoint(ctx: Context): Promise<boolean> {
  return Boolean(ctx.env.DOCKER_HOST) || (await dockerEndpoint(ctx)).context !== null
}
