// Every machine format parses with a real parser, and what a CI system, TAP consumer, Prometheus or a
// Markdown renderer reads back is the report: statuses, times, versions, fixes, escaped text intact.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { marked, type Tokens } from 'marked'
import { Parser as TapParser, type FinalResults } from 'tap-parser'
import { render } from '../../lib/report/index.js'
import { parsePrometheusText } from '../prometheus-text.js'
import { NASTY, sampleReport } from '../sample-report.js'

const opts = { verbose: false, color: false }

test('junit: one testsuite, a testcase per check with its time, failure for fail/timeout, error for error, skipped for skip', async () => {
  const report = await sampleReport()
  const xml = await render('junit', report, opts)
  assert.equal(XMLValidator.validate(xml), true)
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name), parseAttributeValue: false }).parse(xml)
  assert.equal(doc.testsuites.testsuite.length, 1)
  const suite = doc.testsuites.testsuite[0]
  assert.equal(Number(suite.tests), 6)
  assert.equal(Number(suite.failures), 2)
  assert.equal(Number(suite.errors), 1)
  assert.equal(doc.testsuites.skipped, undefined, 'junit-10.xsd allows no skipped on <testsuites>')
  assert.equal(Number(suite.skipped), 1)
  const cases = Object.fromEntries(suite.testcase.map((c: { name: string }) => [c.name, c]))
  assert.deepEqual(Object.keys(cases), ['kubectl', 'docker-compose', 'docker-daemon', 'minikube', 'ports', 'resources'])
  for (const c of suite.testcase) assert.match(c.time, /^\d+\.\d{3}$/)
  // About its bound: libuv measures timers from a loop time that can lag a few ms under load.
  assert.ok(Number(cases.ports.time) >= 0.02, 'the timed-out check reports about its bound as its time')
  assert.equal(cases['docker-daemon'].failure[0].type, 'fail')
  assert.equal(cases['docker-daemon'].failure[0].message, `Docker daemon: ${NASTY}`, 'quotes, <, & and newlines survive escaping')
  assert.match(cases['docker-daemon'].failure[0]['#text'], /fix: sudo usermod -aG docker alice/)
  assert.equal(cases.ports.failure[0].type, 'timeout')
  assert.equal(cases.resources.error[0].type, 'error', 'a check that threw is an error (a bug), not a failure')
  assert.ok(cases.minikube.skipped)
  assert.equal(cases.kubectl.failure, undefined)
  assert.equal(cases['docker-compose'].failure, undefined, 'a warning is not a failure')
})

test('junit: characters XML 1.0 cannot carry are dropped, not written', async () => {
  const report = await sampleReport()
  report.checks[0].summary = 'bell\u0007 and nul\u0000 here'
  const xml = await render('junit', report, opts)
  assert.equal(XMLValidator.validate(xml), true)
})

test('tap: version 13, a plan, one point per check, YAML diagnostics with the finding', async () => {
  const report = await sampleReport()
  const text = await render('tap', report, opts)
  assert.match(text, /^TAP version 13\n1\.\.6\n/)
  const asserts: { ok: boolean; id: number; name: string; skip: string | boolean; diag: Record<string, unknown> | null }[] = []
  const result = await new Promise<FinalResults>((resolve) => {
    const p = new TapParser(resolve)
    p.on('assert', (a) => asserts.push(a))
    p.end(text)
  })
  assert.equal(result.count, 6)
  assert.equal(result.plan.end, 6)
  assert.equal(result.fail, 3)
  assert.equal(result.skip, 1)
  const byId = Object.fromEntries(asserts.map((a) => [a.name.split(':')[0], a]))
  assert.equal(byId['docker-daemon'].ok, false)
  assert.equal(byId['docker-daemon'].name, `docker-daemon: ${NASTY.replace('\n', ' ')}`, 'a # in the description is escaped, not a directive')
  assert.deepEqual(byId['docker-daemon'].diag?.fix, ['sudo usermod -aG docker alice', 'Log out and back in so the new group applies.'])
  assert.equal(byId['docker-daemon'].diag?.status, 'fail')
  assert.equal(byId.kubectl.diag?.version, 'v1.32.4-gke.100')
  assert.equal(byId['docker-compose'].ok, true)
  assert.equal(byId['docker-compose'].diag?.status, 'warn')
  assert.equal(byId.minikube.skip, 'does not apply on linux')
  assert.equal(byId.ports.diag?.status, 'timeout')
})

