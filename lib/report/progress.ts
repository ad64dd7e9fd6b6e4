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

/**
 * `order`: the ids the run reports, in registry order. A check is printed once it and every check
 * before it have finished, so a terminal lists them as piped output does; a slow check holds back
 * only the lines after it, while the spinner names it.
 */
export async function createProgress(stream: NodeJS.WriteStream, opts: HumanOptions, order: readonly string[] = []): Promise<Progress> {
  const finished = new Map<string, Finding>()
  let next = 0
  const ready = (finding: Finding): Finding[] => {
    if (!order.includes(finding.id)) return [finding]
    finished.set(finding.id, finding)
    const out: Finding[] = []
    while (next < order.length && finished.has(order[next])) out.push(finished.get(order[next++])!)
    return out
  }
  const print = (f: Finding) => stream.write(maskUrlCredentials(renderFinding(f, opts)) + '\n')
  if (!canSpin(stream)) {
    return { onStart() {}, onFinish: (f) => void ready(f).forEach(print), stop() {} }
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
      ready(finding).forEach(print)
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
