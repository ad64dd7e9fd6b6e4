// `shipshape schedule install|remove|status`: run the checks unattended and keep a record of them.
// install writes one job (systemd user timer, crontab line or LaunchAgent) that runs the hidden
// `schedule run`; that run appends to ~/.shipshape/history.jsonl, writes the Prometheus textfile for
// node_exporter when asked, and exits.

import { isAbsolute, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { registry } from '../checks/index.js'
import { writeFileAtomic } from '../lib/atomic-write.js'
import { collect, prepareRun } from '../lib/collect.js'
import { csv, newCommand, Option, parseArgs, positiveInt, processIo, type Io } from '../lib/command.js'
import { createContext } from '../lib/context.js'
import { ExitError, UsageError } from '../lib/errors.js'
import { UnsafeValueError } from '../lib/model/shell-quote.js'
import { appendHistory, historyDir, historyFile, readHistory, toEntry } from '../lib/history.js'
import { FORMATS, render, type Format } from '../lib/report/index.js'
import { chooseVia, installActions, jobStatus, removeActions, VIAS, type Action, type JobStatus, type Via } from '../lib/schedule/index.js'
import { CRON_NOT_RUNNING, cronNotRunning, cronRunning } from '../lib/schedule/cron.js'
import { privilegeOf } from '../lib/provision/privilege.js'
import { jobSpec, parseEvery, TEXTFILE_NAME } from '../lib/schedule/spec.js'
import { stableNodePath } from '../lib/launcher.js'
import { textfileDirProblem } from '../lib/schedule/textfile-dir.js'
import { didYouMean } from '../lib/suggest.js'
import { runMain } from './run-main.js'

interface ScheduleOptions {
  every: string
  format?: Format
  textfileDir?: string
  dryRun?: boolean
  via: Via | 'auto'
  config?: string
  only?: string[]
  skip?: string[]
  timeout?: number
  offline?: boolean
}

const EXT: Record<Format, string> = { human: 'txt', json: 'json', junit: 'xml', tap: 'tap', prometheus: 'prom', markdown: 'md' }
export { TEXTFILE_NAME }

export function scheduleCommand(io: Io) {
  return newCommand('schedule', io)
    .description('Run the checks on a schedule (systemd user timer, crontab or LaunchAgent) and record each run.')
    .argument('<action>', 'install, remove or status')
    .option('--every <interval>', 'how often: 5m, 15m, 30m, 1h, 6h, 12h, 1d', '1h')
    .addOption(new Option('--format <format>', 'install: also keep the last report in ~/.shipshape/last-run.<ext> in this format; status: human or json').choices(FORMATS))
    .option('--textfile-dir <dir>', "write shipshape.prom here for node_exporter's textfile collector (an existing folder the job's user can write)")
    .option('--dry-run', 'print what would be written and run; change nothing')
    .addOption(new Option('--via <scheduler>', 'which scheduler to use').choices(['auto', ...VIAS]).default('auto'))
    .option('--config <file>', 'a shipshape.yaml for the scheduled runs (default: ./shipshape.yaml when there is one)')
    .option('--only <ids>', 'scheduled runs check only these (comma-separated)', csv)
    .option('--skip <ids>', 'scheduled runs leave these out (comma-separated)', csv)
    .option('--timeout <ms>', 'bound for every check in scheduled runs', positiveInt)
    .option('--offline', 'scheduled runs skip the network checks (registries, proxy, clock)')
    .addHelpText('after', `
Linux and WSL use a systemd user timer when 'systemctl --user' answers, otherwise a crontab line;
macOS uses a LaunchAgent in ~/Library/LaunchAgents. Installing twice leaves one job; remove leaves none.

Examples:
  shipshape schedule install --every 15m --textfile-dir /var/lib/prometheus/node-exporter
  shipshape schedule status
  shipshape schedule remove`)
}

export interface ScheduleHooks {
  /** Root only: edit this user's crontab (tests use their own user). */
  crontabUser?: string
  uid?: number
  /** The node the job runs (tests: one that cannot start). */
  node?: string
}

export async function main(argv: readonly string[], io: Io = processIo(), hooks: ScheduleHooks = {}): Promise<number> {
  const cmd = scheduleCommand(io)
  parseArgs(cmd, argv)
  const action = cmd.args[0]
  const opts = cmd.opts<ScheduleOptions>()
  if (action === 'run') return scheduledRun(opts, io)
  if (!['install', 'remove', 'status'].includes(action)) throw new UsageError(`unknown action '${action}'.${didYouMean(action, ['install', 'remove', 'status'], ' Use install, remove or status.')}`)
  const every = parseEvery(opts.every) // bad input ends here, before anything is touched
  const ctx = await createContext({ env: io.env, cwd: io.cwd })
  const s = { platform: ctx.platform, probe: ctx.probe, env: io.env, home: ctx.home, uid: hooks.uid ?? process.getuid?.() ?? 0, which: ctx.which, crontabUser: hooks.crontabUser }

  if (action === 'status') return status(s, opts, io, ctx.now())

  let actions: Action[]
  let header: string
  if (action === 'install') {
    // The scheduled runs would fail on a bad config or check id every time: refuse it now (exit 2),
    // before looking for a scheduler, so bad input is exit 2 on any machine.
    const { config } = await prepareRun(registry, { env: io.env, cwd: io.cwd, config: opts.config, only: opts.only, skip: opts.skip, offline: opts.offline })
    const { via, why } = opts.via === 'auto' ? await chooseVia(s) : { via: opts.via, why: '--via' }
    const abs = (p?: string) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(io.cwd, p))
    const textfileDir = abs(opts.textfileDir)
    if (textfileDir) {
      // The job runs as the owner of the crontab it is in; everywhere else as whoever installs it.
      const problem = await textfileDirProblem(textfileDir, ctx.probe, via === 'cron' ? s.crontabUser : undefined, await privilegeOf(ctx))
      if (problem) throw new UsageError(`--textfile-dir: ${problem}`)
    }
    // The job runs elsewhere (its own working folder), so it names the config doctor would read here.
    const node = hooks.node ?? (await stableNodePath(process.execPath, io.env, ctx.home))
    const spec = jobSpec({ every: every.text, env: io.env, home: ctx.home, format: opts.format, textfileDir, config: config.file ?? undefined, only: opts.only, skip: opts.skip, offline: opts.offline, node })
    actions = await failedStep(installActions(s, via, spec))
    header = `Schedule shipshape doctor every ${every.text} with ${via} (${why}):`
  } else {
    actions = await failedStep(removeActions(s))
    header = actions.length ? 'Remove the scheduled shipshape doctor:' : 'Nothing to remove: no shipshape job is scheduled.'
  }
  io.stdout.write(`${header}\n`)
  for (const a of actions) {
    io.stdout.write(`  ${opts.dryRun ? 'would ' : ''}${a.describe}\n`)
    if (opts.dryRun && a.content) io.stdout.write(a.content.replace(/^/gm, '      ').replace(/\s*$/, '\n'))
    if (!opts.dryRun) {
      // A scheduler that refuses (crontab, systemctl, launchctl) is a failed step, not a bug.
      await a.apply().catch((error: Error) => {
        throw new ExitError(1, `${a.describe}: ${error.message}`)
      })
    }
  }
  if (opts.dryRun) io.stdout.write('Dry run: nothing was changed.\n')
  if (action === 'install' && actions.some((a) => a.describe.includes('crontab')) && (await cronRunning(ctx.probe)) === false) io.stdout.write(`Note: ${cronNotRunning(await privilegeOf(ctx))}.\n`)
  return 0
}

