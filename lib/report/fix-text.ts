// The text of a fix, derived from its steps so each command is written in one place only.

import { shellLine } from '../probe.js'
import type { Fix, Step } from '../types.js'

export function stepLine(step: Pick<Step, 'argv' | 'sudo'>): string {
  return (step.sudo ? 'sudo ' : '') + shellLine(step.argv)
}

/** Commands first, then what a person must do by hand. */
export function fixLines(fix: Fix | null): string[] {
  if (!fix) return []
  const lines = fix.steps.filter((s) => s.argv.length > 0).map(stepLine)
  if (fix.manual) lines.push(...fix.manual.split('\n'))
  return lines
}
