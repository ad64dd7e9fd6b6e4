// doctor's machine formats read by the programs CI systems and monitoring really use: prove and its
// TAP::Parser (TAP::Harness 3.44, TAP 13), xmllint with Jenkins' junit-10.xsd, promtool. Whatever a
// harness concludes must be doctor's exit code, in both directions: a machine doctor calls ready is
// green in CI, one it calls not ready is red.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { XMLParser } from 'fast-xml-parser'
import { Parser as TapParser, type FinalResults } from 'tap-parser'
import { render } from '../../lib/report/index.js'
import { buildReport, runChecks } from '../../lib/runner.js'
import type { Check, Outcome, Report, Status } from '../../lib/types.js'
import { need } from '../gate.js'
import { junitXsd, perlTapParser, promtoolCheck, prove, xmllintSchema } from '../consumers.js'
import { cleanEnv, makeContext, put, runCli, tempDir } from '../helpers.js'
import { NASTY, sampleReport } from '../sample-report.js'

const opts = { verbose: false, color: false }

function check(id: string, required: boolean, status: Status): Check {
  const run = async (): Promise<Outcome> => {
    if (status === 'timeout') return new Promise(() => {})
    if (status === 'error') throw new Error('a bug')
    return { status, summary: `${id} is ${status}: see "details"`, details: [`${id}: ${status}`] }
  }
  return { id, title: id, required, ...(status === 'timeout' ? { timeoutMs: 30 } : {}), run }
}

// Each report with the exit code doctor gives it without and with --strict.
const SCENARIOS: { name: string; checks: Check[]; exit: [number, number] }[] = [
  { name: 'all ok', checks: [check('a', true, 'ok'), check('b', false, 'ok'), { ...check('c', false, 'ok'), appliesTo: () => false }], exit: [0, 0] },
  { name: 'optional warning', checks: [check('a', true, 'ok'), check('b', false, 'warn')], exit: [0, 1] },
  { name: 'optional fail', checks: [check('a', true, 'ok'), check('b', false, 'fail')], exit: [0, 1] },
  { name: 'optional timeout', checks: [check('a', true, 'ok'), check('b', false, 'timeout')], exit: [0, 1] },
  { name: 'required fail', checks: [check('a', true, 'fail'), check('b', false, 'ok')], exit: [1, 1] },
  { name: 'required timeout', checks: [check('a', true, 'timeout')], exit: [1, 1] },
  { name: 'required error', checks: [check('a', true, 'error'), check('b', false, 'fail')], exit: [1, 1] },
]

async function reportOf(checks: Check[], strict: boolean): Promise<Report> {
  const ctx = makeContext()
  const started = ctx.now()
  return buildReport(await runChecks(checks, ctx), ctx, started, '0.1.0', strict)
}

/** What a JUnit reader concludes: red when any testcase holds a failure or an error; and the suite's own counts. */
function junitVerdict(xml: string): { red: boolean; counted: number } {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(xml)
  const suite = doc.testsuites.testsuite[0]
  const red = suite.testcase.some((c: Record<string, unknown>) => c.failure !== undefined || c.error !== undefined)
  assert.equal(Number(doc.testsuites.failures) + Number(doc.testsuites.errors), Number(suite.failures) + Number(suite.errors))
  return { red, counted: Number(suite.failures) + Number(suite.errors) }
}

const tapParser = (tap: string) => new Promise<FinalResults>((resolve) => new TapParser(resolve).end(tap))

test('prove, tap-parser and a JUnit reader conclude what the exit code says: ok, optional fail, required fail, timeout, --strict', async (t) => {
  if (!(await need(t, 'prove'))) return
  for (const s of SCENARIOS) {
    for (const strict of [false, true]) {
      const label = `${s.name}${strict ? ' --strict' : ''}`
      const report = await reportOf(s.checks, strict)
      const exit = report.summary.exitCode
      assert.equal(exit, s.exit[strict ? 1 : 0], `${label}: doctor's exit code`)
      const tap = await render('tap', report, { ...opts, strict })
      const proved = await prove(tap)
      assert.equal(proved.passed, exit === 0, `${label}: prove says ${proved.passed ? 'PASS' : 'FAIL'}, doctor exits ${exit}\n${proved.output}`)
      assert.match(proved.output, new RegExp(`Tests=${s.checks.length},`), `${label}: prove saw every check`)
      assert.equal((await tapParser(tap)).ok, exit === 0, `${label}: tap-parser`)
      const junit = junitVerdict(await render('junit', report, { ...opts, strict }))
      assert.equal(junit.red, exit !== 0, `${label}: JUnit testcases`)
      assert.equal(junit.counted > 0, exit !== 0, `${label}: JUnit failures + errors`)
    }
  }
})

