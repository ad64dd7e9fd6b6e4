// `schedule install|remove|status` over three schedulers: a systemd user timer where a user systemd
// runs, else a crontab line (Linux, WSL), and a LaunchAgent on macOS. Each operation is a list of
// actions that says what it will do before doing it, so --dry-run prints the same plan it would run.

import { readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import { ExitError } from '../errors.js'
import { shellLine } from '../probe.js'
import type { Platform, Probe } from '../types.js'
import { privilegeOf } from '../provision/privilege.js'
import { configInLine, CRON_PATH, crontab, cronLine, cronLineProblem, cronNotRunning, cronRunning, mergeCrontab, ourLine } from './cron.js'
import { configInPlist, domain, launchAgentPlist, plistPath } from './launchd.js'
import { LAUNCHD_LABEL, TEXTFILE_NAME, type JobSpec } from './spec.js'
import { configInService, parseShow, serviceUnit, SERVICE, TIMER, timerUnit, unitDir } from './systemd.js'

export type Via = 'systemd' | 'cron' | 'launchd'
export const VIAS: readonly Via[] = ['systemd', 'cron', 'launchd']

export interface SchedulerContext {
  platform: Platform
  probe: Probe
  env: Record<string, string | undefined>
  home: string
  uid: number
  which(cmd: string): Promise<string | null>
  /** Root only: edit this user's crontab (the tests' own user). */
  crontabUser?: string
}

export interface Action {
  describe: string
  /** File text or crontab line shown by --dry-run. */
  content?: string
  apply(): Promise<void>
}

const exists = (p: string) => stat(p).then(() => true, () => false)

/** macOS → launchd; elsewhere a user systemd if `systemctl --user` says it runs, else cron. */
export async function chooseVia(s: SchedulerContext): Promise<{ via: Via; why: string }> {
  if (s.platform.kind === 'macos') return { via: 'launchd', why: 'macOS runs LaunchAgents' }
  let noSystemd = 'no systemctl on PATH'
  if (await s.which('systemctl')) {
    const r = await s.probe(['systemctl', '--user', 'is-system-running'], { timeoutMs: 3_000 })
    const state = r.stdout.trim()
    // "degraded" still runs timers: one failed unit elsewhere does not stop a user manager.
    if (['running', 'degraded', 'starting'].includes(state)) return { via: 'systemd', why: `systemctl --user is-system-running: ${state}` }
    noSystemd = `systemctl --user is-system-running: ${state || r.stderr.trim().split('\n')[0] || `exit ${r.code}`}`
  }
  if (await s.which('crontab')) return { via: 'cron', why: `no user systemd (${noSystemd})` }
  throw new ExitError(1, `nothing to schedule with: no user systemd (${noSystemd}) and no crontab on PATH.\nInstall cron (sudo apt-get install cron), or on WSL enable systemd ([boot] systemd=true in /etc/wsl.conf, then wsl --shutdown).`)
}

/** Rewrites the crontab with shipshape's line set or dropped, keeping the previous table in ~/.shipshape/crontab.bak. */
async function rewriteCrontab(s: SchedulerContext, line: string | null): Promise<void> {
  const table = crontab(s.probe, s.crontabUser)
  const current = await table.read()
  await writeFileAtomic(join(s.home, '.shipshape', 'crontab.bak'), current, { mode: 0o600, forceMode: true })
  await table.write(mergeCrontab(current, line))
}

async function run(s: SchedulerContext, argv: string[], allowFail = false): Promise<void> {
  const r = await s.probe(argv, { timeoutMs: 15_000 })
  if (!r.ok && !allowFail) throw new Error(`${shellLine(argv)} failed: ${r.stderr.trim() || r.stdout.trim() || `exit ${r.code}`}`)
}

const systemctl = (...args: string[]) => ['systemctl', '--user', ...args]

/**
 * `launchctl bootout` returns while launchd still holds the label, and a bootstrap in that window
 * fails with "5: Input/output error"; so poll `launchctl print` until it is gone, within 10 s.
 */
async function bootoutAndWait(s: SchedulerContext, target: string): Promise<void> {
  await run(s, ['launchctl', 'bootout', target], true)
  for (let i = 0; i < 40; i++) {
    if (!(await s.probe(['launchctl', 'print', target], { timeoutMs: 5_000 })).ok) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

export async function installActions(s: SchedulerContext, via: Via, spec: JobSpec): Promise<Action[]> {
  // Installing with one scheduler first removes shipshape's entry from the others: one job, always.
  const actions = await removeActions(s, VIAS.filter((v) => v !== via))
  switch (via) {
    case 'systemd': {
      const dir = unitDir(s.env, s.home)
      const service = serviceUnit(spec)
      const timer = timerUnit(spec)
      actions.push(
        { describe: `write ${join(dir, SERVICE)}`, content: service, apply: async () => void (await writeFileAtomic(join(dir, SERVICE), service)) },
        { describe: `write ${join(dir, TIMER)}`, content: timer, apply: async () => void (await writeFileAtomic(join(dir, TIMER), timer)) },
        // daemon-reload reschedules a running timer (systemd#16578); a restart would fire it off-schedule (systemd#31231).
        { describe: shellLine(systemctl('daemon-reload')), apply: () => run(s, systemctl('daemon-reload')) },
        { describe: shellLine(systemctl('enable', '--now', TIMER)), apply: () => run(s, systemctl('enable', '--now', TIMER)) },
      )
      break
    }
    case 'cron': {
      const line = cronLine(spec)
      // Refused before anything is touched (the other schedulers' entries included).
      const problem = await cronLineProblem(spec, s.probe)
      if (problem) throw new ExitError(1, `the crontab line would not start when cron runs it (tried once with --version, as cron would: env -i, PATH=${CRON_PATH}, /bin/sh -c): ${problem}. Nothing was changed.`)
      actions.push({ describe: `set shipshape's line in the crontab${s.crontabUser ? ` of ${s.crontabUser}` : ''} (other lines stay; the old table is kept in ~/.shipshape/crontab.bak)`, content: line, apply: () => rewriteCrontab(s, line) })
      break
    }
    case 'launchd': {
      const path = plistPath(s.home)
      const plist = launchAgentPlist(spec)
      const target = `${domain(s.uid)}/${LAUNCHD_LABEL}`
      // bootstrap refuses a label that is still loaded, so unload the old one first and wait for it.
      if (await exists(path)) actions.push({ describe: `${shellLine(['launchctl', 'bootout', target])} (and wait until launchd lets go of it)`, apply: () => bootoutAndWait(s, target) })
      actions.push(
        { describe: `write ${path}`, content: plist, apply: async () => void (await writeFileAtomic(path, plist)) },
        { describe: shellLine(['launchctl', 'bootstrap', domain(s.uid), path]), apply: () => run(s, ['launchctl', 'bootstrap', domain(s.uid), path]) },
      )
      break
    }
  }
  return actions
}

/** Everything shipshape scheduled with these schedulers, and nothing else. */
export async function removeActions(s: SchedulerContext, vias: readonly Via[] = VIAS): Promise<Action[]> {
  const actions: Action[] = []
  if (vias.includes('systemd')) {
    const dir = unitDir(s.env, s.home)
    const files = [join(dir, TIMER), join(dir, SERVICE)]
    if ((await Promise.all(files.map(exists))).some(Boolean)) {
      if (await s.which('systemctl')) actions.push({ describe: shellLine(systemctl('disable', '--now', TIMER)), apply: () => run(s, systemctl('disable', '--now', TIMER), true) })
      for (const f of files) actions.push({ describe: `delete ${f}`, apply: () => rm(f, { force: true }) })
      if (await s.which('systemctl')) actions.push({ describe: shellLine(systemctl('daemon-reload')), apply: () => run(s, systemctl('daemon-reload'), true) })
      actions.push(...(await textfileRemoval(configInService(await readFile(join(dir, SERVICE), 'utf8').catch(() => ''), TEXTFILE_FLAG))))
    }
  }
  if (vias.includes('cron') && s.platform.kind !== 'macos' && (await s.which('crontab'))) {
    const line = ourLine(await crontab(s.probe, s.crontabUser).read())
    if (line) {
      actions.push({ describe: `delete shipshape's line from the crontab${s.crontabUser ? ` of ${s.crontabUser}` : ''}`, apply: () => rewriteCrontab(s, null) })
      actions.push(...(await textfileRemoval(configInLine(line, TEXTFILE_FLAG))))
    }
  }
  if (vias.includes('launchd')) {
    const path = plistPath(s.home)
    if (await exists(path)) {
      const target = `${domain(s.uid)}/${LAUNCHD_LABEL}`
      if (await s.which('launchctl')) actions.push({ describe: `${shellLine(['launchctl', 'bootout', target])} (and wait until launchd lets go of it)`, apply: () => bootoutAndWait(s, target) })
      actions.push({ describe: `delete ${path}`, apply: () => rm(path, { force: true }) })
      actions.push(...(await textfileRemoval(configInPlist(await readFile(path, 'utf8').catch(() => ''), TEXTFILE_FLAG))))
    }
  }
  return actions
}

const TEXTFILE_FLAG = '--textfile-dir'

/**
 * The job's Prometheus textfile goes with the job: left behind, node_exporter would export the last
 * run's readiness for ever. Only the file shipshape writes there, and only when it is there.
 */
async function textfileRemoval(dir: string | null): Promise<Action[]> {
  if (!dir) return []
  const file = join(dir, TEXTFILE_NAME)
  return (await exists(file)) ? [{ describe: `delete ${file} (the job's textfile for node_exporter)`, apply: () => rm(file, { force: true }) }] : []
}

export interface JobStatus {
  via: Via
  installed: boolean
  /** The crontab line, or the unit or plist file. */
  entry: string | null
  every: string | null
  nextRun: string | null
  /** What the scheduler says (systemd's timer state, launchctl's answer). */
  state: string | null
  /** The shipshape.yaml the scheduled runs read (absolute), or null for the built-in defaults. */
  config: string | null
}

const secondsFromCron = (line: string): number | null => {
  const [min, hour] = line.split(/\s+/)
  const step = (f: string) => (f === '*' ? 1 : /^\*\/(\d+)$/.test(f) ? Number(f.slice(2)) : null)
  if (hour === '*' && step(min)) return step(min)! * 60
  if (min === '0' && step(hour)) return step(hour)! * 3600
  if (min === '0' && hour === '0') return 86_400
  return null
}

/**
 * When cron next fires `line` after `now`, read from the line's own minute and hour fields on cron's
 * calendar (the local clock, as cron keeps it: a step of 15 minutes is :00, :15, :30 and :45 of every
 * hour, a step of 2 hours the even hours), or null for a line shipshape did not write.
 */
export function cronNext(line: string, now: Date): Date | null {
  const [min, hour, dom, month, dow] = line.split(/\s+/)
  const field = (f: string): ((n: number) => boolean) | null =>
    f === '*' ? () => true : /^\*\/\d+$/.test(f) ? (n) => n % Number(f.slice(2)) === 0 : /^\d+$/.test(f) ? (n) => n === Number(f) : null
  const [m, h] = [field(min), field(hour)]
  if (!m || !h || [dom, month, dow].some((f) => f !== '*')) return null
  const t = new Date(now)
  t.setSeconds(0, 0)
  // At most a day of minutes: every line shipshape writes fires at least daily.
  for (let i = 0; i < 1441; i++) {
    t.setMinutes(t.getMinutes() + 1)
    if (m(t.getMinutes()) && h(t.getHours())) return t
  }
  return null
}

export async function jobStatus(s: SchedulerContext, now: Date): Promise<JobStatus[]> {
  const found: JobStatus[] = []
  const dir = unitDir(s.env, s.home)
  const timerText = await readFile(join(dir, TIMER), 'utf8').catch(() => null)
  if (timerText !== null) {
    let state: string | null = null
    let nextRun: string | null = null
    if (await s.which('systemctl')) {
      const r = await s.probe(systemctl('show', TIMER, '--property=ActiveState,NextElapseUSecRealtime,LastTriggerUSec'), { timeoutMs: 5_000 })
      const p = parseShow(r.stdout)
      state = r.ok ? (p.ActiveState ?? null) : r.stderr.trim().split('\n')[0] || null
      nextRun = p.NextElapseUSecRealtime && p.NextElapseUSecRealtime !== 'n/a' ? p.NextElapseUSecRealtime : null
    }
    const config = configInService(await readFile(join(dir, SERVICE), 'utf8').catch(() => ''))
    found.push({ via: 'systemd', installed: true, entry: join(dir, TIMER), every: /Description=shipshape doctor every (\S+)/.exec(timerText)?.[1] ?? null, nextRun, state, config })
  }
  if (s.platform.kind !== 'macos' && (await s.which('crontab'))) {
    const line = ourLine(await crontab(s.probe, s.crontabUser).read().catch(() => ''))
    if (line) {
      const seconds = secondsFromCron(line)
      // cron fires on its own calendar (the line's fields on the local clock), not from the last run;
      // a cron that is not running fires never, and status says so rather than promise a time.
      const running = await cronRunning(s.probe)
      const state = running === false ? `in crontab, but ${cronNotRunning(await privilegeOf(s))}` : 'in crontab'
      found.push({ via: 'cron', installed: true, entry: line, every: seconds ? humanEvery(seconds) : null, nextRun: running !== false ? (cronNext(line, now)?.toISOString() ?? null) : null, state, config: configInLine(line) })
    }
  }
  const plist = plistPath(s.home)
  const plistText = await readFile(plist, 'utf8').catch(() => null)
  if (plistText !== null) {
    const seconds = Number(/<key>StartInterval<\/key>\s*<integer>(\d+)<\/integer>/.exec(plistText)?.[1] ?? NaN)
    let state: string | null = null
    if (await s.which('launchctl')) {
      const r = await s.probe(['launchctl', 'print', `${domain(s.uid)}/${LAUNCHD_LABEL}`], { timeoutMs: 5_000 })
      state = r.ok ? `loaded, ${/^\s*state = (.+)$/m.exec(r.stdout)?.[1]?.trim() ?? 'state unknown'}` : 'not loaded'
    }
    found.push({ via: 'launchd', installed: true, entry: plist, every: Number.isFinite(seconds) ? humanEvery(seconds) : null, nextRun: null, state, config: configInPlist(plistText) })
  }
  return found
}

export const humanEvery = (seconds: number) => (seconds % 86_400 === 0 ? `${seconds / 86_400}d` : seconds % 3600 === 0 ? `${seconds / 3600}h` : `${seconds / 60}m`)