/** Why status gives no time for the next run. */
function nextUnknown(j: JobStatus): string {
  if (j.via === 'cron' && j.state?.includes(CRON_NOT_RUNNING)) return 'none while cron is not running'
  if (j.via === 'systemd' && j.state === 'inactive') return 'none: the timer is not active'
  return `cannot know (${j.via} did not say)`
}

/** Reading the crontab can fail (no permission, no cron spool): say so plainly, it is not a bug. */
const failedStep = <T>(p: Promise<T>): Promise<T> =>
  p.catch((error: Error) => {
    throw error instanceof ExitError || error instanceof UsageError || error instanceof UnsafeValueError ? error : new ExitError(1, error.message)
  })

async function status(s: Parameters<typeof jobStatus>[0], opts: ScheduleOptions, io: Io, now: Date): Promise<number> {
  const format = opts.format ?? 'human'
  if (format !== 'human' && format !== 'json') throw new UsageError(`schedule status prints human or json, not '${format}'`)
  const jobs = await jobStatus(s, now)
  const runs = await readHistory(historyFile(s.home))
  const last = runs.at(-1) ?? null
  const lastRun = last ? { startedAt: last.startedAt, exitCode: last.exitCode, failed: last.checks.filter((c) => ['fail', 'timeout', 'error'].includes(c.status)).map((c) => c.id), error: last.error ?? null } : null
  for (const j of jobs) {
    // launchd does not say when it will next fire; its StartInterval counts from the last run. systemd
    // and cron have calendars of their own (jobStatus read them): no guess is put in their place.
    if (j.via === 'launchd' && !j.nextRun && j.every && last) j.nextRun = new Date(Date.parse(last.startedAt) + parseEvery(j.every).seconds * 1000).toISOString()
  }
  if (format === 'json') {
    io.stdout.write(JSON.stringify({ installed: jobs.length > 0, jobs, lastRun, history: historyFile(s.home) }, null, 2) + '\n')
    return 0
  }
  if (!jobs.length) io.stdout.write('No shipshape job is scheduled. Install one with: shipshape schedule install --every 1h\n')
  for (const j of jobs) {
    io.stdout.write(`Scheduled with ${j.via}${j.every ? `, every ${j.every}` : ''}${j.state ? ` (${j.state})` : ''}\n  entry: ${j.entry}\n  config: ${j.config ?? 'none (built-in defaults)'}\n  next run: ${j.nextRun ?? nextUnknown(j)}\n`)
  }
  io.stdout.write(lastRun ? `Last run: ${lastRun.startedAt}, exit ${lastRun.exitCode}${lastRun.failed.length ? `, failing: ${lastRun.failed.join(', ')}` : ''}${lastRun.error ? `\n  error: ${lastRun.error}` : ''}\n` : 'Last run: none recorded yet\n')
  return 0
}

