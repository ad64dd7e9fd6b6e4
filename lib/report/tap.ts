// `--format tap`: TAP version 13 (https://testanything.org/tap-version-13-specification.html), one
// test point per check, with the finding as a YAMLish diagnostic block. Version 13 because the most
// installed harness, Perl's `prove` (TAP::Harness 3.x), refuses 14; tap-parser reads 13 as well.
//
// A point fails exactly when the finding fails the run (`failsRun`, the rule behind the exit code), so
// the harness's verdict is doctor's exit code. An optional check that failed is `not ok … # TODO`:
// shown, not counted. A skip is `# SKIP`; a warning passes unless --strict, and says so in its diagnostics.

import type { Finding, Report } from '../types.js'
import { failsRun } from '../runner.js'
import { fixLines } from './fix-text.js'

// A description may not contain `#` unescaped (it starts a directive) nor a newline.
const description = (text: string) => text.replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/[\r\n]+/g, ' ')

// The YAMLish that TAP::Parser::YAMLish::Reader (prove) and the yaml package (tap-parser) read alike:
// a flat map of numbers, booleans, single-line strings and lists of strings. Perl's reader knows no
// block-scalar chomping (`|-`) nor multi-line quoted strings, so a string is plain when it is plainly
// a word-ish string in both YAML 1.1 and 1.2, else double-quoted on one line with escapes both know.
const PLAIN = /^[A-Za-z][\w .\/@+,()=-]*$/
const KEYWORD = /^(?:y|n|yes|no|on|off|true|false|null)$/i
const ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function scalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value)
  if (PLAIN.test(value) && value === value.trim() && !KEYWORD.test(value)) return value
  const text = value
    .replace(/[\x80-\x9f\uFFFE\uFFFF]|\p{Cs}/gu, '') // not printable in YAML, no escape Perl's reader shares
    .replace(/[\\"\x00-\x1f\x7f]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  return `"${text}"`
}

// Perl's reader takes a list item whose first word ends in `: ` for a map, even inside quotes, and
// then dies on the quote; `\x3a` is a colon to both readers and not to that test.
const LOOKS_LIKE_MAP = /^(\S+?\s*):(?=\s|$)/
function listItem(value: string): string {
  let text = scalar(value)
  while (LOOKS_LIKE_MAP.test(text)) text = text.replace(LOOKS_LIKE_MAP, '$1\\x3a')
  return text
}

function yamlish(diag: Record<string, string | number | boolean | string[]>): string[] {
  return Object.entries(diag).flatMap(([key, value]) => (Array.isArray(value) ? [`${key}:`, ...value.map((v) => `  - ${listItem(v)}`)] : [`${key}: ${scalar(value)}`]))
}

function point(f: Finding, n: number, strict: boolean): string {
  const fails = failsRun(f, strict)
  const todo = !fails && (f.status === 'fail' || f.status === 'timeout' || f.status === 'error')
  // A skip that fails the run (a required check whose prerequisite failed) is a plain `not ok`: under
  // a SKIP directive a harness would count it as passed.
  const directive = f.status === 'skip' && !fails ? ` # SKIP ${description(f.summary)}` : todo ? ` # TODO optional check (${f.status}), does not fail the run` : ''
  const head = `${fails || todo ? 'not ok' : 'ok'} ${n} - ${description(`${f.id}: ${f.summary}`)}${directive}`
  const diag: Record<string, string | number | boolean | string[]> = { status: f.status, title: f.title, required: f.required, duration_ms: f.durationMs }
  if (f.version) diag.version = f.version
  if (f.details.length) diag.details = f.details
  const fix = fixLines(f.fix)
  if (fix.length) diag.fix = fix
  return [head, '  ---', ...yamlish(diag).map((l) => `  ${l}`), '  ...'].join('\n')
}

export function renderTap(report: Report, strict = false): string {
  return ['TAP version 13', `1..${report.checks.length}`, ...report.checks.map((f, i) => point(f, i + 1, strict)), ''].join('\n')
}
