// `--format tap`: TAP version 14 (https://testanything.org/tap-version-14-specification.html), one
// test point per check, with the finding as a YAML diagnostic block, for TAP consumers and `prove`.
// A skip is `# SKIP`; a warning passes (it does not fail the run) and says so in its diagnostics.

import { stringify } from 'yaml'
import type { Finding, Report } from '../types.js'
import { fixLines } from './fix-text.js'

// A description may not contain `#` unescaped (it starts a directive) nor a newline.
const description = (text: string) => text.replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/[\r\n]+/g, ' ')

function point(f: Finding, n: number): string {
  const passed = f.status === 'ok' || f.status === 'warn' || f.status === 'skip'
  const directive = f.status === 'skip' ? ` # SKIP ${description(f.summary)}` : ''
  const head = `${passed ? 'ok' : 'not ok'} ${n} - ${description(`${f.id}: ${f.summary}`)}${directive}`
  const diag: Record<string, unknown> = { status: f.status, title: f.title, required: f.required, duration_ms: f.durationMs }
  if (f.version) diag.version = f.version
  if (f.details.length) diag.details = f.details
  const fix = fixLines(f.fix)
  if (fix.length) diag.fix = fix
  const yaml = stringify(diag, { lineWidth: 0 }).trimEnd().split('\n').map((l) => `  ${l}`)
  return [head, '  ---', ...yaml, '  ...'].join('\n')
}

export function renderTap(report: Report): string {
  return ['TAP version 14', `1..${report.checks.length}`, ...report.checks.map((f, i) => point(f, i + 1)), ''].join('\n')
}
