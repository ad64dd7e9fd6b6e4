// What a scheduled check is, independent of the scheduler that runs it: how often, and the exact
// command (this node, this shipshape, absolute paths) with the environment it needs, since cron,
// systemd and launchd all start jobs with an almost empty environment.

import { join } from 'node:path'
import { UsageError } from '../errors.js'
import { cliEntry } from '../paths.js'
import type { Env } from '../types.js'

/** Names every scheduler entry shipshape writes, so install replaces and remove finds them. */
export const JOB_NAME = 'shipshape-doctor'
export const LAUNCHD_LABEL = 'dev.shipshape.doctor'

export interface Every {
  text: string
  seconds: number
  /** Minute, hour and day-of-month fields of a crontab line. */
  cron: string
  /** systemd.time(7) calendar event. */
  onCalendar: string
}

/** 1m..59m that divide an hour, 1h..23h that divide a day, or 1d: what all three schedulers express alike. */
export function parseEvery(text: string): Every {
  const m = /^(\d+)([mhd])$/.exec(text.trim())
  const n = m ? Number(m[1]) : NaN
  const bad = () => new UsageError(`--every '${text}': use minutes that divide an hour (5m, 15m, 30m), hours that divide a day (1h, 6h, 12h) or 1d`)
  if (!m || n <= 0) throw bad()
  switch (m[2]) {
    case 'm':
      if (n >= 60 || 60 % n !== 0) throw bad()
      return { text, seconds: n * 60, cron: `${n === 1 ? '*' : `*/${n}`} * *`, onCalendar: `*-*-* *:00/${n}:00` }
    case 'h':
      if (n >= 24 || 24 % n !== 0) throw bad()
      return { text, seconds: n * 3600, cron: `0 ${n === 1 ? '*' : `*/${n}`} *`, onCalendar: `*-*-* 00/${n}:00:00` }
    default:
      if (n !== 1) throw bad()
      return { text, seconds: 86_400, cron: '0 0 *', onCalendar: '*-*-* 00:00:00' }
  }
}

export interface JobSpec {
  every: Every
  argv: string[]
  env: Record<string, string>
  home: string
  /** Where the scheduler's own output of a run goes (launchd needs a file). */
  logFile: string
}

export interface JobInput {
  every: string
  env: Env
  home: string
  format?: string
  textfileDir?: string
  config?: string
  only?: string[]
  skip?: string[]
  offline?: boolean
  /** The node that runs the job (this one unless a test says otherwise); setup.sh's own Node is named through its stable link. */
  node?: string
}

/** The file a scheduled run with --textfile-dir writes there, for node_exporter's textfile collector. */
export const TEXTFILE_NAME = 'shipshape.prom'

export function jobSpec(input: JobInput): JobSpec {
  const argv = [input.node ?? process.execPath, cliEntry, 'schedule', 'run']
  if (input.format) argv.push('--format', input.format)
  if (input.textfileDir) argv.push('--textfile-dir', input.textfileDir)
  if (input.config) argv.push('--config', input.config)
  if (input.only?.length) argv.push('--only', input.only.join(','))
  if (input.skip?.length) argv.push('--skip', input.skip.join(','))
  if (input.offline) argv.push('--offline')
  // The PATH decides which tools the checks find; keep the user's, as a login shell would have it.
  const env: Record<string, string> = { PATH: input.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: input.home }
  for (const key of ['DOCKER_HOST', 'KUBECONFIG', 'SHIPSHAPE_HOST_ROOT']) if (input.env[key]) env[key] = input.env[key]!
  return { every: parseEvery(input.every), argv, env, home: input.home, logFile: join(input.home, '.shipshape', 'schedule.log') }
}
