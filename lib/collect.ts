// One doctor run: config, context, the selected checks, a Report. Shared by `doctor` (with live
// progress), `checklist`, `serve` and scheduled runs. The checks are passed in, so tests run the
// real runner over fake checks.

import { loadConfig, type Config } from './config.js'
import { createContext } from './context.js'
import { toolVersion } from './paths.js'
import { buildReport, runChecks, selectChecks, type RunOptions } from './runner.js'
import type { Check, Env, Platform, Probe, Report } from './types.js'

export interface CollectOptions {
  env: Env
  cwd: string
  config?: string
  only?: string[]
  skip?: string[]
  timeout?: number
  strict?: boolean
  probe?: Probe
  noCache?: boolean
  /** Skip the network checks (registries, proxy, clock). */
  offline?: boolean
  /** When the command started: the first run's report times from here (config, platform and all). */
  startedAt?: Date
}

export interface PreparedRun {
  config: Config
  platform: Platform
  /** The ids the run will report, in registry order. */
  ids: string[]
  /** Runs the checks; each call gets a fresh context, so no daemon or cluster state is reused. */
  run(hooks?: Pick<RunOptions, 'onStart' | 'onFinish' | 'signal'>): Promise<Report>
}

/** Reads the config and the selection first: bad input fails here, before anything runs. */
export async function prepareRun(builtIn: readonly Check[], opts: CollectOptions): Promise<PreparedRun> {
  const config = await loadConfig(opts.cwd, opts.config)
  const registry = await withTeamChecks(builtIn, config)
  const newContext = () => createContext({ env: opts.env, cwd: opts.cwd, config, probe: opts.probe, noCache: opts.noCache, offline: opts.offline })
  let unused: Awaited<ReturnType<typeof newContext>> | null = await newContext()
  const ids = selectChecks(registry, unused, opts).map((c) => c.id)
  const platform = unused.platform
  const run = async (hooks: Pick<RunOptions, 'onStart' | 'onFinish' | 'signal'> = {}) => {
    const first = unused !== null
    const ctx = unused ?? (await newContext())
    unused = null
    const startedAt = first && opts.startedAt ? opts.startedAt : ctx.now()
    const findings = await runChecks(selectChecks(registry, ctx, opts), ctx, { timeoutMs: opts.timeout, ...hooks })
    return buildReport(findings, ctx, startedAt, toolVersion(), opts.strict)
  }
  return { config, platform, ids, run }
}

export async function collect(registry: readonly Check[], opts: CollectOptions): Promise<{ report: Report; config: Config }> {
  const { config, run } = await prepareRun(registry, opts)
  return { config, report: await run() }
}

/** The built-in checks and, after them, the team's own from the config (loaded only when it has any). */
export async function withTeamChecks(builtIn: readonly Check[], config: Config): Promise<readonly Check[]> {
  if (!Object.values(config.data.checks).some((c) => c.run)) return builtIn
  const { teamChecks } = await import('./team/checks.js')
  return [...builtIn, ...teamChecks(config)]
}
