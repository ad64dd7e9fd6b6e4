// Live progress on a terminal: one ora spinner naming the checks still running, with each finished
// check printed above it as it lands. Only for people at a TTY; machines get the document alone.

import type { Check, Finding } from '../types.js'
import { renderFinding, type HumanOptions } from './human.js'
import { maskUrlCredentials } from '../redact.js'

export interface Progress {
  onStart(check: Check): void
  onFinish(finding: Finding): void
  stop(): void
}

/** A spinner redraws by cursor movement, which needs a size; a terminal reporting 0×0 gets plain lines. */
export const canSpin = (stream: { columns?: number; rows?: number }) => (stream.columns ?? 0) > 0 && (stream.rows ?? 0) > 0

export async function createProgress(stream: NodeJS.WriteStream, opts: HumanOptions): Promise<Progress> {
  if (!canSpin(stream)) {
    return { onStart() {}, onFinish: (f) => void stream.write(renderFinding(f, opts) + '\n'), stop() {} }
  }
  const { default: ora } = await import('ora')
  const running = new Map<string, string>()
  const spinner = ora({ stream, discardStdin: false, isEnabled: true, color: opts.color ? 'cyan' : false })
  const label = () => `Checking ${[...running.values()].join(', ')}…`
  return {
    onStart(check) {
      running.set(check.id, check.title)
      spinner.text = label()
      if (!spinner.isSpinning) spinner.start()
    },
    onFinish(finding) {
      running.delete(finding.id)
      spinner.clear()
      stream.write(maskUrlCredentials(renderFinding(finding, opts)) + '\n')
      if (running.size === 0) spinner.stop()
      else {
        spinner.text = label()
        spinner.render()
      }
    },
    stop() {
      spinner.stop()
    },
  }
}
