// Starting and stopping a rendered stack. Every command goes through the probe (argv only, bounded);
// with --dry-run the same commands are printed instead. Compose: v2's `up --wait` when there is a
// v2, otherwise v1's `up -d` and our own health polling. Kubernetes: kubectl apply, then one wait per
// object, all within one deadline. A stack that does not come up fails with its last log lines.

import { join } from 'node:path'
import { ExitError, UsageError } from '../errors.js'
import { shellLine } from '../probe.js'
import type { Io } from '../command.js'
import type { Prepared } from './prepare.js'
import { urlsOf } from './prepare.js'
import { manifestName } from './render.js'
import { composeCommand } from './validate.js'
import { k8sWaitCommand, lastLogs, pollHealthy, type K8sObjectRef } from './wait.js'

export interface RunOptions {
  project: string
  timeoutMs: number
  dryRun: boolean
  volumes?: boolean
}

export const defaultProject = (stack: string) => `shipshape-${stack}`

export function checkProject(name: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) throw new UsageError(`--project '${name}': a compose project name is lowercase letters, digits, '-' and '_'`)
  return name
}

/** Runs one command, or prints it under --dry-run; a failure ends the command with exit 1. */
function runner(p: Prepared, io: Io, dryRun: boolean) {
  return async (argv: string[], opts: { timeoutMs: number; input?: string; env?: Record<string, string>; allowFail?: boolean }) => {
    if (dryRun) {
      io.stdout.write(`${shellLine(argv)}${opts.input !== undefined ? ' < (rendered file)' : ''}\n`)
      return { ok: true, code: 0, stdout: '', stderr: '', timedOut: false, ms: 0 }
    }
    const r = await p.ctx.probe(argv, { timeoutMs: opts.timeoutMs, input: opts.input, env: opts.env ? { ...p.ctx.env, ...opts.env } : undefined })
    if (!r.ok && !opts.allowFail) {
      const why = r.timedOut ? `did not finish within ${opts.timeoutMs} ms` : `exited ${r.code}`
      throw new ExitError(1, `${shellLine(argv)} ${why}:\n${(r.stderr || r.stdout).trim()}`)
    }
    return r
  }
}

async function compose(p: Prepared): Promise<string[]> {
  const argv = await composeCommand(p.ctx)
  if (!argv) throw new ExitError(1, 'neither `docker compose` nor `docker-compose` is installed; run `shipshape doctor --only docker-compose`')
  return argv
}

function composeFiles(p: Prepared, project: string): string[] {
  const args = ['-p', project, '--project-directory', p.outDir, '-f', join(p.outDir, 'compose.yaml')]
  if (p.rendered.files.some((f) => f.path === '.env')) args.push('--env-file', join(p.outDir, '.env'))
  return args
}

export async function composeUp(p: Prepared, opts: RunOptions, io: Io): Promise<number> {
  const run = runner(p, io, opts.dryRun)
  const cmd = opts.dryRun ? ((await composeCommand(p.ctx)) ?? ['docker', 'compose']) : await compose(p)
  const base = [...cmd, ...composeFiles(p, opts.project)]
  const deadline = Date.now() + opts.timeoutMs
  const v2 = cmd[0] === 'docker'
  if (v2) {
    const r = await run([...base, 'up', '-d', '--wait', '--wait-timeout', String(Math.ceil(opts.timeoutMs / 1000))], { timeoutMs: opts.timeoutMs + 60_000, allowFail: true })
    if (!r.ok) return explainComposeFailure(p, opts, base, io, `${shellLine([...base, 'up'])} failed:\n${(r.stderr || r.stdout).trim()}`)
  } else {
    // v1 itself waits for `depends_on: service_healthy` before starting a dependant, so its own run
    // shares the deadline, and a failure there is explained with the same log lines.
    const r = await run([...base, 'up', '-d'], { timeoutMs: opts.timeoutMs, allowFail: true })
    if (!r.ok) {
      const why = r.timedOut ? `not healthy within ${opts.timeoutMs} ms` : `${shellLine([...cmd, 'up', '-d'])} failed:\n${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`
      return explainComposeFailure(p, opts, base, io, `${p.stack.name}: ${why}`)
    }
    if (opts.dryRun) {
      io.stdout.write(`# then poll \`docker inspect\` until every container is healthy, for at most ${opts.timeoutMs} ms\n`)
      return 0
    }
    const verdict = await pollHealthy({ probe: p.ctx.probe, deadline, containerIds: () => containerIds(p, base) })
    if (!verdict.ready) {
      const why = verdict.failed.length ? 'a service failed' : `not healthy within ${opts.timeoutMs} ms`
      return explainComposeFailure(p, opts, base, io, `${p.stack.name}: ${why}`)
    }
  }
  if (opts.dryRun) return 0
  io.stdout.write(`${p.stack.name} is up (project ${opts.project}).\n`)
  for (const { service, url } of urlsOf(p)) io.stdout.write(`  ${service}: ${url}\n`)
  return 0
}

