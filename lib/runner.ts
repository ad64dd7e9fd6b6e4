// Runs checks: every independent check starts at once, each within its own bound; a check waits only
// for the checks it `needs`. A check that throws becomes `error`, one that passes its bound becomes
// `timeout` and its child processes are killed; neither stops the run.

import { UsageError } from './errors.js'
import { settleFix, type ProbeRecord } from './provision/advice.js'
import { closest } from './suggest.js'
import type { Check, Context, Finding, Fix, Outcome, Probe, Report, Status, Summary } from './types.js'
import { visible } from './model/visible-text.js'

export const DEFAULT_CHECK_TIMEOUT_MS = 3_000
/** The default bound of a version probe with nothing cached (Check.versionProbe). */
export const COLD_CHECK_TIMEOUT_MS = 10_000
export const OFFLINE_SUMMARY = 'offline (--offline or network.offline in shipshape.yaml): the network is not checked'

export interface RunOptions {
  only?: string[]
  skip?: string[]
  /** --timeout: one bound for every check, above any configured one. */
  timeoutMs?: number
  /** Aborting stops the run: checks not yet started are skipped, running ones end and their probes are killed. */
  signal?: AbortSignal
  onStart?(check: Check): void
  onFinish?(finding: Finding): void
}

/** Which checks run, in registry order: --only (plus what they need), minus --skip and disabled ones. */
export function selectChecks(registry: readonly Check[], ctx: Context, opts: Pick<RunOptions, 'only' | 'skip'>): Check[] {
  const byId = new Map(registry.map((c) => [c.id, c]))
  for (const id of [...(opts.only ?? []), ...(opts.skip ?? [])]) {
    if (!byId.has(id)) throw unknownCheck(id, [...byId.keys()])
  }
  const wanted = new Set<string>()
  const add = (id: string) => {
    if (wanted.has(id)) return
    wanted.add(id)
    for (const need of byId.get(id)?.needs ?? []) add(need)
  }
  for (const c of opts.only?.length ? opts.only.map((id) => byId.get(id)!) : registry) add(c.id)
  for (const id of opts.skip ?? []) wanted.delete(id)
  return registry.filter((c) => wanted.has(c.id) && ctx.config.data.checks[c.id]?.enabled !== false)
}

/** An id that names no check: exit 2 with the nearest one, or the list when none is near. */
export function unknownCheck(id: string, known: readonly string[]): UsageError {
  const near = closest(id, known)
  return new UsageError(`unknown check id '${id}'. ${near ? `Did you mean '${near}'?` : `Known: ${known.join(', ')}`}`)
}

export function boundFor(check: Check, ctx: Context, opts: RunOptions): number {
  return opts.timeoutMs ?? ctx.config.data.checks[check.id]?.timeoutMs ?? ctx.config.data.timeoutMs ?? check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS
}

/** A version probe's bound when nothing is cached and no bound was set; null otherwise. */
async function coldBound(check: Check, ctx: Context, opts: RunOptions): Promise<number | null> {
  if (!check.versionProbe || opts.timeoutMs !== undefined || ctx.config.data.checks[check.id]?.timeoutMs !== undefined || ctx.config.data.timeoutMs !== undefined) return null
  const { cacheIsCold } = await import('./version-cache.js')
  return (await cacheIsCold(ctx)) ? Math.max(COLD_CHECK_TIMEOUT_MS, check.timeoutMs ?? 0) : null
}

export async function runChecks(checks: readonly Check[], given: Context, opts: RunOptions = {}): Promise<Finding[]> {
  // Checks and their fixes' guards only read, so each tool is looked up on PATH once per run however
  // many ask (docker: four); setup's look after it installs is a run of its own.
  const ctx: Context = { ...given, which: lookedUpOnce(given.which) }
  for (const check of checks) {
    if (check.prefetch && !skipReason(check, ctx) && !opts.signal?.aborted) check.prefetch({ ...ctx, boundMs: boundFor(check, ctx, opts) })
  }
  const pending = new Map<string, Promise<Finding>>()
  const start = (check: Check): Promise<Finding> => {
    let p = pending.get(check.id)
    if (!p) {
      p = runOne(check, ctx, opts, async () => {
        const deps: Record<string, Finding> = {}
        for (const id of check.needs ?? []) {
          const need = checks.find((c) => c.id === id)
          // A prerequisite the user --skip'ped is taken as satisfied: they asked us not to look.
          if (need) deps[id] = await start(need)
        }
        return deps
      })
      pending.set(check.id, p)
    }
    return p
  }
  return Promise.all(checks.map(start))
}