test('prometheus: valid text format, a gauge per check and status, durations, versions, run time, escaped labels', async () => {
  const report = await sampleReport()
  report.checks[0].version = NASTY
  const families = parsePrometheusText(await render('prometheus', report, opts))
  const status = families.get('shipshape_check_status')!
  assert.equal(status.type, 'gauge')
  assert.ok(status.help)
  assert.equal(status.samples.length, 6 * 6)
  const one = status.samples.filter((s) => s.value === 1).map((s) => `${s.labels.check}=${s.labels.status}`)
  assert.deepEqual(one, ['kubectl=ok', 'docker-compose=warn', 'docker-daemon=fail', 'minikube=skip', 'ports=timeout', 'resources=error'])
  const durations = families.get('shipshape_check_duration_seconds')!.samples
  assert.ok(durations.find((s) => s.labels.check === 'ports')!.value >= 0.02, 'about the 30 ms bound')
  const tools = families.get('shipshape_tool_info')!.samples
  assert.deepEqual(tools.map((s) => [s.labels.tool, s.labels.version]), [['kubectl', NASTY], ['docker-compose', '1.29.2']])
  const last = families.get('shipshape_last_run_timestamp_seconds')!.samples[0].value
  assert.equal(last, Date.parse(report.startedAt) / 1000)
  assert.equal(families.get('shipshape_ready')!.samples[0].value, 0)
})

test('the test parser of the Prometheus format rejects what Prometheus rejects', () => {
  for (const bad of ['m{a="x} 1\n', 'm{a="\\q"} 1\n', '# TYPE m gauge\n# TYPE m gauge\n', 'm 1\nn 1\nm 2\n', 'm{a="1"} 1\nm{a="1"} 2\n', 'm one\n', 'm 1']) {
    assert.throws(() => parsePrometheusText(bad), Error, bad)
  }
})

test('markdown: a task per check with its version, the fix under each open item, stacks with their needs', async () => {
  const report = await sampleReport()
  const md = await render('markdown', report, { ...opts, title: 'Alice <laptop>', stacks: ['elasticsearch', 'nosuchstack'] })
  const tokens = marked.lexer(md)
  const heading = tokens.find((t): t is Tokens.Heading => t.type === 'heading' && t.depth === 1)!
  assert.equal(heading.text, 'Alice \\<laptop\\>')
  const lists = tokens.filter((t): t is Tokens.List => t.type === 'list')
  const checks = lists[1].items
  const tasks = checks.map((i) => [i.checked, i.text.split('\n')[0]])
  assert.deepEqual(tasks.map(([c]) => c), [true, true, false, false, false], 'ok and a warning without a fix are done; fail, timeout, error are open; the n/a check is not a task')
  assert.match(String(tasks[0][1]), /\*\*kubectl\*\* `v1.32.4-gke.100`/)
  const daemon = checks[2]
  const fix = (daemon.tokens.find((t) => t.type === 'list') as Tokens.List).items.map((i) => i.text)
  assert.deepEqual(fix, ['Run: `sudo usermod -aG docker alice`', 'Then: Log out and back in so the new group applies.'])
  const stacks = lists[2].items
  assert.equal(stacks[0].checked, false, 'elasticsearch waits for docker-daemon')
  assert.match(stacks[0].text, /`docker-daemon` ✗ fail/)
  assert.match(stacks[1].text, /unknown stack/)
  assert.match(lists[3].items[0].text, /minikube: does not apply on linux/)
})

test('an optional check that fails is shown but not counted: TAP # TODO, JUnit <skipped>; with --strict both fail, as the exit code does', async () => {
  const report = await sampleReport()
  const daemon = report.checks.find((f) => f.id === 'docker-daemon')!
  daemon.required = false
  const tap = await render('tap', report, opts)
  assert.match(tap, /^not ok 3 - docker-daemon: .* # TODO optional check \(fail\), does not fail the run$/m)
  const parsed = await new Promise<FinalResults>((resolve) => new TapParser(resolve).end(tap))
  assert.equal(parsed.todo, 1)
  assert.deepEqual(parsed.failures.filter((f) => !f.todo).map((f) => f.id), [5, 6], 'the timeout and the error still fail')
  const suite = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testcase' }).parse(xml).testsuites.testsuite
  const loose = suite(await render('junit', report, opts))
  const looseDaemon = loose.testcase.find((c: { name: string }) => c.name === 'docker-daemon')
  assert.equal(looseDaemon.failure, undefined)
  assert.match(looseDaemon.skipped.message, /^optional check \(fail\), does not fail the run: Docker daemon: /)
  assert.match(looseDaemon.skipped['#text'], /fix: sudo usermod -aG docker alice/)
  assert.deepEqual([loose.failures, loose.errors, loose.skipped], ['1', '1', '2'])

  const strictTap = await render('tap', report, { ...opts, strict: true })
  assert.match(strictTap, /^not ok 3 - docker-daemon: [^#]*\\#hash second line$/m, 'no TODO under --strict')
  assert.match(strictTap, /^not ok 2 - docker-compose: v1 is end of life$/m, 'a warning fails under --strict')
  const strict = suite(await render('junit', report, { ...opts, strict: true }))
  assert.deepEqual([strict.failures, strict.errors, strict.skipped], ['3', '1', '1'])
  assert.equal(strict.testcase.find((c: { name: string }) => c.name === 'docker-compose').failure.type, 'warn')
})
