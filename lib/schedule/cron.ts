// The crontab backend, for Linux and WSL without a user systemd. shipshape's line carries a marker
// comment, so installing twice leaves one line, removing leaves none, and every other line of the
// user's crontab stays as it was. The marker is recognised only whole, at the end of a line, so a
// user's own line that mentions shipshape-doctor is theirs. The real `crontab` does the writing (it validates and signals cron).

import { UsageError } from '../errors.js'
import { shellLine } from '../probe.js'
import { stepText } from '../report/fix-text.js'
import type { Privilege, Probe } from '../types.js'
import { JOB_NAME, type JobSpec } from './spec.js'

export const CRON_MARKER = `# ${JOB_NAME} (managed by shipshape schedule; remove with: shipshape schedule remove)`

const isOurs = (line: string) => line.trimEnd().endsWith(` ${CRON_MARKER}`)

/** One crontab line; `%` means newline to cron, so it is escaped; a newline or control character is refused (it would start a second entry). */
export function cronLine(spec: JobSpec): string {
  const control = /[\x00-\x1f\x7f]/
  for (const [k, v] of Object.entries(spec.env)) {
    if (control.test(k) || control.test(v)) throw new UsageError(`${k} holds a newline or control character, which a crontab line cannot carry; nothing was changed. Set ${k} without it and run again.`)
  }
  for (const a of spec.argv) if (control.test(a)) throw new UsageError(`the scheduled command has an argument with a newline or control character (${JSON.stringify(a.slice(0, 60))}); nothing was changed`)
  const env = Object.entries(spec.env).map(([k, v]) => shellLine([`${k}=${v}`]))
  const command = `${env.join(' ')} ${shellLine(spec.argv)} >/dev/null 2>&1`.replace(/%/g, '\\%')
  return `${spec.every.cron} * * ${command} ${CRON_MARKER}`
}

/** The `--config` file (or `flag`'s value) in shipshape's crontab line, unquoted as the shell and cron would (null when none). */
export function configInLine(line: string, flag = '--config'): string | null {
  const m = new RegExp(` ${flag} ('(?:[^']|'\\\\'')*'|\\S+)`).exec(line)
  if (!m) return null
  const arg = m[1].replace(/\\%/g, '%')
  return arg.startsWith("'") ? arg.slice(1, -1).replaceAll(`'\\''`, "'") : arg
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
