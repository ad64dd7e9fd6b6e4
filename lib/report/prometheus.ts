// `--format prometheus`: the text exposition format
// (https://prometheus.io/docs/instrumenting/exposition_formats/), served by `shipshape serve` on
// /metrics and written by scheduled runs for node_exporter's textfile collector. Every status of every
// check is a series (1 for the current one, 0 for the rest) so an alert is a plain `== 1`.

import { READY_MEANS } from '../runner.js'
import { STATUSES, type Report } from '../types.js'

/** Label values escape backslash, double quote and newline; nothing else. */
export const labelValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
// HELP text escapes only backslash and newline.
const helpText = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

type Labels = Record<string, string>
const labels = (l: Labels) => `{${Object.entries(l).map(([k, v]) => `${k}="${labelValue(v)}"`).join(',')}}`

/** Prometheus renders floats this way; integers stay integers. */
const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN')

class Family {
  readonly lines: string[]
  constructor(readonly name: string, help: string, type: 'gauge' | 'counter') {
    this.lines = [`# HELP ${name} ${helpText(help)}`, `# TYPE ${name} ${type}`]
  }
  add(l: Labels, value: number) {
    this.lines.push(`${this.name}${Object.keys(l).length ? labels(l) : ''} ${num(value)}`)
    return this
  }
}

export function renderPrometheus(report: Report): string {
  const status = new Family('shipshape_check_status', 'Current status of each check: 1 for the status it has, 0 for the others.', 'gauge')
  const required = new Family('shipshape_check_required', 'Whether the check is required (1) or optional (0).', 'gauge')
  const duration = new Family('shipshape_check_duration_seconds', 'How long the check took in its last run.', 'gauge')
  const tools = new Family('shipshape_tool_info', 'Version of each tool a check found, as a label.', 'gauge')
  for (const f of report.checks) {
    for (const s of STATUSES) status.add({ check: f.id, status: s }, f.status === s ? 1 : 0)
    required.add({ check: f.id }, f.required ? 1 : 0)
    duration.add({ check: f.id }, f.durationMs / 1000)
    if (f.version) tools.add({ tool: f.id, version: f.version }, 1)
  }
  const info = new Family('shipshape_info', 'The shipshape that ran the checks, and the platform.', 'gauge').add({ version: report.version, platform: report.platform.kind, arch: report.platform.arch }, 1)
  const ready = new Family('shipshape_ready', `1 when the run exits 0: ${READY_MEANS} (with --strict, no check warned either); else 0.`, 'gauge').add({}, report.summary.exitCode === 0 ? 1 : 0)
  const last = new Family('shipshape_last_run_timestamp_seconds', 'When the last run started, in seconds since the Unix epoch.', 'gauge').add({}, Date.parse(report.startedAt) / 1000)
  const runDuration = new Family('shipshape_run_duration_seconds', 'How long the whole run took.', 'gauge').add({}, report.durationMs / 1000)
  return [status, required, duration, tools, info, ready, last, runDuration].flatMap((f) => f.lines).join('\n') + '\n'
}