async function runOne(check: Check, ctx: Context, opts: RunOptions, waitForNeeds: () => Promise<Record<string, Finding>>): Promise<Finding> {
  const configured = ctx.config.data.checks[check.id]?.required
  const base = { id: check.id, title: check.title, required: configured ?? check.required }
  const deps = await waitForNeeds()
  const finish = (f: Finding) => {
    opts.onFinish?.(f)
    return f
  }
  const skip = (summary: string, blockedBy: string[] = []) =>
    finish({ ...base, status: 'skip', summary, version: null, details: [], durationMs: 0, fix: null, ...(blockedBy.length ? { blockedBy } : {}) })

  const reason = skipReason(check, ctx)
  if (reason) return skip(reason)
  const blocked = Object.values(deps).filter((d) => d.status !== 'ok' && d.status !== 'warn')
  if (blocked.length > 0) {
    const why = blocked.map((d) => `${d.id} ${STATUS_WORDS[d.status]}`).join(', ')
    // A prerequisite that was itself skipped for a reason of its own (offline, another platform) blocks
    // nothing that counts; one that failed, or was blocked in turn, leaves this check unable to tell.
    const failed = blocked.filter((d) => d.status !== 'skip' || d.blockedBy?.length).map((d) => d.id)
    return skip(`skipped: ${why}`, failed)
  }

  if (opts.signal?.aborted) {
    return skip('skipped: the run was stopped')
  }
  opts.onStart?.(check)
  const bound = await coldBound(check, ctx, opts) ?? boundFor(check, ctx, opts)
  const abort = new AbortController()
  const probes: ProbeRecord[] = []
  const scoped: Context = { ...ctx, probe: boundProbe(ctx.probe, abort.signal, bound, probes), boundMs: bound }
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      abort.abort()
      resolve({ status: 'timeout', summary: `no answer within ${bound} ms`, details: [`raise the bound with --timeout or checks.${check.id}.timeoutMs in shipshape.yaml`] })
    }, bound)
  })
  let onStop: (() => void) | undefined
  const stopped = new Promise<Outcome>((resolve) => {
    onStop = () => {
      abort.abort()
      resolve({ status: 'error', summary: 'stopped before it finished: the run was stopped' })
    }
    opts.signal?.addEventListener('abort', onStop, { once: true })
  })
  let outcome: Outcome
  let cutOff = false
  try {
    outcome = await Promise.race([Promise.resolve().then(() => check.run(scoped, deps)), timedOut, stopped])
  } catch (error) {
    const err = error as Error
    outcome = { status: 'error', summary: `the check itself failed: ${err?.message ?? String(error)}`, details: err?.stack ? err.stack.split('\n').slice(1, 4).map((l) => l.trim()) : [] }
  } finally {
    clearTimeout(timer)
    cutOff = abort.signal.aborted
    if (onStop) opts.signal?.removeEventListener('abort', onStop)
  }
  const finding: Finding = {
    ...base,
    required: configured ?? outcome.required ?? check.required,
    status: outcome.status,
    // What a check found may quote the daemon, a kubeconfig or a tool: no control character reaches a terminal.
    summary: visible(outcome.summary),
    version: outcome.version == null ? null : visible(outcome.version),
    details: (outcome.details ?? []).map(visible),
    durationMs: Math.round(performance.now() - started),
    fix: null,
    ...(outcome.engine !== undefined ? { engine: outcome.engine } : {}),
  }
  if (finding.status !== 'ok' && finding.status !== 'skip') {
    // Only a known cause gets steps; a timeout or error says how to look instead (provision/advice.ts).
    // A check cut off at its bound may still be waiting on what its fix would read: do not ask it.
    const fix = cutOff || opts.signal?.aborted ? null : await fixFor(check, ctx, finding, outcome.fix)
    finding.fix = await settleFix(ctx, finding, fix, { probes, boundMs: bound })
  }
  return finish(finding)
}

