// The plan and its executor. A plan is the failing findings' fix steps, deduplicated by step id and
// ordered by `needs`; each step's `done` guard is asked first, so a second run plans nothing for what
// the first one finished. The executor runs steps one at a time (installers share apt's lock), each
// through the probe with a long bound; a failed step stops the steps that need it, independent steps
// go on, and every command with its output goes to a log file the summary names.

import { appendPrivate, makeDirs } from '../atomic-write.js'
import { join } from 'node:path'
import { shellLine } from '../probe.js'
import type { Context, Finding, Step } from '../types.js'
import { effectiveArgv, PrivilegeError, withSudoPassword } from './privilege.js'

/** Installers download and unpack; a minute is too short, an hour means something hangs. */
export const STEP_TIMEOUT_MS = 15 * 60_000
const DONE_TIMEOUT_MS = 10_000

export interface Plan {
  /** What will run, in order. */
  steps: Step[]
  /** Steps a fix asked for whose `done` guard says they already hold. */
  satisfied: Step[]
  /** Left out with --skip. */
  skipped: Step[]
  /** What a person must do by hand, one line per finding that said so. */
  manual: string[]
}

export interface PlanOptions {
  /** Step ids to leave out (check ids are left out before, by not running their fixes). */
  skipSteps?: string[]
}

/** Findings that want fixing: anything not ok or skip, with a fix. */
export function wantsFix(f: Finding): boolean {
  return f.status !== 'ok' && f.status !== 'skip' && f.fix !== null
}

export async function buildPlan(ctx: Context, findings: readonly Finding[], opts: PlanOptions = {}): Promise<Plan> {
  const byId = new Map<string, Step>()
  const manual: string[] = []
  for (const f of findings.filter(wantsFix)) {
    for (const step of f.fix!.steps) {
      const seen = byId.get(step.id)
      if (seen) {
        // The same step asked for by two checks runs once; both reasons are kept.
        if (seen.reason && !seen.reason.split(', ').includes(f.id)) seen.reason += `, ${f.id}`
        continue
      }
      byId.set(step.id, { ...step, reason: step.reason ?? f.id })
    }
    if (f.fix!.manual) manual.push(`${f.id}: ${f.fix!.manual}`)
  }
  const skip = new Set(opts.skipSteps ?? [])
  const ordered = orderByNeeds([...byId.values()])
  const steps: Step[] = []
  const satisfied: Step[] = []
  const skipped: Step[] = []
  for (const step of ordered) {
    if (skip.has(step.id)) skipped.push(step)
    else if (await isDone(ctx, step)) satisfied.push(step)
    else steps.push(step)
  }
  // A step with no guard of its own (apt-get update) is only worth running for what needs it:
  // when everything that needs it is done or skipped, it is done too. Last first, so chains fold.
  for (const step of [...steps].reverse()) {
    if (step.done) continue
    const dependents = ordered.filter((s) => s.needs?.includes(step.id))
    if (dependents.length > 0 && dependents.every((d) => satisfied.includes(d) || skipped.includes(d))) {
      steps.splice(steps.indexOf(step), 1)
      satisfied.push(step)
    }
  }
  return { steps, satisfied, skipped, manual }
}

async function isDone(ctx: Context, step: Step): Promise<boolean> {
  if (!step.done) return false
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DONE_TIMEOUT_MS)))
  try {
    // A guard that throws or hangs means "not known to be done": the step stays in the plan.
    return await Promise.race([step.done(ctx).catch(() => false), bound])
  } finally {
    clearTimeout(timer)
  }
}

