// `--format junit`: the JUnit XML that CI systems (GitLab, Jenkins, GitHub test reporters) already
// show, so a machine check lands in the same test report as the code's own tests. One testsuite, one
// testcase per check; fail, timeout and error are <failure>, skip is <skipped>.

import type { Finding, Report } from '../types.js'
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

function testcase(f: Finding): string {
  const head = `    <testcase classname="shipshape.doctor" name="${xmlEscape(f.id)}" time="${seconds(f.durationMs)}">`
  const body = [...f.details.map((d) => `detail: ${d}`), ...fixLines(f.fix).map((l) => `fix: ${l}`)].join('\n')
  const message = `${f.title}: ${f.summary}`
  const inner: string[] = []
  if (f.status === 'fail' || f.status === 'timeout' || f.status === 'error') {
    inner.push(`      <failure message="${xmlEscape(message)}" type="${f.status}">${xmlEscape(body)}</failure>`)
  } else if (f.status === 'skip') {
    inner.push(`      <skipped message="${xmlEscape(message)}"/>`)
  } else {
    inner.push(`      <system-out>${xmlEscape([`${f.status}: ${message}${f.version ? ` (${f.version})` : ''}`, body].filter(Boolean).join('\n'))}</system-out>`)
  }
  return [head, ...inner, '    </testcase>'].join('\n')
}

export function renderJunit(report: Report): string {
  const s = report.summary
  const failures = s.fail + s.timeout + s.error
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shipshape" tests="${report.checks.length}" failures="${failures}" skipped="${s.skip}" time="${seconds(report.durationMs)}">`,
    `  <testsuite name="shipshape doctor" tests="${report.checks.length}" failures="${failures}" errors="0" skipped="${s.skip}" time="${seconds(report.durationMs)}" timestamp="${xmlEscape(report.startedAt)}">`,
    ...report.checks.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
