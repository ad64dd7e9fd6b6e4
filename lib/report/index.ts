// The output formats of `doctor --format`, each loaded only when asked for, so `--format json`
// never pays for ora or an XML writer.

import { maskUrlCredentials } from '../redact.js'
import type { Report } from '../types.js'

export const FORMATS = ['human', 'json', 'junit', 'tap', 'prometheus', 'markdown'] as const
export type Format = (typeof FORMATS)[number]

export interface RenderOptions {
  verbose: boolean
  color: boolean
  /** --strict: warnings and optional checks' failures fail the TAP and JUnit reports too, as they fail the exit code. */
  strict?: boolean
  /** markdown: the heading of the checklist. */
  title?: string
  /** markdown: the stacks the team uses (shipshape.yaml `stacks`), listed with what they need. */
  stacks?: string[]
}

/** Every format, with credentials in URLs masked (a report is printed, filed and served). */
export async function render(format: Format, report: Report, opts: RenderOptions): Promise<string> {
  return maskUrlCredentials(await renderFormat(format, report, opts))
}

async function renderFormat(format: Format, report: Report, opts: RenderOptions): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('./json.js')).renderJson(report)
    case 'human':
      return (await import('./human.js')).renderHuman(report, opts)
    case 'junit':
      return (await import('./junit.js')).renderJunit(report, Boolean(opts.strict))
    case 'tap':
      return (await import('./tap.js')).renderTap(report, Boolean(opts.strict))
    case 'prometheus':
      return (await import('./prometheus.js')).renderPrometheus(report)
    case 'markdown': {
      const stacks = opts.stacks?.length ? await (await import('../stacks/declared.js')).stackNeeds(opts.stacks) : []
      return (await import('./markdown.js')).renderMarkdown(report, { title: opts.title, stacks })
    }
  }
}
