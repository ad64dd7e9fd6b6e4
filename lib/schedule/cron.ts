// The crontab backend, for Linux and WSL without a user systemd. shipshape's line carries a marker
// comment, so installing twice leaves one line, removing leaves none, and every other line of the
// user's crontab stays as it was. The marker is recognised only whole, at the end of a line, so a
// user's own line that mentions shipshape-doctor is theirs. The real `crontab` does the writing (it validates and signals cron).

import { stepText } from '../report/fix-text.js'
import { cronCommand, cronUnescape, shUnquoteWord } from '../model/shell-quote.js'
import type { Privilege, Probe } from '../types.js'
import { JOB_NAME, type JobSpec } from './spec.js'

export const CRON_MARKER = `# ${JOB_NAME} (managed by shipshape schedule; remove with: shipshape schedule remove)`

const isOurs = (line: string) => line.trimEnd().endsWith(` ${CRON_MARKER}`)

/**
 * One crontab line: the environment through `/usr/bin/env` (a quoted assignment is no assignment to
 * sh), `%` escaped (newline to cron); a newline or control character is refused (a second entry).
 */
export function cronLine(spec: JobSpec): string {
  return `${spec.every.cron} * * ${cronCommand(spec.env, spec.argv, '>/dev/null 2>&1')} ${CRON_MARKER}`
}

/** cron's own environment for a job (Debian's cron: PATH, HOME, SHELL, LOGNAME; nothing inherited). */
export const CRON_PATH = '/usr/bin:/bin'

/**
 * Runs the job's line once as cron would (`env -i`, cron's PATH, `/bin/sh -c`), with doctor's
 * arguments replaced by `--version` so nothing is checked or written; null when it starts, else why
 * not. A line that cannot start fails every run into /dev/null while `status` says installed.
 */
export async function cronLineProblem(spec: JobSpec, probe: Probe): Promise<string | null> {
  const command = cronUnescape(cronCommand(spec.env, [...spec.argv.slice(0, 2), '--version'], ''))
  const argv = ['env', '-i', `PATH=${CRON_PATH}`, `HOME=${spec.home}`, 'SHELL=/bin/sh', '/bin/sh', '-c', command]
  const r = await probe(argv, { timeoutMs: 30_000 })
  if (r.ok && /\d+\.\d+/.test(r.stdout)) return null
  const said = (r.stderr.trim() || r.stdout.trim()).split('\n')[0]
  return `${r.timedOut ? 'did not finish within 30 s' : `exit ${r.code}`}${said ? `: ${said.slice(0, 200)}` : ''}`
}

/** The `--config` file (or `flag`'s value) in shipshape's crontab line, unquoted as the shell and cron would (null when none). */
export function configInLine(line: string, flag = '--config'): string | null {
  const at = line.indexOf(` ${flag} `)
  return at === -1 ? null : shUnquoteWord(cronUnescape(line.slice(at + flag.length + 2)))?.value ?? null
}

/** The crontab text with shipshape's line replaced (or removed when `line` is null). */
export function mergeCrontab(existing: string, line: string | null): string {
  const kept = existing.split('\n').filter((l) => !isOurs(l))
  while (kept.length && kept[kept.length - 1] === '') kept.pop()
  if (line) kept.push(line)
  return kept.length ? kept.join('\n') + '\n' : ''
}

export const ourLine = (crontab: string): string | null => crontab.split('\n').find(isOurs) ?? null

export interface Crontab {
  read(): Promise<string>
  write(text: string): Promise<void>
}

/** The real crontab(1); `user` (root only) edits another user's table, as the tests do. */
export function crontab(probe: Probe, user?: string): Crontab {
  const base = user ? ['crontab', '-u', user] : ['crontab']
  return {
    async read() {
      const r = await probe([...base, '-l'], { timeoutMs: 10_000 })
      if (r.ok) return r.stdout
      // "no crontab for alice" is an empty table, not an error.
      if (/no crontab/i.test(r.stderr)) return ''
      throw new Error(`crontab -l failed: ${r.stderr.trim() || `exit ${r.code}`}`)
    },
    async write(text) {
      const r = await probe([...base, '-'], { timeoutMs: 10_000, input: text })
      if (!r.ok) throw new Error(`crontab could not be written: ${r.stderr.trim() || `exit ${r.code}`}`)
    },
  }
}

/**
 * Whether a cron daemon runs; null when that cannot be told (no pgrep). WSL without systemd starts no
 * services, so a crontab line there never fires until someone runs `sudo service cron start`.
 */
export async function cronRunning(probe: Probe): Promise<boolean | null> {
  const r = await probe(['pgrep', '-x', 'cron|crond'], { timeoutMs: 3_000 })
  if (r.code === 0) return true
  if (r.code === 1) return false
  return null
}

export const CRON_NOT_RUNNING = 'cron is not running, so the line will not fire'

/** CRON_NOT_RUNNING with how to start cron here: as root no sudo, without sudo `su -c`. */
export const cronNotRunning = (privilege: Privilege) =>
  `${CRON_NOT_RUNNING}: start it with \`${stepText({ argv: ['service', 'cron', 'start'], sudo: true }, privilege)}\` (on WSL, add that to your shell profile or enable systemd)`
