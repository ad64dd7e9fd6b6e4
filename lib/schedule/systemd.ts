// The systemd backend: a user service that runs one check and a timer that starts it, in
// ~/.config/systemd/user (systemd.unit(5), systemd.timer(5)). Persistent=true catches up a run missed
// while the laptop slept. Used where `systemctl --user` answers, as it does on most desktops and on
// WSL with systemd enabled.

import { join } from 'node:path'
import { systemdEnvironment, systemdExecWord, systemdUnquoteWords } from '../model/shell-quote.js'
import type { Env } from '../types.js'
import { JOB_NAME, type JobSpec } from './spec.js'

export const unitDir = (env: Env, home: string) => join(env.XDG_CONFIG_HOME || join(home, '.config'), 'systemd', 'user')
export const SERVICE = `${JOB_NAME}.service`
export const TIMER = `${JOB_NAME}.timer`


export function serviceUnit(spec: JobSpec): string {
  return `# Written by shipshape schedule install; remove with: shipshape schedule remove
[Unit]
Description=shipshape doctor: scheduled machine check

[Service]
Type=oneshot
${Object.entries(spec.env).map(([k, v]) => `Environment=${systemdEnvironment(k, v)}`).join('\n')}
ExecStart=${spec.argv.map((a) => systemdExecWord(a, 'an argument of the scheduled command')).join(' ')}
TimeoutStartSec=5min
Nice=10
`
}

/** The `--config` file in the service's ExecStart, unquoted (null when none). */
export function configInService(unit: string, flag = '--config'): string | null {
  const line = /^ExecStart=(.*)$/m.exec(unit)
  const words = line ? systemdUnquoteWords(line[1], true) : null
  const i = words ? words.indexOf(flag) : -1
  return words && i !== -1 && i + 1 < words.length ? words[i + 1] : null
}

export function timerUnit(spec: JobSpec): string {
  return `# Written by shipshape schedule install; remove with: shipshape schedule remove
[Unit]
Description=shipshape doctor every ${spec.every.text}

[Timer]
OnCalendar=${spec.every.onCalendar}
Persistent=true
RandomizedDelaySec=30s
Unit=${SERVICE}

[Install]
WantedBy=timers.target
`
}

/** `systemctl show` prints "Key=value" lines; "n/a" and empty mean unknown. */
export function parseShow(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const i = line.indexOf('=')
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim()
  }
  return out
}
