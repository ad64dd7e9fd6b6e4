// `--format json`: exactly the document in DESIGN.md. Steps lose their functions and internals here.

import type { Finding, Report, Step } from '../types.js'

export function jsonStep(s: Step) {
  return { id: s.id, title: s.title, argv: s.argv, sudo: s.sudo, ...(s.reason ? { reason: s.reason } : {}) }
}

export function jsonFinding(f: Finding) {
  return { ...f, fix: f.fix ? { steps: f.fix.steps.map(jsonStep), ...(f.fix.manual ? { manual: f.fix.manual } : {}) } : null }
}

export function renderJson(report: Report): string {
  return JSON.stringify({ ...report, checks: report.checks.map(jsonFinding) }, null, 2) + '\n'
}
