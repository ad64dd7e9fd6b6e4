// The report a person reads: one line per check in the style of `flutter doctor`, the fix under each
// problem, and a summary line. Plain text without colour when not on a TTY.

import { describePlatform } from '../platform.js'
import type { Finding, Report } from '../types.js'
import { verdictOf } from '../runner.js'
import { fixLines } from './fix-text.js'
import { MARKS, painter, type Paint } from './style.js'

export interface HumanOptions {
  verbose: boolean
  color: boolean
}

export function renderFinding(f: Finding, opts: HumanOptions, paint: Paint = painter(opts.color)): string {
  const { mark, style } = MARKS[f.status]
  const time = opts.verbose ? paint('dim', ` (${f.durationMs} ms)`) : ''
  const label = f.status === 'timeout' ? 'timed out: ' : f.status === 'error' ? 'error: ' : ''
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
  const verdict = paint(s.exitCode === 0 ? 'green' : 'red', `${verdictOf(s.exitCode)}.`)
  return `${verdict} ${parts.join(', ')} (${report.durationMs} ms)`
}

/** The header: the tool and its version, the command, the platform. */
export function renderHeader(report: Pick<Report, 'version' | 'platform'>): string {
  return `shipshape ${report.version} doctor · ${describePlatform(report.platform)}`
}

/** Said under the summary when some fix has steps: what `shipshape setup` would take on (as its --help says). */
export function closingHint(report: Report, paint: Paint): string | null {
  const fixable = report.checks.some((f) => f.status !== 'ok' && f.fix?.steps.length)
  return fixable
    ? paint('dim', 'Run `shipshape setup` to review and apply these fixes: it plans every failing or warning check that has one (optional ones too), minus what is already done.')
    : null
}

export function renderHuman(report: Report, opts: HumanOptions): string {
  const paint = painter(opts.color)
  const out = [renderHeader(report), '']
  for (const f of report.checks) out.push(renderFinding(f, opts, paint))
  out.push('', renderSummary(report, paint))
  const hint = closingHint(report, paint)
  if (hint) out.push(hint)
  return out.join('\n') + '\n'
}
