// minikube: installed, its version (cached while the binary is unchanged), and the state of its
// cluster from `minikube status -o json` (never cached). That prints one object for one node and an
// array for several, and exits with a bitmask (1 host, 2 cluster, 4 kubeconfig not OK), so a stopped
// cluster exits non-zero with valid JSON: we read the JSON, not only the code. The driver comes from
// the profile's config.json, a file read instead of another slow minikube start.

import { join } from 'node:path'
import { readJsonObject } from '../lib/bounded-read.js'
import { probeFailed } from '../lib/probe-outcome.js'
import { isRoot } from '../lib/provision/privilege.js'
import { cacheTag, versionOutput } from '../lib/version-cache.js'
import { judgeVersion } from '../lib/versions.js'
import { minikubeStartStep, minikubeSteps } from '../lib/provision/minikube.js'
import { offPathFix } from '../lib/provision/shell-path.js'
import { locateTool, offPathOutcome, pendingPath } from '../lib/tool-path.js'
import type { Check, Context, Fix, Outcome } from '../lib/types.js'

export interface NodeStatus {
  Name: string
  Host: string
  Kubelet: string
  APIServer: string
  Kubeconfig: string
  Worker: boolean
}

export const minikube = {
  id: 'minikube',
  title: 'minikube',
  about: {
    looks: 'the minikube command and the state of its cluster',
    why: 'a local cluster for the k8s target on a laptop',
    statuses: { ok: 'installed, and its cluster runs (or none was made)', warn: 'its cluster is stopped; the fix starts it', fail: 'missing where a local cluster is wanted; the fix installs it' },
  },
  required: true,
  // `minikube status` takes a second or two with the docker driver.
  timeoutMs: 10_000,
  async run(ctx) {
    const loc = await locateTool(ctx, 'minikube')
    if (!loc) return { status: 'fail', summary: 'minikube is not installed', details: [`not on PATH=${ctx.env.PATH ?? ''}`], fix: await minikubeFix(ctx, { install: true }) }
    const off = offPathOutcome('minikube', loc, ctx)
    if (off) return { ...off, fix: await offPathFix(ctx, 'minikube') }
    const bin = loc.bin
    const [v, status, profile] = await Promise.all([
      versionOutput(ctx, bin, ['version', '--output=json']),
      ctx.probe([bin, 'status', '-o', 'json']),
      activeProfile(ctx),
    ])
    const raw = jsonField(v.stdout, 'minikubeVersion')
    const j = judgeVersion('minikube', raw, ctx.config)
    const details = [`${bin}: ${raw ?? v.stdout.trim()}${cacheTag(v)}`]
    // Installed but not answering, or unreadable, is no reason to reinstall it.
    if (!v.ok) return probeFailed(v, `${bin} version --output=json`)
    if (!j.version) return { status: 'error', summary: `cannot read a version from \`${bin} version --output=json\``, details }
    if (!j.meets) return { status: 'fail', summary: `minikube ${raw ?? '(unknown version)'} is older than ${j.floor}`, version: j.version, details, fix: await minikubeFix(ctx, { install: true }) }
    const driver = await profileDriver(ctx, profile)
    if (driver) details.push(`profile ${profile}: driver ${driver}`)
    const { need, ...outcome } = judgeMinikube({ version: raw ?? j.version!, profile, driver, statusOut: status.stdout, statusErr: status.stderr, code: status.code, timedOut: status.timedOut, root: isRoot(ctx) }, details)
    return { ...pendingPath('minikube', loc, outcome), fix: (await minikubeFix(ctx, need)) ?? (loc.offPath ? await offPathFix(ctx, 'minikube') : null) }
  },
} satisfies Check

interface StatusInput {
  version: string
  profile: string
  driver: string | null
  statusOut: string
  statusErr: string
  code: number | null
  timedOut: boolean
  root: boolean
}

/** What the fix must do: install or upgrade, start the cluster, stop running minikube as root. */
export interface Need {
  install?: boolean
  start?: boolean
  root?: boolean
}