/**
 * The job itself: quiet, quick, and leaves a record whatever the checks found. A file it cannot write
 * (a textfile folder that lost its permissions) is recorded in the history and ends the run with exit 1
 * and one line for the scheduler's log: the environment's fault, not a bug.
 */
async function scheduledRun(opts: ScheduleOptions, io: Io): Promise<number> {
  const { report, config } = await collect(registry, { env: io.env, cwd: io.cwd, config: opts.config, only: opts.only, skip: opts.skip, timeout: opts.timeout, offline: opts.offline })
  const ctxHome = io.env.HOME || process.getBuiltinModule('node:os').homedir()
  const errors: string[] = []
  // "EACCES: permission denied", without the temporary file's name that follows.
  const why = (error: Error) => error.message.split(',')[0]
  const write = (file: string, text: string, mode?: number) =>
    writeFileAtomic(file, text, mode === undefined ? {} : { mode, forceMode: true }).catch((error: Error) => {
      errors.push(`cannot write ${file}: ${why(error)}`)
    })
  if (opts.textfileDir) await write(join(opts.textfileDir, TEXTFILE_NAME), await render('prometheus', report, { verbose: false, color: false }))
  if (opts.format) await write(join(historyDir(ctxHome), `last-run.${EXT[opts.format]}`), await render(opts.format, report, { verbose: true, color: false, stacks: Object.keys(config.data.stacks) }), 0o600)
  const entry = toEntry(report)
  if (errors.length) Object.assign(entry, { exitCode: 1, error: errors.join('; ') })
  await appendHistory(historyFile(ctxHome), entry).catch((error: Error) => {
    throw new ExitError(1, [...errors, `cannot record the run in ${historyFile(ctxHome)}: ${why(error)}`].join('; '))
  })
  if (errors.length) throw new ExitError(1, entry.error)
  return report.summary.exitCode
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
