// `shipshape doctor`: detect the platform, run every check in parallel within its bound, report.
// Exit 0 when every required check is ok or warn and none was skipped for a failed prerequisite, 1
// otherwise, 2 for bad input.

import { pathToFileURL } from 'node:url'
import { registry } from '../checks/index.js'
import { processIo, type Io } from '../lib/io.js'
import { csv, formatSpec, positiveMs, type OptionSpec } from '../lib/options.js'
import { FORMATS, render, type Format } from '../lib/report/index.js'
import { wantsColor } from '../lib/report/style.js'
import { prepareRun } from '../lib/collect.js'
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
  offline?: boolean
  yes?: boolean
}

// As plain objects, which commander declares and shows in --help.
export const DOCTOR_OPTIONS: OptionSpec[] = [
  formatSpec(FORMATS),
  { flags: '--only <ids>', description: 'run only these checks (comma-separated; what they need runs too)', parse: csv },
  { flags: '--skip <ids>', description: 'leave these checks out (comma-separated)', parse: csv },
  { flags: '--timeout <ms>', description: 'bound for every check, in milliseconds (default 3000, or as configured)', parse: positiveMs },
  { flags: '--verbose', description: "show each check's time and the evidence behind it" },
  { flags: '--strict', description: "exit 1 on warnings and optional checks' failures too; TAP and JUnit fail them too" },
  { flags: '--config <file>', description: 'a shipshape.yaml other than ./shipshape.yaml' },
  { flags: '--offline', description: 'skip the network checks (registries, proxy, clock); network.offline in shipshape.yaml says the same' },
  { flags: '--no-cache', description: 'probe tool versions again instead of using the cache' },
  { flags: '--fix', description: 'fix what fails: the same plan, confirmation and log as `shipshape setup`' },
  { flags: '--yes', description: 'with --fix: run the plan without asking' },
]

export async function doctorCommand(io: Io) {
  const { addOptions, newCommand } = await import('../lib/command.js')
  return addOptions(newCommand('doctor', io), DOCTOR_OPTIONS)
    .description('Check this machine for Docker, Compose, kubectl, minikube and the settings the stacks need; say what is wrong and the exact fix.')
    .addHelpText('after', `
Checks: ${registry.map((c) => c.id).join(', ')}

Exit codes: 0 ready (warnings allowed), 1 a required check failed, timed out or errored, or was
skipped because a check it needs did not pass (with --strict, any warning too), 2 bad input (nothing
was run).

Examples:
  shipshape doctor
  shipshape doctor --format json --only docker-daemon,kubectl
  shipshape doctor --verbose --timeout 10000
  shipshape doctor --offline                # on a plane: leave the network checks out`)
}

export async function doctorOptions(argv: readonly string[], io: Io): Promise<DoctorOptions> {
  const cmd = await doctorCommand(io)
  ;(await import('../lib/command.js')).parseArgs(cmd, argv)
  return cmd.opts<DoctorOptions>()
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const began = io.started ?? new Date()
  const opts = await doctorOptions(argv, io)
  if (opts.fix) {
    const { setup } = await import('./setup.js')
    return setup({ format: opts.format === 'json' ? 'json' : 'human', yes: opts.yes, only: opts.only, skip: opts.skip, timeout: opts.timeout, config: opts.config, offline: opts.offline, docker: 'auto' }, io)
  }
  return doctor(opts, io, began)
}

/** `began`: when the command started, so the summary's time is the whole run's, waits included. */
export async function doctor(opts: DoctorOptions, io: Io, began = new Date()): Promise<number> {
  const { config, platform, ids, run } = await prepareRun(registry, { ...opts, env: io.env, cwd: io.cwd, noCache: !opts.cache, startedAt: began })
  const color = wantsColor(io.env, Boolean(io.stdout.isTTY))
  const live = opts.format === 'human' && Boolean(io.stdout.isTTY) && !io.env.CI
  const humanOpts = { verbose: Boolean(opts.verbose), color }
  if (!live) {
    const report = await run()
    io.stdout.write(await render(opts.format, report, { ...humanOpts, strict: Boolean(opts.strict), stacks: Object.keys(config.data.stacks) }))
    return report.summary.exitCode
  }
  // On a terminal each check is printed as soon as it and those before it have landed (registry order,
  // as piped output has it), under a spinner; then the summary line.
  const [{ createProgress }, { closingHint, renderHeader, renderSummary }, { painter }, { toolVersion }] = await Promise.all([
    import('../lib/report/progress.js'), import('../lib/report/human.js'), import('../lib/report/style.js'), import('../lib/paths.js'),
  ])
  io.stdout.write(`${renderHeader({ version: toolVersion(), platform })}\n\n`)
  const progress = await createProgress(io.stdout as NodeJS.WriteStream, humanOpts, ids)
  const report = await run(progress)
  progress.stop()
  const hint = closingHint(report, painter(color))
  io.stdout.write(`\n${renderSummary(report, painter(color))}\n${hint ? `${hint}\n` : ''}`)
  return report.summary.exitCode
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
