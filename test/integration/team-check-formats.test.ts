// A team check goes where a built-in one goes, each read by what really reads it: TAP by prove,
// JUnit by xmllint against Jenkins' schema, Prometheus text by promtool, Markdown and the checklist
// by a Markdown parser, the history after a scheduled run, and serve's /healthz.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { marked } from 'marked'
import { junitXsd, promtoolCheck, prove, xmllintSchema } from '../consumers.js'
import { need } from '../gate.js'
import { serve } from '../helpers.js'
import { team } from '../team.js'

const CONFIG = `checks:
  vpn-up: {run: checks/vpn.sh, title: Company VPN, required: true, description: the VPN the registry sits behind}
  git-email: {run: checks/email.sh, title: Work git email}
`
const FILES = {
  'checks/vpn.sh': '#!/bin/sh\necho "tunnel up"\n',
  'checks/email.sh': '#!/bin/sh\necho "git user.email is alice@home.example"\nexit 1\n',
}
const ONLY = ['--only', 'vpn-up,git-email']

test('a team check in TAP, JUnit, Prometheus, Markdown and the checklist, read by their consumers', async (t) => {
  const tm = await team(t, CONFIG, FILES)
  await tm.run(['allow'])
  const out = async (format: string) => {
    const r = await tm.run(['doctor', '--format', format, ...ONLY])
    assert.equal(r.code, 0, `${format}: ${r.stderr}`)
    return r.stdout
  }
  if (await need(t, 'prove')) {
    const tap = await out('tap')
    const verdict = await prove(tap)
    assert.ok(verdict.passed, verdict.output)
    assert.match(verdict.output, /ok \d+ - (vpn-up|Company VPN)/)
    assert.match(tap, /git-email|Work git email/)
  }
  const xsd = await junitXsd(t)
  if (xsd) {
    const xml = await out('junit')
    assert.equal(await xmllintSchema(xml, xsd), null)
    assert.match(xml, /name="[^"]*vpn-up[^"]*"|name="Company VPN"/)
  }
  if (await need(t, 'promtool')) {
    const prom = await out('prometheus')
    assert.equal(await promtoolCheck(prom), null)
    assert.match(prom, /check="git-email"/)
  }
  const md = marked.lexer(await out('markdown'))
  assert.match(JSON.stringify(md), /Work git email/)
  const list = await tm.run(['checklist', ...ONLY])
  assert.equal(list.code, 0, list.stderr)
  assert.match(JSON.stringify(marked.lexer(list.stdout)), /Company VPN.*tunnel up|tunnel up.*Company VPN/)
})

test('a team check in the history of scheduled runs and in /healthz', async (t) => {
  const tm = await team(t, CONFIG, FILES)
  await tm.run(['allow'])
  assert.equal((await tm.run(['schedule', 'run', ...ONLY])).code, 0)
  const history = await tm.run(['history'])
  assert.equal(history.code, 0, history.stderr)
  assert.match(history.stdout, /git-email/)

  const { url } = await serve(t, tm.dir, ONLY, tm.env)
  const res = await fetch(`${url}/healthz`)
  assert.equal(res.status, 200)
  const body = (await res.json()) as { checks: { id: string; status: string }[] }
  assert.deepEqual(body.checks.map((c) => [c.id, c.status]), [['vpn-up', 'ok'], ['git-email', 'fail']])
})
