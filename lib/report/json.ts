// `--format json`: exactly the document in DESIGN.md. Steps lose their functions and internals here.

import type { Finding, Privilege, Report, Step } from '../types.js'
import { stepText } from './fix-text.js'

/** `command`: the one line a person would run for the step, as every other format shows it (additive). */
export function jsonStep(s: Step, privilege?: Privilege) {
  return { id: s.id, title: s.title, argv: s.argv, sudo: s.sudo, command: stepText(s, privilege), ...(s.reason ? { reason: s.reason } : {}) }
}

export function jsonFinding(f: Finding) {
  const fix = f.fix
  return { ...f, fix: fix ? { steps: fix.steps.map((s) => jsonStep(s, fix.privilege)), ...(fix.manual ? { manual: fix.manual } : {}) } : null }
}

export function renderJson(report: Report): string {
  return JSON.stringify({ ...report, checks: report.checks.map(jsonFinding) }, null, 2) + '\n'
}