async function containerIds(p: Prepared, base: string[]): Promise<string[]> {
  const r = await p.ctx.probe([...base, 'ps', '-q'], { timeoutMs: 30_000 })
  return r.ok ? r.stdout.split('\n').map((s) => s.trim()).filter(Boolean) : []
}

async function explainComposeFailure(p: Prepared, opts: RunOptions, base: string[], io: Io, headline: string): Promise<number> {
  const { inspectContainers, judge } = await import('./wait.js')
  const states = await inspectContainers(p.ctx.probe, await containerIds(p, base))
  const verdict = judge(states)
  const culprits = verdict.ready ? [] : [...verdict.failed, ...verdict.waitingFor]
  io.stderr.write(`shipshape: ${headline}\n`)
  for (const c of culprits) {
    io.stderr.write(`\n${c.service}: ${c.status}${c.health ? ` (${c.health})` : ''}${c.status === 'exited' ? `, exit ${c.exitCode}` : ''}; last log lines:\n`)
    const logs = await lastLogs(p.ctx.probe, c.id)
    io.stderr.write(`${logs ? logs.replace(/^/gm, '  ') : '  (no output)'}\n`)
  }
  const pull = pullAdvice(p, headline)
  if (pull) io.stderr.write(`\n${pull}\n`)
  io.stderr.write(`\nThe containers are left as they are for a look; \`${shellLine(downCommandFor(p, opts.project))}\` removes them.\n`)
  return 1
}

/**
 * When the engine could not pull an image, the three ways to get it here: load it from a file, pull
 * through a mirror the team has, or run images that are already here (the stack's image parameters).
 */
export function pullAdvice(p: Pick<Prepared, 'stack' | 'values'>, output: string): string | null {
  if (!/pull access denied|manifest unknown|not found: manifest|error pulling|failed to resolve reference|Get "?https?:\/\/|connection refused|no such host|i\/o timeout|toomanyrequests/i.test(output)) return null
  const params = Object.entries(p.stack.params).filter(([, param]) => param.type === 'image').map(([name]) => name)
  const images = params.map((name) => p.values[name]).filter((v): v is string => typeof v === 'string')
  return [
    `An image could not be pulled${images.length ? ` (${images.join(', ')})` : ''}. Get it here one of three ways:`,
    '  - load it from a file made with `docker save` on a machine that has it: docker load -i IMAGE.tar',
    '  - pull through a mirror your team runs: add it under network.registries in shipshape.yaml (and to the daemon\'s registry-mirrors)',
    `  - use images this machine already has: ${params.map((n) => `--set ${n}=…`).join(' ')}`,
  ].join('\n')
}

/** The `shipshape down` that stops what this run started: its project and target, as this run had them. */
export function downCommandFor(p: Pick<Prepared, 'stack' | 'target'>, project: string): string[] {
  return ['shipshape', 'down', p.stack.name, ...(project === defaultProject(p.stack.name) ? [] : ['--project', project]), ...(p.target === 'k8s' ? ['--target', 'k8s'] : [])]
}

export async function composeDown(p: Prepared, opts: RunOptions, io: Io): Promise<number> {
  const run = runner(p, io, opts.dryRun)
  const cmd = opts.dryRun ? ((await composeCommand(p.ctx)) ?? ['docker', 'compose']) : await compose(p)
  // The rendered text goes in on stdin, so down works even if the output folder is gone.
  const file = p.rendered.files.find((f) => f.path === 'compose.yaml')!
  const argv = [...cmd, '-p', opts.project, '--project-directory', p.outDir === '-' ? p.ctx.cwd : p.outDir, '-f', '-', 'down', ...(opts.volumes ? ['--volumes'] : [])]
  await run(argv, { timeoutMs: opts.timeoutMs, input: file.text, env: p.rendered.secrets })
  if (!opts.dryRun) io.stdout.write(`${p.stack.name} is down (project ${opts.project}); ${opts.volumes ? 'its volumes were removed' : 'volumes are kept (--volumes removes them)'}.\n`)
  return 0
}

function objectsOf(p: Prepared): K8sObjectRef[] {
  return p.rendered.objects.map((o) => ({ kind: String(o.kind), name: String(o.metadata?.name), replicas: o.spec?.replicas }))
}

/** kubectl, in the namespace the render puts its objects in (`namespace=`), if any. */
function kubectlFor(p: Prepared): string[] {
  const ns = p.rendered.objects.find((o) => o.kind === 'Namespace')?.metadata?.name
  return ns ? ['kubectl', '--namespace', String(ns)] : ['kubectl']
}

export async function k8sUp(p: Prepared, opts: RunOptions, io: Io): Promise<number> {
  const run = runner(p, io, opts.dryRun)
  const kubectl = kubectlFor(p)
  const deadline = Date.now() + opts.timeoutMs
  const left = () => Math.max(1, Math.ceil((deadline - Date.now()) / 1000))
  // Each object names its namespace itself; the Namespace, first in the file, is created first.
  await run(['kubectl', 'apply', '-f', join(p.outDir, manifestName(p.stack))], { timeoutMs: 60_000 })
  for (const obj of objectsOf(p)) {
    const argv = k8sWaitCommand(kubectl, obj, left())
    if (!argv) continue
    if (obj.kind !== 'ReplicaSet') {
      const r = await run(argv, { timeoutMs: left() * 1000 + 10_000, allowFail: true })
      if (!r.ok) return k8sFailure(p, obj, io, (r.stderr || r.stdout).trim())
      continue
    }
    if (opts.dryRun) {
      io.stdout.write(`# then poll ${shellLine(argv)} until it prints ${obj.replicas ?? 1}\n`)
      continue
    }
    for (;;) {
      const r = await p.ctx.probe(argv, { timeoutMs: 15_000 })
      if (r.ok && Number(r.stdout.trim() || 0) >= (obj.replicas ?? 1)) break
      if (Date.now() >= deadline) return k8sFailure(p, obj, io, `readyReplicas ${r.stdout.trim() || 0} of ${obj.replicas ?? 1} after ${opts.timeoutMs} ms`)
      await new Promise((res) => setTimeout(res, 2_000))
    }
  }
  if (opts.dryRun) return 0
  io.stdout.write(`${p.stack.name} is up in Kubernetes.\n`)
  let forwarded = false
  const ns = kubectl.slice(1)
  // A headless Service beside a client one is the StatefulSet's identity, not where clients go.
  const services = p.rendered.objects.filter((o) => o.kind === 'Service')
  const clients = services.filter((s) => s.spec?.clusterIP !== 'None')
  for (const svc of clients.length ? clients : services) {
    const name = String(svc.metadata?.name)
    const port = svc.spec?.ports?.[0]?.port
    if (svc.spec?.type === 'NodePort' && (await p.ctx.which('minikube'))) {
      const r = await p.ctx.probe(['minikube', 'service', ...ns, name, '--url'], { timeoutMs: 30_000 })
      if (r.ok && r.stdout.trim()) {
        io.stdout.write(`  ${name}: ${r.stdout.trim().split('\n')[0]}\n`)
        continue
      }
    }
    if (svc.spec?.type === 'ExternalName') {
      io.stdout.write(`  ${name}: an alias for ${svc.spec.externalName}\n`)
      continue
    }
    io.stdout.write(`  ${name}: ${shellLine([...kubectl, 'port-forward', `service/${name}`, `${port}:${port}`])}\n`)
    forwarded = true
  }
  // With the ports forwarded, the stack answers where its compose version does.
  if (forwarded) for (const { service, url } of urlsOf({ ...p, values: { ...p.values, bind: '127.0.0.1' } })) io.stdout.write(`  then ${service}: ${url}\n`)
  return 0
}

async function k8sFailure(p: Prepared, obj: K8sObjectRef, io: Io, why: string): Promise<number> {
  io.stderr.write(`shipshape: ${obj.kind}/${obj.name} did not become ready: ${why}\n`)
  const selector = p.rendered.objects.find((o) => o.kind === obj.kind && o.metadata?.name === obj.name)?.spec?.selector?.matchLabels
  const target = obj.kind === 'Pod' ? [`pod/${obj.name}`] : selector ? ['-l', Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',')] : [`${obj.kind.toLowerCase()}/${obj.name}`]
  const logs = await p.ctx.probe([...kubectlFor(p), 'logs', ...target, '--all-containers', '--tail=20'], { timeoutMs: 15_000 })
  io.stderr.write(`last log lines:\n${`${logs.stdout}${logs.stderr}`.trimEnd().replace(/^/gm, '  ') || '  (no output)'}\n`)
  return 1
}