export function judgeMinikube(s: StatusInput, details: string[]): Outcome & { need: Need } {
  const version = s.version.replace(/^v/, '')
  const nodes = parseStatus(s.statusOut)
  if (s.timedOut) return { status: 'timeout', summary: `minikube ${s.version}: \`minikube status\` did not answer in time`, version, details, need: {} }
  if (!nodes) {
    const said = `${s.statusOut}\n${s.statusErr}`.trim().split('\n').find((l) => l.trim()) ?? `exit ${s.code}`
    if (/not found|does not exist|no minikube profile/i.test(said)) return { status: 'warn', summary: `minikube ${s.version}; no cluster '${s.profile}' yet`, version, details: [...details, said], need: { start: true } }
    return { status: 'warn', summary: `minikube ${s.version}; status unreadable: ${said}`, version, details, need: {} }
  }
  details.push(...nodes.map((n) => `${n.Name}${n.Worker ? ' (worker)' : ''}: host ${n.Host}, kubelet ${n.Kubelet}, apiserver ${n.APIServer}, kubeconfig ${n.Kubeconfig}`), `minikube status exit code ${s.code}`)
  const down = nodes.filter((n) => !nodeRunning(n))
  const root = s.driver === 'docker' && s.root
  const asRoot = root ? '; the docker driver refuses to run as root (run minikube as your user)' : ''
  if (down.length === nodes.length) {
    return { status: 'warn', summary: `minikube ${s.version}: cluster '${s.profile}' is stopped${asRoot}`, version, details, need: { start: true, root } }
  }
  if (down.length > 0) {
    return { status: 'warn', summary: `minikube ${s.version}: ${down.length} of ${nodes.length} nodes not running: ${down.map((n) => `${n.Name} (host ${n.Host}, kubelet ${n.Kubelet})`).join(', ')}${asRoot}`, version, details, need: { start: true, root } }
  }
  const on = s.driver ? ` on the ${s.driver} driver` : ''
  if (asRoot) return { status: 'warn', summary: `minikube ${s.version}: cluster '${s.profile}' running${on}${asRoot}`, version, details, need: { root } }
  return { status: 'ok', summary: `minikube ${s.version}: cluster '${s.profile}' running${on} (${nodes.length} node${nodes.length === 1 ? '' : 's'})`, version, details, need: {} }
}

function nodeRunning(n: NodeStatus): boolean {
  const api = n.APIServer === 'Running' || n.APIServer === 'Irrelevant'
  return n.Host === 'Running' && n.Kubelet === 'Running' && api
}

/** One object for one node, an array for several; null when stdout holds no status JSON. */
export function parseStatus(stdout: string): NodeStatus[] | null {
  const text = stdout.trim()
  const start = text.search(/[[{]/)
  if (start < 0) return null
  try {
    const doc = JSON.parse(text.slice(start)) as NodeStatus | NodeStatus[]
    const nodes = Array.isArray(doc) ? doc : [doc]
    return nodes.every((n) => typeof n?.Host === 'string') ? nodes : null
  } catch {
    return null
  }
}

function jsonField(stdout: string, field: string): string | null {
  try {
    const v = (JSON.parse(stdout) as Record<string, unknown>)[field]
    return typeof v === 'string' ? v : null
  } catch {
    return null
  }
}

function minikubeHome(ctx: Context): string {
  const home = ctx.env.MINIKUBE_HOME
  if (!home) return join(ctx.home, '.minikube')
  // MINIKUBE_HOME may name the folder itself or its parent.
  return home.endsWith('.minikube') ? home : join(home, '.minikube')
}

async function activeProfile(ctx: Context): Promise<string> {
  const cfg = await readJsonObject(join(minikubeHome(ctx), 'config', 'config.json'))
  return typeof cfg?.profile === 'string' && cfg.profile ? cfg.profile : 'minikube'
}

async function profileDriver(ctx: Context, profile: string): Promise<string | null> {
  const cfg = await readJsonObject(join(minikubeHome(ctx), 'profiles', profile, 'config.json'))
  return typeof cfg?.Driver === 'string' ? cfg.Driver : null
}

export async function minikubeFix(ctx: Context, need: Need): Promise<Fix | null> {
  if (need.install) return { steps: await minikubeSteps(ctx) }
  const steps = need.start ? [minikubeStartStep()] : []
  // No `sudo` here: this advice is read as root, and the chown is a root command.
  const manual = need.root ? 'Run minikube as your own user, not as root. If root left files in your ~/.minikube, give them back (as root): chown -R YOUR_USER /home/YOUR_USER/.minikube' : undefined
  return steps.length || manual ? { steps, ...(manual ? { manual } : {}) } : null
}
