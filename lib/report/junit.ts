// `--format junit`: the JUnit XML that CI systems (GitLab, Jenkins, GitHub test reporters) already
// show, so a machine check lands in the same test report as the code's own tests. One testsuite, one
// testcase per check, valid against Jenkins' junit-10.xsd (the strictest of the readers).
//
// A testcase fails exactly when the finding fails the run (`failsRun`, the rule behind the exit code):
// `<error>` for a check that threw, `<failure>` otherwise. An optional check that failed is
// `<skipped>` with the reason (shown, not counted), as is a check that does not apply; the rest pass,
// with the finding in `<system-out>`. So failures + errors > 0 exactly when doctor exits 1.

import type { Finding, Report } from '../types.js'
import { failsRun } from '../runner.js'
import { fixLines } from './fix-text.js'

/** Escapes text for XML content and attribute values, and drops characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

type Outcome = 'pass' | 'failure' | 'error' | 'skipped'

function outcome(f: Finding, strict: boolean): Outcome {
  if (failsRun(f, strict)) return f.status === 'error' ? 'error' : 'failure'
  return f.status === 'ok' || f.status === 'warn' ? 'pass' : 'skipped'
}

function testcase(f: Finding, strict: boolean): string {
  const head = `    <testcase classname="shipshape.doctor" name="${xmlEscape(f.id)}" time="${seconds(f.durationMs)}">`
  const body = [...f.details.map((d) => `detail: ${d}`), ...fixLines(f.fix).map((l) => `fix: ${l}`)].join('\n')
  const message = `${f.title}: ${f.summary}`
  const inner: string[] = []
  switch (outcome(f, strict)) {
    case 'failure':
    case 'error': {
      const tag = outcome(f, strict)
      inner.push(`      <${tag} message="${xmlEscape(message)}" type="${f.status}">${xmlEscape(body)}</${tag}>`)
      break
    }
    case 'skipped': {
      const why = f.status === 'skip' ? message : `optional check (${f.status}), does not fail the run: ${message}`
      inner.push(`      <skipped message="${xmlEscape(why)}" type="${f.status}">${xmlEscape(body)}</skipped>`)
      break
    }
    default:
      inner.push(`      <system-out>${xmlEscape([`${f.status}: ${message}${f.version ? ` (${f.version})` : ''}`, body].filter(Boolean).join('\n'))}</system-out>`)
  }
  return [head, ...inner, '    </testcase>'].join('\n')
}

export function renderJunit(report: Report, strict = false): string {
  const count = (o: Outcome) => report.checks.filter((f) => outcome(f, strict) === o).length
  const [tests, failures, errors, skipped, time] = [report.checks.length, count('failure'), count('error'), count('skipped'), seconds(report.durationMs)]
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    // junit-10.xsd allows no `skipped` on <testsuites>; it is on the <testsuite>.
    `<testsuites name="shipshape" tests="${tests}" failures="${failures}" errors="${errors}" time="${time}">`,
    `  <testsuite name="shipshape doctor" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}" timestamp="${xmlEscape(report.startedAt)}">`,
    ...report.checks.map((f) => testcase(f, strict)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
