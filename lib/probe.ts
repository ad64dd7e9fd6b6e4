// The one way shipshape runs an external command: argv only (no shell ever parses a value), stdin
// closed unless there is input to give, a hard time bound that kills the whole process group, output
// bounded in bytes, and no exceptions: a missing tool, a crash and a hang all come back as a
// ProbeResult the check can judge. node's own spawn does it: zx, which this wrapped before, costs
// more to load than a bare node start (more than doctor's every other module together), ran each
// command through bash, and left us none of its own parts (its kill needs `ps`).

import type { ChildProcess } from 'node:child_process'
import { trackGroup } from './live-probes.js'
import type { Env, Probe, ProbeResult } from './types.js'
import { shLine } from './model/shell-quote.js'

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

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  /** The child could not be started (ENOENT, EACCES): the message. */
  error?: string
}

export function createProbe(defaults: ProbeDefaults): Probe {
  return async (argv, opts = {}) => {
    const started = performance.now()
    const ms = () => Math.round(performance.now() - started)
    if (argv.length === 0) throw new TypeError('probe needs a command')
    if (opts.signal?.aborted) return { ok: false, code: null, stdout: '', stderr: 'aborted before start', timedOut: true, ms: 0 }

    const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS
    let child: ChildProcess
    try {
      // node:child_process is loaded on the first probe, not at start: a warm doctor starts none.
      child = process.getBuiltinModule('node:child_process').spawn(argv[0], argv.slice(1), {
        env: cleanEnv(opts.env ?? defaults.env),
        cwd: opts.cwd ?? defaults.cwd,
        // Its own process group, so the kill reaches grandchildren (a shell, a plugin) too.
        detached: true,
        stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      })
    } catch (error) {
      // Arguments spawn refuses outright (a NUL byte in a value): judged like a command that failed.
      return { ok: false, code: null, stdout: '', stderr: (error as Error).message, timedOut: false, ms: ms() }
    }
    const exited = new Promise<Exit>((resolve) => {
      // As a shell would say it: 127 for a program that is not there, 126 for one that may not run.
      child.once('error', (error: NodeJS.ErrnoException) => {
        const code = error.code === 'ENOENT' ? 127 : error.code === 'EACCES' ? 126 : null
        resolve({ code, signal: null, error: code === 127 ? `${argv[0]}: command not found` : error.message })
      })
      child.once('close', (code, signal) => resolve({ code, signal }))
    })
    // A child that exits without reading its input (EPIPE) is judged by its exit code, not a crash.
    child.stdin?.on('error', () => {})
    // Written whole, then closed: an empty input too, or `crontab -` would wait forever.
    if (opts.input !== undefined) child.stdin?.end(opts.input)
    // Ctrl-C does not reach a detached group: remember it, so the interrupt handler can end it.
    const forget = trackGroup(child.pid)
    const out = collect(child, opts.onOutput)

    let timedOut = false
    const kill = () => {
      timedOut = true
      killGroup(child)
    }
    opts.signal?.addEventListener('abort', kill, { once: true })
    const timer = setTimeout(kill, timeoutMs)
    // A child stuck in the kernel may never be reaped. Bound that too.
    let giveUp: NodeJS.Timeout | undefined
    const abandoned = new Promise<null>((resolve) => {
      giveUp = setTimeout(() => resolve(null), timeoutMs + REAP_GRACE_MS)
    })
    try {
      const exit = await Promise.race([exited, abandoned])
      if (!exit) return { ok: false, code: null, stdout: '', stderr: `no answer within ${timeoutMs} ms`, timedOut: true, ms: ms() }
      if (exit.error) return { ok: false, code: exit.code, stdout: '', stderr: exit.error, timedOut: false, ms: ms() }
      const stdout = out.text('stdout')
      if (out.overflow) {
        const stderr = `${out.overflow} passed ${MAX_PROBE_OUTPUT_BYTES} bytes: the command was stopped`
        return { ok: false, code: exit.code, stdout, stderr, timedOut: false, ms: ms() }
      }
      const killed = timedOut || exit.signal === 'SIGKILL'
      const result: ProbeResult = { ok: exit.code === 0 && !killed, code: exit.code, stdout, stderr: out.text('stderr'), timedOut: killed, ms: ms() }
      if (killed && !result.stderr) result.stderr = `no answer within ${timeoutMs} ms`
      return result
    } finally {
      forget()
      clearTimeout(timer)
      clearTimeout(giveUp)
      out.done()
      opts.signal?.removeEventListener('abort', kill)
    }
  }
}

/** The child leads its own process group, so one signal reaches what it started. */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}

/** Keeps a child's output up to the cap (killing its group past it) and closes its pipes soon after it exits. */
function collect(child: ChildProcess, onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void) {
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] }
  const state = {
    overflow: null as 'stdout' | 'stderr' | null,
    text: (name: 'stdout' | 'stderr') => Buffer.concat(chunks[name]).toString('utf8'),
    done: () => {},
  }
  for (const name of ['stdout', 'stderr'] as const) {
    let bytes = 0
    child[name]?.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      onOutput?.(name, chunk)
      if (bytes <= MAX_PROBE_OUTPUT_BYTES) chunks[name].push(chunk)
      else if (!state.overflow) {
        state.overflow = name
        killGroup(child)
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
export const shellLine = (argv: readonly string[]): string => shLine(argv)
