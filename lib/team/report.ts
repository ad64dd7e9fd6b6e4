// What a team's check script said, as an Outcome: its exit code (0 ok, 1 fail, 2 warn, anything else
// error) with its last stdout line as the summary, or one JSON line {"status", "summary", "details",
// "fix"} checked with zod. What it prints is not ours: control characters are taken out and every
// line is cut short, so a script that prints garbage cannot reach the terminal or a report.

import { cleanLine } from '../clean-line.js'
import type { Outcome, ProbeResult, Status } from '../types.js'

const MAX_DETAILS = 20

function lastLines(text: string, n: number): string[] {
  return text.split('\n').map((l) => cleanLine(l)).filter(Boolean).slice(-n)
}

const BY_EXIT: Record<number, Status> = { 0: 'ok', 1: 'fail', 2: 'warn' }

export async function outcomeOf(r: ProbeResult, boundMs: number | undefined): Promise<Outcome> {
  if (r.timedOut) {
    return { status: 'timeout', summary: `no answer within ${boundMs ?? '?'} ms: the script and what it started were killed`, details: lastLines(r.stderr, 3) }
  }
  // The probe stopped it past its output cap (lib/probe.ts) and said so.
  if (/passed \d+ bytes: the command was stopped$/.test(r.stderr)) return { status: 'error', summary: `the script printed too much: ${r.stderr}` }
  const last = lastLines(r.stdout, 1)[0] ?? ''
  const rawLast = r.stdout.trimEnd().split('\n').at(-1)?.trim() ?? ''
  if (rawLast.startsWith('{')) return jsonOutcome(rawLast)
  const status = r.code === null ? undefined : BY_EXIT[r.code]
  const stderr = lastLines(r.stderr, 5)
  if (!status) {
    const how = r.code === null ? 'was killed by a signal'
      : r.code === 127 || r.code === 126 ? `could not be run (${stderr.at(-1) ?? `exit ${r.code}`})`
      : `exited with ${r.code}`
    const rule = 'a check script exits 0 (ok), 1 (fail) or 2 (warn), or prints one JSON line'
    return { status: 'error', summary: `the script ${how}`, details: [rule, ...stderr] }
  }
  return { status, summary: last || (status === 'ok' ? 'ok' : `exit ${r.code}`), details: status === 'ok' ? [] : stderr }
}

async function jsonOutcome(line: string): Promise<Outcome> {
  const { z } = await import('zod')
  const schema = z.strictObject({
    status: z.enum(['ok', 'warn', 'fail']),
    summary: z.string().min(1),
    details: z.array(z.string()).max(1000).optional(),
    fix: z.string().optional(),
  })
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (error) {
    return { status: 'error', summary: `the script's last line starts with { but is not JSON: ${cleanLine((error as Error).message)}` }
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return {
      status: 'error',
      summary: cleanLine(`the script's JSON line is not a report: ${issue.path.join('.') || 'line'}: ${issue.message}`),
      details: ['expected {"status":"ok|warn|fail","summary":"…","details":["…"],"fix":"…"}'],
    }
  }
  const { status, summary, details = [], fix } = parsed.data
  const out: Outcome = { status, summary: cleanLine(summary), details: details.slice(0, MAX_DETAILS).map((l) => cleanLine(l)) }
  // A fix in words is for a person; a fix script (fix.run in shipshape.yaml) is what setup runs.
  if (fix && status !== 'ok') out.fix = { steps: [], manual: cleanLine(fix) }
  return out
}
