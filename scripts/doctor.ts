// `shipshape doctor`: detect the platform, run every check in parallel within its bound, report.
// Exit 0 when every required check is ok (warnings allowed), 1 otherwise, 2 for bad input.

import { pathToFileURL } from 'node:url'
import { registry } from '../checks/index.js'
import { loadConfig } from '../lib/config.js'
import { createContext } from '../lib/context.js'
import { csv, formatOption, newCommand, parseArgs, positiveInt, processIo, type Io } from '../lib/command.js'
import { toolVersion } from '../lib/paths.js'
import { FORMATS, render, type Format } from '../lib/report/index.js'
import { wantsColor } from '../lib/report/style.js'
import { buildReport, runChecks, selectChecks } from '../lib/runner.js'
import { runMain } from './run-main.js'

export interface DoctorOptions {
  format: Format
  only?: string[]
  skip?: string[]
  timeout?: number
  verbose?: boolean
  strict?: boolean
  config?: string
  cache: boolean
  fix?: boolean
  yes?: boolean
}

export function doctorCommand(io: Io) {
  return newCommand('doctor', io)
    .description('Check this machine for Docker, Compose, kubectl, minikube and the settings the stacks need; say what is wrong and the exact fix.')
    .addOption(formatOption(FORMATS))
    .option('--only <ids>', 'run only these checks (comma-separated; what they need runs too)', csv)
    .option('--skip <ids>', 'leave these checks out (comma-separated)', csv)
    .option('--timeout <ms>', 'bound for every check, in milliseconds (default 3000, or as configured)', positiveInt)
    .option('--verbose', 'show each check\'s time and the evidence behind it')
    .option('--strict', 'exit 1 on warnings too')
    .option('--config <file>', 'a shipshape.yaml other than ./shipshape.yaml')
    .option('--no-cache', 'probe tool versions again instead of using the cache')
    .option('--fix', 'fix what fails: the same plan, confirmation and log as `shipshape setup`')
    .option('--yes', 'with --fix: run the plan without asking')
    .addHelpText('after', `
Checks: ${registry.map((c) => c.id).join(', ')}

Exit codes: 0 ready (warnings allowed), 1 a required check failed, timed out or errored
(with --strict, any warning too), 2 bad input (nothing was run).

Examples:
  shipshape doctor
  shipshape doctor --format json --only docker-daemon,kubectl
  shipshape doctor --verbose --timeout 10000`)
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cmd = doctorCommand(io)
  parseArgs(cmd, argv)
  const opts = cmd.opts<DoctorOptions>()
  if (opts.fix) {
    const { setup } = await import('./setup.js')
    return setup({ format: opts.format === 'json' ? 'json' : 'human', yes: opts.yes, only: opts.only, skip: opts.skip, timeout: opts.timeout, config: opts.config, docker: 'auto' }, io)
  }
  return doctor(opts, io)
}

export async function doctor(opts: DoctorOptions, io: Io): Promise<number> {
  const config = await loadConfig(io.cwd, opts.config)
  const ctx = await createContext({ env: io.env, cwd: io.cwd, config, noCache: !opts.cache })
  const checks = selectChecks(registry, ctx, opts)
  const startedAt = ctx.now()

  const color = wantsColor(io.env, Boolean(io.stdout.isTTY))
  const live = opts.format === 'human' && Boolean(io.stdout.isTTY) && !io.env.CI
  const humanOpts = { verbose: Boolean(opts.verbose), color }
  const progress = live ? await (await import('../lib/report/progress.js')).createProgress(io.stdout as NodeJS.WriteStream, humanOpts) : undefined
  if (live) io.stdout.write(`shipshape doctor · ${(await import('../lib/platform.js')).describePlatform(ctx.platform)}\n\n`)

  const findings = await runChecks(checks, ctx, { ...opts, timeoutMs: opts.timeout, onStart: progress?.onStart, onFinish: progress?.onFinish })
  progress?.stop()
  const report = buildReport(findings, ctx, startedAt, toolVersion(), opts.strict)

  if (live) {
    const { renderSummary } = await import('../lib/report/human.js')
    const { painter } = await import('../lib/report/style.js')
    io.stdout.write(`\n${renderSummary(report, painter(color))}\n`)
  } else {
    io.stdout.write(await render(opts.format, report, { ...humanOpts, stacks: Object.keys(ctx.config.data.stacks) }))
  }
  return report.summary.exitCode
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
