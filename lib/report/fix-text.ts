// The one description of a step, shown the same everywhere (human, JSON, JUnit, TAP, Markdown, the
// checklist, setup's plan): one shell line per step, in plan order, derived from the step so each
// command is written in one place only. A step shipshape performs itself shows its shell equivalent
// (download, check, put in place), or where none is honest the `shipshape setup --only` line that does it.
// Root is got the way this machine can: nothing as root, `sudo` where it is installed, else `su -c`.

import { shellLine } from '../probe.js'
import type { Fix, Privilege, ShellCmd, Step } from '../types.js'

/** The commands a step stands for: its argv, or its shell equivalent; null when it has neither. */
function commands(step: Pick<Step, 'argv' | 'sudo' | 'shell'>): ShellCmd[] | null {
  if (step.argv.length > 0) return [{ argv: step.argv, sudo: step.sudo }]
  return step.shell?.length ? step.shell : null
}

/** A step as one line a person can paste; `privilege` says how this machine gets root (default: sudo). */
export function stepText(step: Pick<Step, 'argv' | 'sudo' | 'shell' | 'reason'>, privilege: Privilege = 'sudo'): string {
  const cmds = commands(step)
  if (!cmds) return step.reason ? shellLine(['shipshape', 'setup', '--only', step.reason.replaceAll(', ', ',')]) : 'shipshape setup'
  const line = (prefix: boolean) =>
    cmds.map((c, i) => `${i === 0 ? '' : c.pipe ? ' | ' : ' && '}${prefix && c.sudo ? 'sudo ' : ''}${shellLine(c.argv)}`).join('')
  if (privilege === 'sudo') return line(true)
  if (privilege === 'su' && cmds.some((c) => c.sudo)) return `su -c ${shellLine([line(false)])}`
  return line(false)
}

/** Every step, one line each in plan order, then what a person must do by hand. */
export function fixLines(fix: Fix | null): string[] {
  if (!fix) return []
  const lines = fix.steps.map((s) => stepText(s, fix.privilege))
  if (fix.manual) lines.push(...fix.manual.split('\n'))
  return lines
}
