// The text of a fix, derived from its steps so each command is written in one place only.

import { shellLine } from '../probe.js'
import type { Fix, Step } from '../types.js'

export function stepLine(step: Pick<Step, 'argv' | 'sudo'>): string {
  return (step.sudo ? 'sudo ' : '') + shellLine(step.argv)
}

/** A step as a line: its command, or for a step shipshape does itself (a verified download, an rc block), what it does. */
export function stepText(step: Pick<Step, 'argv' | 'sudo' | 'title'>): string {
  return step.argv.length > 0 ? stepLine(step) : `shipshape setup: ${step.title}`
}

/** Commands first, then what a person must do by hand. */
export function fixLines(fix: Fix | null): string[] {
  if (!fix) return []
  const lines = fix.steps.map(stepText)
  if (fix.manual) lines.push(...fix.manual.split('\n'))
  return lines
}