test('TAP::Parser (under prove) reads TAP 13 and every diagnostic as written, quotes, colons and escapes included', async (t) => {
  if (!(await need(t, 'prove'))) return
  const report = await sampleReport()
  report.checks[0].details.push('docker-daemon: a first word ending in a colon', '"quoted": item', 'a: : b', 'tab\tbell\u0007 é ✗ \\"', 'yes', '1.29')
  const read = await perlTapParser(await render('tap', report, opts))
  assert.deepEqual(read.parse_errors, [])
  assert.equal(read.version, 13)
  assert.equal(read.tests.length, report.checks.length)
  for (const [i, f] of report.checks.entries()) {
    const yaml = read.tests[i].yaml!
    assert.ok(yaml, `${f.id} has its diagnostics`)
    // Perl's YAMLish has no types: numbers and booleans come back as their text.
    assert.deepEqual([yaml.status, yaml.title, yaml.required, yaml.duration_ms], [f.status, f.title, String(f.required), String(f.durationMs)])
    assert.deepEqual(yaml.details ?? [], f.details, `${f.id}: details`)
  }
  const daemon = read.tests[2]
  assert.equal(daemon.yaml!.version, undefined)
  assert.deepEqual(daemon.yaml!.fix, ['sudo usermod -aG docker alice', 'Log out and back in so the new group applies.'])
  assert.equal(read.tests[0].yaml!.version, 'v1.32.4-gke.100')
  assert.equal(read.tests[3].directive, 'SKIP')
  assert.equal(daemon.description, `- docker-daemon: ${NASTY.replace('\n', ' ').replace('\\', '\\\\').replace('#', '\\#')}`)
})

test('JUnit is valid against Jenkins\' junit-10.xsd, with and without --strict', async (t) => {
  if (!(await need(t, 'xmllint'))) return
  const xsd = await junitXsd(t)
  if (!xsd) return
  const report = await sampleReport()
  report.checks[0].summary = 'bell\u0007 and nul\u0000 here'
  for (const strict of [false, true]) assert.equal(await xmllintSchema(await render('junit', report, { ...opts, strict }), xsd), null)
  for (const s of SCENARIOS) assert.equal(await xmllintSchema(await render('junit', await reportOf(s.checks, false), opts), xsd), null, s.name)
  // The schema is really applied: the attribute the issue found is refused.
  const refused = await xmllintSchema('<?xml version="1.0"?><testsuites skipped="1"/>', xsd)
  assert.match(refused ?? '', /attribute 'skipped' is not allowed/)
})

test('promtool accepts the Prometheus text, escaped labels included', async (t) => {
  if (!(await need(t, 'promtool'))) return
  const report = await sampleReport()
  report.checks[0].version = NASTY
  assert.equal(await promtoolCheck(await render('prometheus', report, opts)), null)
})

test('the real CLI: doctor --format tap|junit and prove agree with its exit code, --strict and an optional check\'s failure included', async (t) => {
  if (!(await need(t, 'prove'))) return
  const home = await tempDir(t)
  const team = await tempDir(t)
  // docker-host judges DOCKER_HOST alone: loopback tcp is a warning, tcp to another host without TLS a failure.
  await put(`${team}/shipshape.yaml`, 'checks:\n  docker-host: {required: true}\n')
  const cases = [
    { name: 'warning', host: 'tcp://127.0.0.1:2375', args: [], cwd: home, exit: 0 },
    { name: 'warning --strict', host: 'tcp://127.0.0.1:2375', args: ['--strict'], cwd: home, exit: 1 },
    { name: 'optional fail', host: 'tcp://192.0.2.10:2375', args: [], cwd: home, exit: 0 },
    { name: 'optional fail --strict', host: 'tcp://192.0.2.10:2375', args: ['--strict'], cwd: home, exit: 1 },
    { name: 'required by the team\'s config', host: 'tcp://192.0.2.10:2375', args: [], cwd: team, exit: 1 },
  ]
  for (const c of cases) {
    const run = (format: string) => runCli(['doctor', '--format', format, '--only', 'docker-host', ...c.args], { cwd: c.cwd, env: cleanEnv({ HOME: home, DOCKER_HOST: c.host, CI: 'true' }), timeoutMs: 30_000 })
    const tap = await run('tap')
    assert.equal(tap.code, c.exit, `${c.name}: ${tap.stderr}`)
    const proved = await prove(tap.stdout)
    assert.equal(proved.passed, tap.code === 0, `${c.name}: prove\n${proved.output}`)
    const junit = await run('junit')
    assert.equal(junit.code, c.exit)
    assert.equal(junitVerdict(junit.stdout).red, junit.code !== 0, `${c.name}: JUnit`)
  }
})
