// `--format json`: exactly the document in DESIGN.md. Steps lose their functions and internals here.

import type { Finding, Privilege, Report, Step } from '../types.js'
import { stepText } from './fix-text.js'

/**
 * `command`: the one line a person would run for the step, as every other format shows it (additive).
 * `sudo` says whether the command gets root through sudo here: false as root, where none is used. A
 * step shipshape performs itself (a verified download) has no command of its own; its argv is the
 * shipshape command that performs it, never an empty one.
 */
export function jsonStep(s: Step, privilege?: Privilege) {
  const argv = s.argv.length ? s.argv : s.reason ? ['shipshape', 'setup', '--only', s.reason.replaceAll(', ', ',')] : ['shipshape', 'setup']
  return { id: s.id, title: s.title, argv, sudo: s.sudo && privilege !== 'root', command: stepText(s, privilege), ...(s.reason ? { reason: s.reason } : {}) }
}

export function jsonFinding(f: Finding) {
  const fix = f.fix
  return { ...f, fix: fix ? { steps: fix.steps.map((s) => jsonStep(s, fix.privilege)), ...(fix.manual ? { manual: fix.manual } : {}) } : null }
}

export function renderJson(report: Report): string {
  return JSON.stringify({ ...report, checks: report.checks.map(jsonFinding) }, null, 2) + '\n'
}
