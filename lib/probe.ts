// The one way shipshape runs an external command. zx does the spawning; this wrapper adds what a
// health check needs: argv only (zx quotes each element, so no value is ever parsed by the shell),
// stdin closed, a hard time bound that kills the whole process group, and no exceptions: a missing
// tool, a crash and a hang all come back as a ProbeResult the check can judge.

import { trackGroup } from './live-probes.js'
import type { ChildProcess } from 'node:child_process'
import type { Env, Probe, ProbeResult } from './types.js'

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000
/** After the kill, how long we wait for the child to be reaped before giving up on it. */
const REAP_GRACE_MS = 1_000
/** The most a probe keeps of stdout and of stderr; a child that writes more is killed with its group. */
export const MAX_PROBE_OUTPUT_BYTES = 4 * 1024 * 1024
/**
 * After the child exits, how long its pipes may stay open: a grandchild that left the process group
 * (setsid) keeps them open and would keep shipshape alive; after this they are closed on our side.
 */
const PIPE_GRACE_MS = 500

export interface ProbeDefaults {
  env: Env
  cwd?: string
}

export function createProbe(defaults: ProbeDefaults): Probe {
  return async (argv, opts = {}) => {
    const started = performance.now()
    const ms = () => Math.round(performance.now() - started)
    if (argv.length === 0) throw new TypeError('probe needs a command')
    if (opts.signal?.aborted) return { ok: false, code: null, stdout: '', stderr: 'aborted before start', timedOut: true, ms: 0 }

    const { $ } = await import('zx/core')
    const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS
    const env = cleanEnv(opts.env ?? defaults.env)
    const p = $({
      nothrow: true,
      quiet: true,
      verbose: false,
      // Its own process group, so the kill reaches grandchildren (a shell, a plugin) too.
      detached: true,
      env,
      cwd: opts.cwd ?? defaults.cwd,
      input: opts.input,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })`${argv}`
    // A child that exits without reading its input (EPIPE) is judged by its exit code, not a crash.
    p.stdin?.on('error', () => {})
    // zx writes and closes stdin only for a non-empty input; `crontab -` given '' would wait forever.
    if (opts.input === '') p.stdin?.end()
    // Ctrl-C does not reach a detached group: remember it, so the interrupt handler can end it.
    const forget = trackGroup(p.pid)
    const bounds = boundOutput(p.child)

    let timedOut = false
    const kill = () => {
      timedOut = true
      // The child leads its own process group, so one signal reaches what it started. Not zx's kill
      // (nor its timeout option): it lists the tree with `ps` first, and where `ps` is missing
      // (Debian's minbase, most container images) it throws from a callback, crashing the CLI,
      // and kills nothing.
      const pid = p.pid
      if (pid) {
        try {
          process.kill(-pid, 'SIGKILL')
        } catch {}
      }
    }
    opts.signal?.addEventListener('abort', kill, { once: true })
    const timer = setTimeout(kill, timeoutMs)
    // zx resolves once the child is reaped; a child stuck in the kernel may never be. Bound that too.
    let giveUp: NodeJS.Timeout | undefined
    const abandoned = new Promise<null>((resolve) => {
      giveUp = setTimeout(() => resolve(null), timeoutMs + REAP_GRACE_MS)
    })
    try {
      const out = await Promise.race([p, abandoned])
      if (!out) return { ok: false, code: null, stdout: '', stderr: `no answer within ${timeoutMs} ms`, timedOut: true, ms: ms() }
      if (bounds.overflow) {
        const stderr = `${bounds.overflow} passed ${MAX_PROBE_OUTPUT_BYTES} bytes: the command was stopped`
        return { ok: false, code: out.exitCode, stdout: out.stdout.slice(0, MAX_PROBE_OUTPUT_BYTES), stderr, timedOut: false, ms: ms() }
      }
      const killed = timedOut || out.signal === 'SIGKILL'
      const result: ProbeResult = {
        ok: out.exitCode === 0 && !killed,
        code: out.exitCode,
        stdout: out.stdout,
        stderr: out.stderr,
        timedOut: killed,
        ms: ms(),
      }
      if (killed && !result.stderr) result.stderr = `no answer within ${timeoutMs} ms`
      return result
    } catch (error) {
      return { ok: false, code: null, stdout: '', stderr: String((error as Error)?.message ?? error), timedOut: false, ms: ms() }
    } finally {
      forget()
      clearTimeout(timer)
      clearTimeout(giveUp)
      bounds.done()
      opts.signal?.removeEventListener('abort', kill)
    }
  }
}

/** Counts a child's output (killing its group past the cap) and closes its pipes soon after it exits. */
function boundOutput(child: ChildProcess | undefined): { overflow: 'stdout' | 'stderr' | null; done(): void } {
  const state = { overflow: null as 'stdout' | 'stderr' | null, done: () => {} }
  if (!child) return state
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL')
    } catch {
      child.kill('SIGKILL')
    }
  }
  for (const name of ['stdout', 'stderr'] as const) {
    let bytes = 0
    child[name]?.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > MAX_PROBE_OUTPUT_BYTES && !state.overflow) {
        state.overflow = name
        killGroup()
      }
    })
  }
  let grace: NodeJS.Timeout | undefined
  child.once('exit', () => {
    grace = setTimeout(() => {
      child.stdout?.destroy()
      child.stderr?.destroy()
    }, PIPE_GRACE_MS)
    grace.unref()
  })
  state.done = () => clearTimeout(grace)
  return state
}

// Child processes get a predictable locale (we parse their output) and no undefined values.
function cleanEnv(env: Env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  out.LC_ALL = 'C'
  return out
}

/** A command line for people to read or paste, quoted for POSIX shells. Never executed. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ')
}

function quoteArg(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./~-]+$/.test(arg)) return arg
  return `'${arg.replaceAll("'", `'\\''`)}'`
}
