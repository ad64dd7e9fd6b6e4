// Enough CPUs, memory and disk for the stacks? Measured where the containers run: CPUs and memory as
// the daemon reports them (on a VM engine, its VM's share, not the Mac's), disk free where Docker
// keeps its data (on this machine, or inside the VM engine's VM with a throwaway container from a
// local image) and where minikube keeps its own.
// Elasticsearch wants 4 GiB for Docker; minikube 2 CPUs, 2 GB and 20 GB of disk.

import { statfs } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { daemonFacts, daemonInVm, isRemote, runInDaemon } from '../lib/docker-facts.js'
import { ENGINE_NAMES, type Engine } from '../lib/docker-engine.js'
import type { Check, Context, Outcome } from '../lib/types.js'

const GiB = 1024 ** 3
export const NEEDS = { cpus: 2, memory: 4 * GiB, dockerDisk: 10 * GiB, minikubeDisk: 20e9 } as const

export const resources = {
  id: 'resources',
  title: 'CPU, memory and disk',
  about: {
    looks: 'the CPUs, memory and disk the engine has',
    why: 'Elasticsearch and MongoDB need a few GiB of memory and disk',
    statuses: { ok: 'enough for the stacks', warn: 'less than the stacks want; they may be slow or be killed' },
  },
  required: false,
  needs: ['docker-daemon'],
  async run(ctx) {
    const d = await daemonFacts(ctx)
    if (!d.ok) return { status: 'skip', summary: 'the Docker daemon does not answer' }
    const inVm = daemonInVm(d, ctx.platform)
    const local = !inVm && !isRemote(d.endpoint)
    const [dockerFree, minikubeFree] = await Promise.all([local ? freeBytes(d.info.DockerRootDir) : inVm ? freeInVm(ctx) : null, freeBytes(minikubeDir(ctx))])
    const vm = inVm ? `${d.engine ? ENGINE_NAMES[d.engine] : 'the engine'}'s VM` : null
    return judgeResources({ cpus: d.info.NCPU, memory: d.info.MemTotal, dockerRoot: d.info.DockerRootDir, dockerFree, minikubeDir: minikubeDir(ctx), minikubeFree, inVm: vm })
  },
  fix: async (ctx) => {
    const d = await daemonFacts(ctx)
    const grow = d.ok && d.engine && daemonInVm(d, ctx.platform) ? GROW_VM[d.engine] : undefined
    if (grow) return { steps: [], manual: `Give ${ENGINE_NAMES[d.engine!]}'s VM more: ${grow}. Free disk with \`docker system df\` to see what Docker holds.` }
    return {
      steps: [],
      manual: ctx.platform.kind === 'macos' || ctx.platform.kind === 'wsl'
        ? 'Give Docker more: Docker Desktop > Settings > Resources (on WSL 2: memory= and processors= under [wsl2] in %USERPROFILE%\\.wslconfig). Free disk with `docker system df` to see what Docker holds.'
        : 'Free disk space (see what Docker holds with `docker system df`) or run on a machine with more CPUs and memory.',
    }
  },
} satisfies Check

/** Each VM engine's own way to give its VM more CPUs and memory (its documented CLI, or its settings). */
const GROW_VM: Partial<Record<Engine, string>> = {
  colima: 'colima stop, then colima start --cpu 4 --memory 8 (GiB)',
  podman: 'podman machine stop, podman machine set --cpus 4 --memory 8192, podman machine start',
  'rancher-desktop': 'rdctl set --virtual-machine.number-cpus 4 --virtual-machine.memory-in-gb 8',
  orbstack: 'OrbStack > Settings > System (memory and CPU limits)',
  'docker-desktop': 'Docker Desktop > Settings > Resources',
}

export interface Measures {
  cpus: number
  memory: number
  dockerRoot: string
  dockerFree: number | null
  minikubeDir: string
  minikubeFree: number | null
  /** The VM the daemon runs in ("colima's VM"), or null when it runs on this machine. */
  inVm: string | null
}

const gib = (n: number) => `${(n / GiB).toFixed(1)} GiB`

export function judgeResources(m: Measures): Outcome {
  const short: string[] = []
  if (m.cpus < NEEDS.cpus) short.push(`${m.cpus} CPU${m.cpus === 1 ? '' : 's'} (minikube needs ${NEEDS.cpus})`)
  if (m.memory < NEEDS.memory) short.push(`${gib(m.memory)} of memory for Docker (Elasticsearch wants ${gib(NEEDS.memory)})`)
  if (m.dockerFree !== null && m.dockerFree < NEEDS.dockerDisk) short.push(`${gib(m.dockerFree)} free under ${m.dockerRoot} (want ${gib(NEEDS.dockerDisk)})`)
  if (m.minikubeFree !== null && m.minikubeFree < NEEDS.minikubeDisk) short.push(`${gib(m.minikubeFree)} free for ${m.minikubeDir} (minikube wants 20 GB)`)
  const details = [
    `daemon: ${m.cpus} CPUs, ${gib(m.memory)}${m.inVm ? ` (${m.inVm})` : ''}`,
    m.dockerFree === null ? `Docker data (${m.dockerRoot}) is not on this machine's disk` : `${gib(m.dockerFree)} free under ${m.dockerRoot}${m.inVm ? ` (measured inside ${m.inVm})` : ''}`,
    m.minikubeFree === null ? `cannot measure free space for ${m.minikubeDir}` : `${gib(m.minikubeFree)} free for ${m.minikubeDir}`,
  ]
  if (short.length) return { status: 'warn', summary: short.join('; '), details }
  const disk = m.dockerFree === null ? '' : `, ${gib(m.dockerFree)} disk free`
  return { status: 'ok', summary: `${m.cpus} CPUs, ${gib(m.memory)} for Docker${disk}`, details }
}

function minikubeDir(ctx: Context): string {
  return ctx.env.MINIKUBE_HOME || join(ctx.home, '.minikube')
}

/** Free bytes on the disk of a VM engine, where a container's root (and so Docker's data) lives: `df -Pk /` in a throwaway container. */
async function freeInVm(ctx: Context): Promise<number | null> {
  const r = await runInDaemon(ctx, 'resources', ['df', '-Pk', '/'])
  if ('skip' in r) return null
  // POSIX df: "Filesystem 1024-blocks Used Available Capacity Mounted on", then one line.
  const available = Number(r.stdout.trim().split('\n').at(-1)?.split(/\s+/)[3])
  return Number.isFinite(available) ? available * 1024 : null
}

/** Free bytes for an unprivileged user on the filesystem holding `path` (or its nearest existing parent). */
async function freeBytes(path: string): Promise<number | null> {
  for (let p = path; ; p = dirname(p)) {
    try {
      const s = await statfs(p)
      return s.bavail * s.bsize
    } catch {
      if (dirname(p) === p) return null
    }
  }
}