function lookedUpOnce(which: Context['which']): Context['which'] {
  const found = new Map<string, Promise<string | null>>()
  return (cmd) => {
    if (!found.has(cmd)) found.set(cmd, which(cmd))
    return found.get(cmd)!
  }
}

/** Why `check` does not run here at all, whatever the checks it needs say; null when it runs. */
function skipReason(check: Check, ctx: Context): string | null {
  if (check.appliesTo && !check.appliesTo(ctx.platform)) return `does not apply on ${ctx.platform.kind}`
  if (check.network && ctx.offline) return OFFLINE_SUMMARY
  return null
}

async function fixFor(check: Check, ctx: Context, finding: Finding, given: Fix | null | undefined): Promise<Fix | null> {
  if (given !== undefined) return given
  if (!check.fix) return null
  try {
    return (await check.fix(ctx, finding)) ?? null
  } catch (error) {
    finding.details.push(`could not work out a fix: ${(error as Error).message}`)
    return null
  }
}

// Every probe a check makes is killed when the check's bound passes, and never outlives it. Each is
// recorded, so a check that could not learn its answer can name the command to run by hand.
function boundProbe(probe: Probe, signal: AbortSignal, bound: number, seen: ProbeRecord[]): Probe {
  return async (argv, o = {}) => {
    const record: ProbeRecord = { argv: [...argv], settled: false, timedOut: false, code: null }
    seen.push(record)
    const r = await probe(argv, { ...o, signal, timeoutMs: Math.min(o.timeoutMs ?? bound, bound) })
    Object.assign(record, { settled: true, timedOut: r.timedOut, code: r.code })
    return r
  }
}

/**
 * Whether a finding makes the run exit 1: a required check that failed, timed out or errored; with
 * --strict any check that did, and any warning. The exit code and every format's pass/fail (TAP,
 * JUnit) follow this one rule, so a CI harness and doctor never disagree.
 */
export function failsRun(f: Pick<Finding, 'status' | 'required' | 'blockedBy'>, strict = false): boolean {
  const bad = f.status === 'fail' || f.status === 'timeout' || f.status === 'error' || (f.status === 'skip' && Boolean(f.blockedBy?.length))
  return (bad && f.required) || (strict && (bad || f.status === 'warn'))
}

/**
 * The verdict every format says, from the exit code failsRun decides: human's summary, setup's last
 * line, the Markdown report, /healthz and shipshape_ready (through their code) all read it here.
 */
export const verdictOf = (exitCode: number): 'Ready' | 'Not ready' => (exitCode === 0 ? 'Ready' : 'Not ready')

/** What "Ready" means, for help texts and HELP lines, so no text claims more or less than the rule. */
export const READY_MEANS = 'every required check is ok or warn, and none was skipped because a check it needs did not pass'

/** A status as a person says it: "docker-cli failed", "kubectl timed out". */
export const STATUS_WORDS: Record<Status, string> = { ok: 'is ok', warn: 'warned', fail: 'failed', skip: 'was skipped', timeout: 'timed out', error: 'errored' }

export function summarise(findings: readonly Finding[], strict = false): Summary {
  const counts: Record<Status, number> = { ok: 0, warn: 0, fail: 0, skip: 0, timeout: 0, error: 0 }
  let exitCode = 0
  for (const f of findings) {
    counts[f.status]++
    if (failsRun(f, strict)) exitCode = 1
  }
  return { ...counts, exitCode }
}

export function buildReport(findings: Finding[], ctx: Context, startedAt: Date, version: string, strict = false): Report {
  return {
    tool: 'shipshape',
    version,
    startedAt: startedAt.toISOString(),
    durationMs: Math.max(0, ctx.now().getTime() - startedAt.getTime()),
    platform: ctx.platform,
    summary: summarise(findings, strict),
    checks: findings,
  }
}
