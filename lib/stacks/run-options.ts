// What up and down add to the stack flags: the compose project, --dry-run, and the doctor checks a
// stack needs (plus its published ports being free), run before anything starts so a missing daemon
// or a busy port is reported as such.

import { createServer } from 'node:net'
import type { Command } from 'commander'
import { registry } from '../../checks/index.js'
import { render as renderReport } from '../report/index.js'
import { buildReport, runChecks, selectChecks } from '../runner.js'
import { toolVersion } from '../paths.js'
import type { Io } from '../command.js'
import { checkProject, defaultProject, type RunOptions } from './apply.js'
import type { Prepared, StackOptions } from './prepare.js'

export interface UpDownOptions extends StackOptions {
  project?: string
  dryRun?: boolean
  timeout: number
  checks?: boolean
}

export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--project <name>', 'compose project name (default shipshape-<stack>)')
    .option('--dry-run', 'print the commands, change nothing')
    .option('--no-checks', 'do not run the doctor checks the stack needs first')
}

export function runOptions(stack: string, opts: UpDownOptions): RunOptions {
  return { project: checkProject(opts.project ?? defaultProject(stack)), timeoutMs: opts.timeout, dryRun: Boolean(opts.dryRun) }
}

/** Runs the checks stack.yaml `needs` for this target; true (after printing the report) when one failed. */
export async function checkNeeds(p: Prepared, opts: UpDownOptions, io: Io): Promise<boolean> {
  if (opts.checks === false) return false
  if (p.target === 'compose' && (await portsTaken(p, checkProject(opts.project ?? defaultProject(p.stack.name)), io))) return true
  const only = p.stack.needs[p.target]
  if (only.length === 0) return false
  const startedAt = p.ctx.now()
  // What the stack needs is required for it, whatever the check's default (kube-context is optional
  // for doctor, not for a Kubernetes stack).
  const findings = (await runChecks(selectChecks(registry, p.ctx, { only }), p.ctx)).map((f) => ({ ...f, required: f.required || only.includes(f.id) }))
  const report = buildReport(findings, p.ctx, startedAt, toolVersion())
  if (report.summary.exitCode === 0) return false
  io.stderr.write(`shipshape: ${p.stack.name} needs these checks to pass first (--no-checks skips them):\n`)
  io.stderr.write(await renderReport('human', report, { verbose: false, color: false }))
  return true
}

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
