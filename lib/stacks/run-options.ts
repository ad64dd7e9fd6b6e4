// What up and down add to the stack flags: the compose project, --dry-run, and the doctor checks a
// stack needs (plus its published ports being free), run before anything starts so a missing daemon
// or a busy port is reported as such.

import { createServer } from 'node:net'
import type { Command } from 'commander'
import { registry } from '../../checks/index.js'
import { render as renderReport } from '../report/index.js'
import { boundFor, buildReport, runChecks, selectChecks } from '../runner.js'
import { toolVersion } from '../paths.js'
import type { Io } from '../command.js'
import type { Finding } from '../types.js'
import { checkProject, defaultProject, type RunOptions } from './apply.js'
import type { Prepared, StackOptions } from './prepare.js'

export interface UpDownOptions extends StackOptions {
  project?: string
  dryRun?: boolean
  timeout: number
  checks?: boolean
}

export function addRunOptions(cmd: Command, verb: 'start' | 'stop' = 'start'): Command {
  return cmd
    .option('--project <name>', 'compose project name (default shipshape-<stack>)')
    .option('--dry-run', 'run the same checks and file comparison, print what would be written and run, change nothing; exits as the real run would')
    .option('--no-checks', `${verb} without the checks the stack needs (when a check is wrong about this machine)`)
    .option('--offline', 'skip the network checks (registries, proxy, clock); network.offline in shipshape.yaml says the same')
}

export function runOptions(stack: string, opts: UpDownOptions): RunOptions {
  return { project: checkProject(opts.project ?? defaultProject(stack)), timeoutMs: opts.timeout, dryRun: Boolean(opts.dryRun) }
}

/**
 * What a stack needs is required for this run: every check in stack.yaml's `needs` for the target
 * must be ok (a warning refuses too: kubectl against no cluster says only "connection refused"), but
 * for the warnings that still run (WARNING_STILL_RUNS), which are shown. The checks see this stack alone, with its
 * values, so another stack's port in shipshape.yaml holds nothing back. Prints the report and the
 * fixes and returns true when the run must stop; --no-checks skips all of it.
 * `purpose` keeps, when stopping, only what stopping needs: the engine (or cluster) answering. Free
 * ports, memory, vm.max_map_count and the network (a registry, a proxy, the clock) matter only for
 * starting.
 */
export async function checkNeeds(p: Prepared, opts: UpDownOptions, io: Io, purpose: 'up' | 'down' = 'up'): Promise<boolean> {
  if (opts.checks === false) return false
  const only = p.stack.needs[p.target].filter((id) => purpose === 'up' || !startOnly(id))
  const verb = purpose === 'up' ? 'start' : 'stop'
  if (only.length > 0) {
    const config = { ...p.ctx.config, data: { ...p.ctx.config.data, stacks: { [p.stack.name]: p.values } } }
    const ctx = { ...p.ctx, config }
    const startedAt = ctx.now()
    const checks = selectChecks(registry, ctx, { only })
    // up is about to wait minutes; a slow answer (docker-compose v1 on a busy machine) is not a missing
    // tool, so each check gets more than doctor's 3 s, and never less than the team configured.
    const timeoutMs = Math.max(CHECK_BOUND_MS, ...checks.map((c) => boundFor(c, ctx, {})))
    const findings = (await runChecks(checks, ctx, { timeoutMs })).map((f) => ({ ...f, required: f.required || only.includes(f.id) }))
    // A skip blocks when a check it needs did not pass (docker-daemon skipped for a missing docker
    // CLI could not tell, and "could not tell" is not "ok"). A skip of its own (does not apply on this
    // platform; the clock with no registry to compare with, as every image is already here) does not.
    const passed = (id: string) => ['ok', 'warn'].includes(findings.find((f) => f.id === id)?.status ?? 'ok')
    const prerequisiteFailed = (id: string) => (checks.find((c) => c.id === id)?.needs ?? []).some((d) => !passed(d))
    const tolerated = (f: Finding) => f.status === 'warn' && WARNING_STILL_RUNS.includes(f.id)
    // Only the stack's own needs decide; a check pulled in as their prerequisite (docker-cli for
    // docker-daemon) counts through them.
    const blocking = findings.filter((f) => only.includes(f.id) && f.status !== 'ok' && (f.status !== 'skip' || prerequisiteFailed(f.id)) && !tolerated(f))
    if (blocking.length > 0) {
      const report = buildReport(findings, ctx, startedAt, toolVersion(), true) // strict: a warning here stops the run
      io.stderr.write(`shipshape: ${p.stack.name} (${p.target}) needs these checks to be ok before shipshape can ${verb} it; not ok: ${blocking.map((f) => `${f.id} (${f.status})`).join(', ')}. Nothing was written or ${purpose === 'up' ? 'started' : 'stopped'}; fix them, or skip the checks with --no-checks.\n`)
      io.stderr.write(await renderReport('human', report, { verbose: false, color: false }))
      return true
    }
    for (const f of findings.filter(tolerated)) io.stderr.write(`shipshape: warning: ${f.id}: ${f.summary}\n`)
    if (opts.dryRun) {
      // A skipped check did not pass: it is listed apart, with why, so "passed" is never a claim about it.
      const passedIds = findings.filter((f) => f.status !== 'skip').map((f) => f.id)
      if (passedIds.length) io.stdout.write(`# checks passed: ${passedIds.join(', ')}\n`)
      for (const f of findings.filter((f) => f.status === 'skip')) io.stdout.write(`# check skipped: ${f.id} (${f.summary})\n`)
    }
  }
  if (purpose === 'up' && p.target === 'compose' && (await portsTaken(p, checkProject(opts.project ?? defaultProject(p.stack.name)), io))) return true
  return false
}

// Every docker-compose warning is a Compose that runs the stacks (v1, a standalone v2, an older
// plugin): up drives each of them, so the warning is shown and the run goes on. A low
// vm.max_map_count is a single-node Elasticsearch that starts and warns (checks/max-map-count.ts).
const WARNING_STILL_RUNS = ['docker-compose', 'max-map-count']

const CHECK_BOUND_MS = 15_000

/** Checks about starting a stack, which stopping it does not need: the host's room, and the network. */
const START_ONLY = ['ports', 'max-map-count', 'resources']
const startOnly = (id: string) => START_ONLY.includes(id) || registry.find((c) => c.id === id)?.network === true

/**
 * The stack's published ports must be free, or held by this very project (up again is fine).
 * Compose would fail too, but later and with "port is already allocated" and no hint.
 */
async function portsTaken(p: Prepared, project: string, io: Io): Promise<boolean> {
  const bind = String(p.values.bind ?? '127.0.0.1')
  const ours = await p.ctx.probe(['docker', 'ps', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Ports}}'], { timeoutMs: 15_000 })
  let taken = false
  for (const { param } of p.stack.ports) {
    const port = Number(p.values[param])
    if (ours.ok && ours.stdout.includes(`:${port}->`)) continue
    if (await canListen(bind, port)) continue
    io.stderr.write(`shipshape: port ${port} on ${bind} is in use by another program; pick another with --set ${param}=…\n`)
    taken = true
  }
  return taken
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    // Only "in use" counts: an address this machine lacks or a low port is for compose to judge.
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'))
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)))
  })
}
