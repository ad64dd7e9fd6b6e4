// The report a person reads: one line per check in the style of `flutter doctor`, the fix under each
// problem, and a summary line. Plain text without colour when not on a TTY.

import { describePlatform } from '../platform.js'
import type { Finding, Report } from '../types.js'
import { fixLines } from './fix-text.js'
import { MARKS, painter, type Paint } from './style.js'

export interface HumanOptions {
  verbose: boolean
  color: boolean
}

export function renderFinding(f: Finding, opts: HumanOptions, paint: Paint = painter(opts.color)): string {
  const { mark, style } = MARKS[f.status]
  const time = opts.verbose ? paint('dim', ` (${f.durationMs} ms)`) : ''
  const label = f.status === 'timeout' || f.status === 'error' ? `${f.status}: ` : ''
  const head = `${paint(style, `[${mark}]`)} ${paint('bold', f.title)}: ${label}${f.summary}${f.required || f.status === 'ok' || f.status === 'skip' ? '' : paint('dim', ' (optional)')}${time}`
  const lines = [head]
  if (opts.verbose) for (const d of f.details) lines.push(paint('dim', `    • ${d}`))
  const fix = fixLines(f.fix)
  if (f.status !== 'ok' && fix.length > 0) {
    lines.push(`    ${paint('bold', 'fix:')} ${fix[0]}`)
    for (const l of fix.slice(1)) lines.push(`         ${l}`)
  }
  return lines.join('\n')
}

export function renderSummary(report: Report, paint: Paint): string {
  const s = report.summary
  const parts = [
    s.fail && paint('red', `${s.fail} failed`),
    s.timeout && paint('red', `${s.timeout} timed out`),
    s.error && paint('red', `${s.error} errored`),
    s.warn && paint('yellow', `${s.warn} warning${s.warn === 1 ? '' : 's'}`),
    `${s.ok} ok`,
    s.skip && `${s.skip} skipped`,
  ].filter(Boolean)
  const verdict = s.exitCode === 0 ? paint('green', 'Ready.') : paint('red', 'Not ready.')
  return `${verdict} ${parts.join(', ')} (${report.durationMs} ms)`
}

export function renderHuman(report: Report, opts: HumanOptions): string {
  const paint = painter(opts.color)
  const out = [`shipshape doctor · ${describePlatform(report.platform)}`, '']
  for (const f of report.checks) out.push(renderFinding(f, opts, paint))
  out.push('', renderSummary(report, paint))
  const fixable = report.checks.some((f) => f.status !== 'ok' && f.fix?.steps.length)
  if (fixable) out.push(paint('dim', 'Run `shipshape setup` to apply the fixes above after reviewing a plan.'))
  return out.join('\n') + '\n'
}
