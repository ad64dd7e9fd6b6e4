// Elasticsearch refuses to start when vm.max_map_count < 262144. The value that counts is the one in
// the kernel the containers run on: this host's on Linux and WSL 2 (WSL 2 distros and Docker
// Desktop's share one kernel), the VM's on macOS, WSL 1, Docker Desktop for Linux or a remote daemon. There we measure inside the
// daemon's kernel with a throwaway container from an image that is already present (nothing is
// pulled), or skip and say why. Failure when a stack in use needs it (Elasticsearch), else a warning.

import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { daemonFacts, daemonInVm, dockerEndpoint, isRemote } from '../lib/docker-facts.js'
import { provisionFix } from '../lib/provision/fixes.js'
import type { Check, Context, Outcome } from '../lib/types.js'

export const MIN_MAP_COUNT = 262_144

export const maxMapCount = {
  id: 'max-map-count',
  title: 'vm.max_map_count',
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
  return { status: needed ? 'fail' : 'warn', required: needed, summary: `${value} is below ${MIN_MAP_COUNT}, so Elasticsearch will not start (${use})`, version, details: [where] }
}

type Measured = { value: number; where: string } | { skip: string }

async function measure(ctx: Context): Promise<Measured> {
  const p = ctx.platform
  // Linux and WSL 2 share their kernel with a local daemon (WSL 2's Docker Desktop VM is the WSL
  // kernel itself). WSL 1 has no real kernel: its daemon is Docker Desktop's own VM.
  const sharedKernel = p.kind === 'linux' || (p.kind === 'wsl' && p.wsl === 2)
  // Only ask the daemon where it may live elsewhere, so a hung daemon never delays a file read.
  const daemon = sharedKernel && !(await otherEndpoint(ctx)) ? null : await daemonFacts(ctx)
  const elsewhere = Boolean(daemon?.ok && (isRemote(daemon.endpoint) || (p.kind === 'linux' && daemonInVm(daemon.info))))
  if (sharedKernel && !elsewhere) {
    const file = join(ctx.hostRoot, 'proc/sys/vm/max_map_count')
    try {
      return { value: Number.parseInt(await readFile(file, 'utf8'), 10), where: `read from ${file}` }
    } catch (error) {
      return { skip: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}` }
    }
  }
  if (!daemon?.ok) return { skip: `the Docker daemon's kernel is not this host's and the daemon does not answer (${daemon?.ok === false ? daemon.problem : 'unknown'})` }
  const image = await localImage(ctx)
  if (!image) return { skip: "no image is present locally to measure inside Docker's VM (nothing is pulled); after any `docker pull`, this check measures it" }
  // Named, so a user who sees it in `docker ps -a` knows whose it is.
  const name = `shipshape-max-map-count-${randomBytes(3).toString('hex')}`
  const r = await ctx.probe(['docker', 'run', '--rm', '--name', name, '--network', 'none', '--entrypoint', 'cat', image, '/proc/sys/vm/max_map_count'])
  const value = Number.parseInt(r.stdout, 10)
  if (!r.ok || !Number.isFinite(value)) return { skip: `could not read it inside the daemon's VM with ${image}: ${r.stderr.trim().split('\n')[0] || `exit ${r.code}`}` }
  return { value, where: `measured inside the daemon's kernel (${daemon.info.OperatingSystem}) with ${image}` }
}

/** DOCKER_HOST or a docker context (Docker Desktop for Linux sets one): the daemon may be elsewhere. */
async function otherEndpoint(ctx: Context): Promise<boolean> {
  return Boolean(ctx.env.DOCKER_HOST) || (await dockerEndpoint(ctx)).context !== null
}

async function localImage(ctx: Context): Promise<string | null> {
  // A named image (a test's own, or one a user trusts) wins over picking among what is present.
  if (ctx.env.SHIPSHAPE_MEASURE_IMAGE) return ctx.env.SHIPSHAPE_MEASURE_IMAGE
  const r = await ctx.probe(['docker', 'image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])
  const images = r.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !l.includes('<none>'))
  // Prefer small images that surely have `cat`.
  return images.find((i) => /(^|\/)(busybox|alpine|debian|ubuntu)/.test(i)) ?? images[0] ?? null
}
