// One doctor run without a terminal: config, context, the selected checks, a Report. What `doctor`
// does minus the live progress, shared by `checklist`, `serve` and scheduled runs. The checks are
// passed in, so tests run the real runner over fake checks.

import { loadConfig, type Config } from './config.js'
import { createContext } from './context.js'
import { toolVersion } from './paths.js'
import { buildReport, runChecks, selectChecks } from './runner.js'
import type { Check, Env, Probe, Report } from './types.js'

export interface CollectOptions {
  env: Env
  cwd: string
  config?: string
  only?: string[]
  skip?: string[]
  timeout?: number
  strict?: boolean
  probe?: Probe
}

export interface Collected {
  report: Report
  config: Config
}

/** Loads the config once (bad input fails here, before anything runs) and returns a run function. */
export async function prepareRun(registry: readonly Check[], opts: CollectOptions): Promise<{ config: Config; run: () => Promise<Report> }> {
  const config = await loadConfig(opts.cwd, opts.config)
  const run = async () => {
    const ctx = await createContext({ env: opts.env, cwd: opts.cwd, config, probe: opts.probe })
    const checks = selectChecks(registry, ctx, opts)
    const startedAt = ctx.now()
    const findings = await runChecks(checks, ctx, { timeoutMs: opts.timeout })
    return buildReport(findings, ctx, startedAt, toolVersion(), opts.strict)
  }
  // Unknown --only/--skip ids are usage errors: find them now, not on the first request.
  const probeCtx = await createContext({ env: opts.env, cwd: opts.cwd, config, probe: opts.probe })
  selectChecks(registry, probeCtx, opts)
  return { config, run }
}

export async function collect(registry: readonly Check[], opts: CollectOptions): Promise<Collected> {
  const { config, run } = await prepareRun(registry, opts)
  return { config, report: await run() }
}
