// A tool that is installed but whose probe failed (killed at the bound, died, exited non-zero) tells
// us nothing about what is wrong: not "not installed", not "too old". Such a check is `timeout` or
// `error`, and the runner's rule (provision/advice.ts) gives it no install, removal or rewrite.

import type { Outcome, ProbeResult } from './types.js'

export function probeFailed(r: Pick<ProbeResult, 'timedOut' | 'code' | 'stderr' | 'stdout'>, command: string, details: string[] = []): Outcome {
  const said = `${r.stderr}\n${r.stdout}`.trim().split('\n').find((l) => l.trim()) ?? ''
  if (r.timedOut) return { status: 'timeout', summary: `\`${command}\` did not answer in time; its state is unknown`, details: [...details, said].filter(Boolean) }
  const how = r.code === null ? 'was killed or could not start' : `exited ${r.code}`
  return { status: 'error', summary: `\`${command}\` ${how}${said ? `: ${said}` : ''}; its state is unknown`, details }
}