/** Steps in an order where each comes after what it needs; otherwise the order they were asked for. */
export function orderByNeeds(steps: readonly Step[]): Step[] {
  const ids = new Set(steps.map((s) => s.id))
  const out: Step[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const byId = new Map(steps.map((s) => [s.id, s]))
  const visit = (s: Step, path: string[]) => {
    const st = state.get(s.id)
    if (st === 'done') return
    if (st === 'visiting') throw new Error(`steps need each other in a circle: ${[...path, s.id].join(' → ')}`)
    state.set(s.id, 'visiting')
    for (const need of s.needs ?? []) if (ids.has(need)) visit(byId.get(need)!, [...path, s.id])
    state.set(s.id, 'done')
    out.push(s)
  }
  for (const s of steps) visit(s, [])
  return out
}

export type StepStatus = 'ok' | 'failed' | 'blocked'

export interface StepResult {
  id: string
  title: string
  status: StepStatus
  /** What went wrong, naming the command or URL. */
  error?: string
  ms: number
}

export interface ExecOptions {
  logFile: string
  /** Ctrl-C: the running step finishes (a package manager killed mid-way is worse), the rest do not start. */
  signal?: AbortSignal
  /** sudo's password, typed once at the terminal; without it root steps use `sudo -n`. */
  sudoPassword?: string
  onStart?(step: Step): void
  onFinish?(step: Step, result: StepResult): void
}

/** ~/.shipshape/logs/2026-11-25T21-00-00-000Z.log */
export async function newLogFile(ctx: Context): Promise<string> {
  const dir = join(ctx.home, '.shipshape', 'logs')
  await makeDirs(dir, 0o700)
  return join(dir, `${ctx.now().toISOString().replaceAll(':', '-').replace('.', '-')}.log`)
}

export async function executePlan(outer: Context, plan: Plan, opts: ExecOptions): Promise<StepResult[]> {
  const ctx = opts.sudoPassword ? { ...outer, probe: withSudoPassword(outer.probe, opts.sudoPassword) } : outer
  const log = (text: string) => appendPrivate(opts.logFile, text.endsWith('\n') ? text : `${text}\n`)
  const results = new Map<string, StepResult>()
  await log(`# shipshape setup, ${ctx.now().toISOString()}, ${plan.steps.length} step(s)`)
  for (const step of plan.steps) {
    opts.onStart?.(step)
    const started = performance.now()
    const finish = async (status: StepStatus, error?: string) => {
      const r: StepResult = { id: step.id, title: step.title, status, ...(error ? { error } : {}), ms: Math.round(performance.now() - started) }
      results.set(step.id, r)
      await log(`== ${step.id}: ${status}${error ? `: ${error}` : ''}\n`)
      opts.onFinish?.(step, r)
      return r
    }
    const broken = (step.needs ?? []).filter((n) => results.has(n) && results.get(n)!.status !== 'ok')
    await log(`\n== ${step.id}: ${step.title}${step.reason ? ` (for ${step.reason})` : ''}`)
    if (opts.signal?.aborted) {
      await finish('blocked', 'not run: setup was interrupted')
      continue
    }
    if (broken.length > 0) {
      await finish('blocked', `not run: it needs ${broken.join(', ')}, which did not succeed`)
      continue
    }
    try {
      if (step.perform) {
        await log('(done by shipshape itself, not a command)')
        await step.perform(ctx)
        await finish('ok')
        continue
      }
      const argv = await effectiveArgv(ctx, step)
      await log(`$ ${shellLine(argv)}`)
      const bound = step.timeoutMs ?? STEP_TIMEOUT_MS
      const r = await ctx.probe(argv, { timeoutMs: bound, env: { ...ctx.env, DEBIAN_FRONTEND: 'noninteractive' } })
      if (r.stdout) await log(r.stdout)
      if (r.stderr) await log(r.stderr)
      if (r.ok) await finish('ok')
      else await finish('failed', `${shellLine(argv)}: ${r.timedOut ? `no answer within ${bound} ms` : lastLines(r.stderr || r.stdout) || `exit ${r.code}`}`)
    } catch (error) {
      const message = error instanceof PrivilegeError ? error.message : (error as Error)?.message ?? String(error)
      await finish('failed', message)
    }
  }
  return plan.steps.map((s) => results.get(s.id)!)
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-2).join(' ').trim()
}