export async function k8sDown(p: Prepared, opts: RunOptions, io: Io): Promise<number> {
  const run = runner(p, io, opts.dryRun)
  const kubectl = kubectlFor(p)
  // The Namespace stays: deleting it would take the volume claims (and anything else in it) along.
  // The manifest's documents are separated by '---' lines, in the order of the objects.
  const docs = p.rendered.files[0].text.split(/^---\n/m)
  const input = docs.filter((_, i) => p.rendered.objects[i]?.kind !== 'Namespace').join('---\n')
  await run(['kubectl', 'delete', '--ignore-not-found', `--timeout=${Math.ceil(opts.timeoutMs / 1000)}s`, '-f', '-'], { timeoutMs: opts.timeoutMs + 10_000, input })
  // A StatefulSet's volume claims outlive it; they carry its selector's labels.
  for (const set of p.rendered.objects.filter((o) => o.kind === 'StatefulSet')) {
    const labels = Object.entries(set.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',')
    if (opts.volumes) await run([...kubectl, 'delete', 'pvc', '--ignore-not-found', '-l', labels], { timeoutMs: opts.timeoutMs })
  }
  const kept = kubectl.length > 1 ? ` The namespace ${kubectl[2]} is kept (\`kubectl delete namespace ${kubectl[2]}\` removes it and all in it).` : ''
  if (!opts.dryRun) io.stdout.write(`${p.stack.name} is down in Kubernetes; ${opts.volumes ? 'its volume claims were removed' : 'volume claims are kept (--volumes removes them)'}.${kept}\n`)
  return 0
}
