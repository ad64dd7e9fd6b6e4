// The output formats of `doctor --format`, each loaded only when asked for, so `--format json`
// never pays for ora or an XML writer.

import type { Report } from '../types.js'

export const FORMATS = ['human', 'json'] as const
export type Format = (typeof FORMATS)[number]

export interface RenderOptions {
  verbose: boolean
  color: boolean
}

export async function render(format: Format, report: Report, opts: RenderOptions): Promise<string> {
  switch (format) {
    case 'json':
      return (await import('./json.js')).renderJson(report)
    case 'human':
      return (await import('./human.js')).renderHuman(report, opts)
  }
}
