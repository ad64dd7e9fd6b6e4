// The shapes that flow through shipshape: platform → Context → checks → Findings → reporters.
// Everything here is a plain object so tests can build one by hand instead of patching globals.

import type { Config } from './config.js'
import type { Engine } from './docker-engine.js'

export type Status = 'ok' | 'warn' | 'fail' | 'skip' | 'timeout' | 'error'
export const STATUSES: readonly Status[] = ['ok', 'warn', 'fail', 'skip', 'timeout', 'error']

export type Env = Record<string, string | undefined>

export interface ProbeOptions {
  /** Kill the child after this many milliseconds (default 10 s: nothing runs unbounded). */
  timeoutMs?: number
  /** Aborting kills the child, as the runner does when a check passes its bound. */
  signal?: AbortSignal
  /** Replaces the context's environment for this one command. */
  env?: Env
  cwd?: string
  /** Written to stdin, which is otherwise closed. */
  input?: string
  /** Each chunk of output as it comes (setup streams a step's lines to its log); the result still holds it all. */
  onOutput?(stream: 'stdout' | 'stderr', chunk: Buffer): void
}

export interface ProbeResult {
  ok: boolean
  code: number | null
  stdout: string
  stderr: string
  timedOut: boolean
  ms: number
}

/** The one way to run an external command: argv only, bounded, never throws. */
export type Probe = (argv: readonly string[], opts?: ProbeOptions) => Promise<ProbeResult>

export interface Distro {
  id: string
  version: string
  codename: string | null
}

export interface Platform {
  kind: 'macos' | 'wsl' | 'linux' | 'unsupported'
  arch: string
  wsl: 1 | 2 | null
  distro: Distro | null
  macos: { version: string } | null
  evidence: string[]
}

/** One command of a step's shell equivalent; joined to the one before by `&&`, or by `|` when `pipe`. */
export interface ShellCmd {
  argv: string[]
  sudo?: boolean
  pipe?: boolean
}

/** How advice gets root here: already root (no prefix), through sudo, or, with no sudo installed, `su -c`. */
export type Privilege = 'root' | 'sudo' | 'su'

/** One command that fixes (part of) a finding. `done` is asked before running, so re-runs change nothing. */
export interface Step {
  id: string
  title: string
  argv: string[]
  sudo: boolean
  /** Why this step is in the plan: the check that asked for it. Filled in by the planner when absent. */
  reason?: string
  /** Ids of steps that must succeed first. */
  needs?: string[]
  /** Run as the invoking user even when setup itself runs under sudo (minikube, brew). */
  asUser?: boolean
  /** Longer bound for installers; probes keep their short default. */
  timeoutMs?: number
  /** Where the command runs (a team's script: the config's folder); otherwise shipshape's own. */
  cwd?: string
  done?(ctx: Context): Promise<boolean>
  /** A step that is not one command (writing an rc file atomically, verifying a download). */
  perform?(ctx: Context): Promise<void>
  /**
   * For a `perform` step: the same thing as commands a person could run (download, check, put in
   * place). Absent where no command line is honest; advice then names `shipshape setup --only <check>`.
   */
  shell?: ShellCmd[]
}

export interface Fix {
  steps: Step[]
  /** What a person must do that no command can (a new login, a setting in Docker Desktop). */
  manual?: string
  /** Why the fix goes this way (which Docker source `--docker auto` chose, and why). */
  note?: string
  /** How the steps get root on this machine; set by the runner so every report prints the same lines. */
  privilege?: Privilege
}

/** What a check's run() returns; the runner adds id, title, timing and the fix. */
export interface Outcome {
  status: Status
  summary: string
  version?: string | null
  details?: string[]
  /** Set by the check when it already knows the fix; otherwise the runner asks check.fix(). */
  fix?: Fix | null
  /** Required here although optional by default (a stack in use needs it); shipshape.yaml still wins. */
  required?: boolean
  /** docker-daemon only: the engine behind the endpoint (lib/docker-engine.ts), null when it cannot tell. */
  engine?: Engine | null
}

export interface Finding {
  id: string
  title: string
  required: boolean
  status: Status
  summary: string
  version: string | null
  details: string[]
  durationMs: number
  fix: Fix | null
  /** docker-daemon only: the engine behind the endpoint ("podman", "colima", …), null when unknown. */
  engine?: Engine | null
  /**
   * A skip because checks it needs failed, timed out or errored (or were skipped so themselves): their
   * ids. Such a check could not tell, so a required one fails the run (failsRun).
   */
  blockedBy?: string[]
}

/** What `shipshape explain <id>` says of a check, kept on the check itself. */
export interface CheckAbout {
  /** What the check looks at. */
  looks: string
  /** Why it matters. */
  why: string
  /** What each status it gives means here; skip, timeout and error read the same for every check. */
  statuses: Partial<Record<Status, string>>
}

export interface Check {
  id: string
  title: string
  about?: CheckAbout
  required: boolean
  /** Default bound for this check; config and --timeout override. */
  timeoutMs?: number
  /**
   * The check asks a tool its version (lib/version-cache.ts): with nothing cached yet (a first run,
   * or --no-cache) it gets COLD_CHECK_TIMEOUT_MS instead of the default, as a tool's first start on a
   * busy machine is slow and is not a missing tool. Config and --timeout still win.
   */
  versionProbe?: boolean
  /** Checks that must be ok or warn before this one runs; otherwise it is `skip`. */
  needs?: string[]
  appliesTo?(platform: Platform): boolean
  /** Talks to the network: `skip` with --offline or network.offline, and the runner says so. */
  network?: boolean
  run(ctx: Context, deps: Record<string, Finding>): Promise<Outcome>
  /**
   * Starts the slowest read `run` will make (memoised in ctx.facts) as the run begins, before the
   * checks it needs are judged, so the wait overlaps theirs. A read only: no process, no change.
   */
  prefetch?(ctx: Context): void
  fix?(ctx: Context, finding: Finding): Fix | null | Promise<Fix | null>
}

/** Shared, memoised facts for one run, so a probe two checks need runs once. */
export interface Facts {
  once<T>(key: string, compute: () => Promise<T>): Promise<T>
}

export interface Context {
  platform: Platform
  env: Env
  /** Root under which host files are read (SHIPSHAPE_HOST_ROOT). */
  hostRoot: string
  home: string
  cwd: string
  probe: Probe
  /** Finds an executable on env.PATH; null when absent. */
  which(cmd: string): Promise<string | null>
  now(): Date
  config: Config
  facts: Facts
  /** Bypass the cache of tool versions (--no-cache). */
  noCache?: boolean
  /** --offline or network.offline: the network checks skip, saying so. */
  offline?: boolean
  /** Name resolution for the network checks (default: the system resolver); tests inject failures here. */
  resolve?(host: string): Promise<string[]>
  /** The running check's bound in ms (set by the runner), so a check can name a hang before the runner cuts it off. */
  boundMs?: number
}

export interface Summary {
  ok: number
  warn: number
  fail: number
  skip: number
  timeout: number
  error: number
  exitCode: number
}

/** The `doctor --format json` document (DESIGN.md). */
export interface Report {
  tool: 'shipshape'
  version: string
  startedAt: string
  durationMs: number
  platform: Platform
  summary: Summary
  checks: Finding[]
}
