// The plan and its executor. A plan is the failing findings' fix steps, deduplicated by step id and
// ordered by `needs`; each step's `done` guard is asked first, so a second run plans nothing for what
// the first one finished. The executor runs steps one at a time (installers share apt's lock), each
// through the probe with a long bound; a failed step stops the steps that need it, independent steps
// go on, and every command with its output goes to a log file the summary names, line by line as it
// comes, so a step that runs for minutes (apt, a cask, minikube start) can be watched while it runs.
//
// Commands run through the probe (node's spawn), not zx's `$`: a step is an argv, so there is nothing
// for a shell to parse or quote, and the probe already kills the whole process group at the bound;
// zx would add a shell, its `ps`-based kill and its load time to every setup, team steps or not.

import { closeSync, constants, openSync, writeSync } from 'node:fs'
import { appendPrivate, makeDirs } from '../atomic-write.js'
import { join } from 'node:path'
import { shellLine } from '../probe.js'
import type { Context, Finding, Step } from '../types.js'
import { effectiveArgv, PrivilegeError, withSudoPassword } from './privilege.js'

/** Installers download and unpack; a minute is too short, an hour means something hangs. */
export const STEP_TIMEOUT_MS = 15 * 60_000
/** A step silent this long says it is still running, so a hang is not a bare spinner for 15 minutes. */
export const QUIET_MS = 60_000
/** A line with no end in sight is passed on in pieces of this size. */
const MAX_LINE_BYTES = 64 * 1024
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
  /** Steps asked for by no check: a team's onboarding steps (shipshape.yaml's steps), after the fixes. */
  extraSteps?: readonly Step[]
}

/** Findings that want fixing: anything not ok or skip, with a fix. */
export function wantsFix(f: Finding): boolean {
  return f.status !== 'ok' && f.status !== 'skip' && f.fix !== null
}

/** What a person must still do by hand for these findings, one line per check: "docker-host: …". */
export function manualOf(findings: readonly Finding[]): string[] {
  return findings.filter((f) => wantsFix(f) && f.fix!.manual).map((f) => `${f.id}: ${f.fix!.manual}`)
}

export async function buildPlan(ctx: Context, findings: readonly Finding[], opts: PlanOptions = {}): Promise<Plan> {
  const byId = new Map<string, Step>()
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
  }
  for (const step of opts.extraSteps ?? []) if (!byId.has(step.id)) byId.set(step.id, step)
  const manual = manualOf(findings)
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
  /** Each line a running step prints, as it comes (also in the log). */
  onOutput?(step: Step, line: string): void
  /** A step printed nothing for `quietMs`: what to say (still running, for how long). */
  onQuiet?(step: Step, message: string): void
  /** Default QUIET_MS. */
  quietMs?: number
}

/** ~/.shipshape/logs/2026-11-25T21-00-00-000Z.log */
export async function newLogFile(ctx: Context): Promise<string> {
  const dir = join(ctx.home, '.shipshape', 'logs')
  await makeDirs(dir, 0o700)
  return join(dir, `${ctx.now().toISOString().replaceAll(':', '-').replace('.', '-')}.log`)
}

export async function executePlan(outer: Context, plan: Plan, opts: ExecOptions): Promise<StepResult[]> {
  const ctx = opts.sudoPassword ? { ...outer, probe: withSudoPassword(outer.probe, opts.sudoPassword) } : outer
  // The log is made a file of the user's own first (no link followed, 0600), then written through one
  // descriptor, synchronously: lines land in the order they came, at once.
  await appendPrivate(opts.logFile, '')
  const fd = openSync(opts.logFile, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW)
  try {
    return await runSteps(ctx, plan, opts, (text: string) => {
      writeSync(fd, text.endsWith('\n') ? text : `${text}\n`)
    })
  } finally {
    closeSync(fd)
  }
}

async function runSteps(ctx: Context, plan: Plan, opts: ExecOptions, log: (text: string) => void): Promise<StepResult[]> {
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
      const watch = watchOutput(step, opts, log)
      let r
      try {
        const env = { ...ctx.env, DEBIAN_FRONTEND: 'noninteractive' }
        r = await ctx.probe(argv, { timeoutMs: bound, env, ...(step.cwd ? { cwd: step.cwd } : {}), onOutput: watch.chunk })
      } finally {
        watch.end()
      }
      if (r.ok) await finish('ok')
      else await finish('failed', `${shellLine(argv)}: ${r.timedOut ? `no answer within ${bound} ms` : lastLines(r.stderr || r.stdout) || `exit ${r.code}`}`)
    } catch (error) {
      const message = error instanceof PrivilegeError ? error.message : (error as Error)?.message ?? String(error)
      await finish('failed', message)
    }
  }
  return plan.steps.map((s) => results.get(s.id)!)
}

/**
 * Splits a running step's output into lines for the log and onOutput (stdout and stderr apart, so
 * their halves do not mix), and says so when it has printed nothing for opts.quietMs.
 */
function watchOutput(step: Step, opts: ExecOptions, log: (text: string) => void) {
  const started = performance.now()
  const quietMs = opts.quietMs ?? QUIET_MS
  const partial = { stdout: '', stderr: '' }
  const emit = (line: string) => {
    log(line)
    opts.onOutput?.(step, line)
  }
  let timer: NodeJS.Timeout | undefined
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      const message = `still running (${elapsed(performance.now() - started)}), no output for ${elapsed(quietMs)}`
      log(`(${message})`)
      opts.onQuiet?.(step, message)
      arm()
    }, quietMs)
  }
  arm()
  return {
    chunk(stream: 'stdout' | 'stderr', chunk: Buffer) {
      arm()
      const lines = (partial[stream] + chunk.toString('utf8')).split('\n')
      partial[stream] = lines.pop() ?? ''
      for (const line of lines) emit(line)
      while (partial[stream].length > MAX_LINE_BYTES) {
        emit(partial[stream].slice(0, MAX_LINE_BYTES))
        partial[stream] = partial[stream].slice(MAX_LINE_BYTES)
      }
    },
    end() {
      clearTimeout(timer)
      for (const stream of ['stdout', 'stderr'] as const) if (partial[stream]) emit(partial[stream])
    },
  }
}

function elapsed(ms: number): string {
  const s = Math.round(ms / 1000)
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-2).join(' ').trim()
}
