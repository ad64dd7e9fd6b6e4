// The one way shipshape runs an external command. zx does the spawning; this wrapper adds what a
// health check needs: argv only (zx quotes each element, so no value is ever parsed by the shell),
// stdin closed, a hard time bound that kills the whole process group, and no exceptions: a missing
// tool, a crash and a hang all come back as a ProbeResult the check can judge.

import type { Env, Probe, ProbeResult } from './types.js'

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000
/** After the kill, how long we wait for the child to be reaped before giving up on it. */
const REAP_GRACE_MS = 1_000

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
      clearTimeout(timer)
      clearTimeout(giveUp)
      opts.signal?.removeEventListener('abort', kill)
    }
  }
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
