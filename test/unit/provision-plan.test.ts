// The plan and executor as a user meets them: one step per id however many checks ask, needs
// before what needs them, done steps left out, a failure stopping only what depends on it, sudo
// when not root (failing by name without it), and a log file with every command and its output.

import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { placeFile } from '../../lib/provision/files.js'
import { buildPlan, executePlan, newLogFile, orderByNeeds } from '../../lib/provision/plan.js'
import type { Finding, Step } from '../../lib/types.js'
import { fakeBinDir, makeContext, tempDir } from '../helpers.js'

/** Fake brew, apt-get, dpkg, sudo, curl… that log their argv (test/bin/provision). */
const provisionBin = join(fakeBinDir, 'provision')

const step = (id: string, over: Partial<Step> = {}): Step => ({ id, title: `step ${id}`, argv: ['true'], sudo: false, ...over })
const failing = (id: string, steps: Step[], manual?: string): Finding => ({
  id, title: id, required: true, status: 'fail', summary: 'missing', version: null, details: [], durationMs: 1, fix: { steps, ...(manual ? { manual } : {}) },
})

test('a step two checks ask for is planned once, after what it needs, naming both checks', async () => {
  const ctx = makeContext()
  const plan = await buildPlan(ctx, [
    failing('kubectl', [step('install', { needs: ['update'] }), step('update', { needs: ['keys'] })]),
    failing('docker-cli', [step('keys'), step('update', { needs: ['keys'] })], 'Log out and back in.'),
    { ...failing('minikube', [step('never')]), status: 'ok' },
  ])
  assert.deepEqual(plan.steps.map((s) => s.id), ['keys', 'update', 'install'])
  assert.equal(plan.steps.find((s) => s.id === 'update')!.reason, 'kubectl, docker-cli')
  assert.deepEqual(plan.manual, ['docker-cli: Log out and back in.'])
})

test('steps whose done guard holds are left out; a guard that throws keeps the step', async () => {
  const ctx = makeContext()
  const plan = await buildPlan(ctx, [failing('x', [
    step('a', { done: async () => true }),
    step('b', { done: async () => { throw new Error('cannot tell') } }),
    step('c'),
  ])], { skipSteps: ['c'] })
  assert.deepEqual(plan.steps.map((s) => s.id), ['b'])
  assert.deepEqual(plan.satisfied.map((s) => s.id), ['a'])
  assert.deepEqual(plan.skipped.map((s) => s.id), ['c'])
})

test('a step without a guard is left out when everything that needs it is done', async () => {
  const ctx = makeContext()
  const plan = await buildPlan(ctx, [failing('docker-cli', [
    step('apt-update'),
    step('install', { needs: ['apt-update'], done: async () => true }),
    step('refresh-vendor'),
    step('vendor-install', { needs: ['refresh-vendor'] }),
  ])])
  assert.deepEqual(plan.steps.map((s) => s.id), ['refresh-vendor', 'vendor-install'])
  assert.deepEqual(plan.satisfied.map((s) => s.id), ['install', 'apt-update'])
})

test('steps that need each other in a circle are an error, not a hang', () => {
  assert.throws(() => orderByNeeds([step('a', { needs: ['b'] }), step('b', { needs: ['a'] })]), /circle: a → b → a/)
})

test('a failed step stops what needs it; independent steps still run; the log has every command', async (t) => {
  const home = await tempDir(t)
  const ctx = makeContext({ home, env: { PATH: process.env.PATH, HOME: home, SHIPSHAPE_UID: '0' } })
  const ran: string[] = []
  const plan = await buildPlan(ctx, [failing('x', [
    step('broken', { argv: ['sh', '-c', 'echo out-of-broken; echo no such package >&2; exit 100'] }),
    step('after-broken', { needs: ['broken'], perform: async () => void ran.push('after-broken') }),
    step('after-after', { needs: ['after-broken'], perform: async () => void ran.push('after-after') }),
    step('independent', { perform: async () => void ran.push('independent') }),
    step('throws', { perform: async () => { throw new Error('https://example.invalid/key: fingerprint mismatch') } }),
  ])])
  const logFile = await newLogFile(ctx)
  const results = await executePlan(ctx, plan, { logFile })
  const by = Object.fromEntries(results.map((r) => [r.id, r]))
  assert.equal(by.broken.status, 'failed')
  assert.match(by.broken.error!, /sh -c .*no such package/)
  assert.equal(by['after-broken'].status, 'blocked')
  assert.equal(by['after-after'].status, 'blocked')
  assert.equal(by.independent.status, 'ok')
  assert.match(by.throws.error!, /example\.invalid\/key: fingerprint mismatch/)
  assert.deepEqual(ran, ['independent'])
  assert.ok(logFile.startsWith(join(home, '.shipshape', 'logs')))
  const log = await readFile(logFile, 'utf8')
  assert.match(log, /\$ sh -c/)
  assert.match(log, /out-of-broken/)
  assert.match(log, /no such package/)
  assert.match(log, /after-broken: blocked/)
})

test('an interrupted run finishes the running step and starts no other', async (t) => {
  const home = await tempDir(t)
  const ctx = makeContext({ home })
  const stop = new AbortController()
  const ran: string[] = []
  const plan = await buildPlan(ctx, [failing('x', [
    step('first', { perform: async () => { stop.abort(); await new Promise((r) => setTimeout(r, 50)); ran.push('first') } }),
    step('second', { perform: async () => void ran.push('second') }),
  ])])
  const results = await executePlan(ctx, plan, { logFile: join(home, 'x.log'), signal: stop.signal })
  assert.deepEqual(ran, ['first'])
  assert.deepEqual(results.map((r) => [r.id, r.status]), [['first', 'ok'], ['second', 'blocked']])
  assert.match(results[1].error!, /interrupted/)
})

test('as an ordinary user, root steps go through sudo -n; without sudo they fail by name', async (t) => {
  const home = await tempDir(t)
  const logPath = join(home, 'fake.log')
  const withSudo = makeContext({ home, env: { PATH: `${provisionBin}:/usr/bin:/bin`, HOME: home, SHIPSHAPE_UID: '1000', SHIPSHAPE_FAKE_LOG: logPath } })
  const plan = { steps: [step('sysctl', { argv: ['sysctl', '-w', 'vm.max_map_count=262144'], sudo: true })], satisfied: [], skipped: [], manual: [] }
  const [ok] = await executePlan(withSudo, plan, { logFile: join(home, 'a.log') })
  assert.equal(ok.status, 'ok')
  assert.deepEqual((await readFile(logPath, 'utf8')).trim().split('\n'), ['sudo -n sysctl -w vm.max_map_count=262144', 'sysctl -w vm.max_map_count=262144'])

  const refused = makeContext({ home, env: { ...withSudo.env, FAKE_SUDO_REFUSE: '1' } })
  const [no] = await executePlan(refused, plan, { logFile: join(home, 'b.log') })
  assert.equal(no.status, 'failed')
  assert.match(no.error!, /sudo -n sysctl .*a password is required/)

  const noSudo = makeContext({ home, env: { PATH: '/nonexistent', HOME: home, SHIPSHAPE_UID: '1000' } })
  const [missing] = await executePlan(noSudo, plan, { logFile: join(home, 'c.log') })
  assert.equal(missing.status, 'failed')
  assert.match(missing.error!, /step sysctl needs root/)
})

test('under sudo, a step for the user runs as SUDO_USER; as plain root it refuses by name', async (t) => {
  const home = await tempDir(t)
  const logPath = join(home, 'fake.log')
  const env = { PATH: `${provisionBin}:/usr/bin:/bin`, HOME: home, SHIPSHAPE_UID: '0', SHIPSHAPE_FAKE_LOG: logPath }
  const plan = { steps: [step('minikube-start', { argv: ['minikube', 'start', '--driver=docker'], asUser: true })], satisfied: [], skipped: [], manual: [] }
  const [ok] = await executePlan(makeContext({ home, env: { ...env, SUDO_USER: 'alice' } }), plan, { logFile: join(home, 'a.log') })
  assert.equal(ok.status, 'ok')
  assert.match(await readFile(logPath, 'utf8'), /^sudo -n -u alice -H -- minikube start --driver=docker\nminikube start --driver=docker\n$/)
  const [asRoot] = await executePlan(makeContext({ home, env }), plan, { logFile: join(home, 'b.log') })
  assert.equal(asRoot.status, 'failed')
  assert.match(asRoot.error!, /minikube-start must not run as root/)
})

test('with the sudo password typed once, root steps and root file writes get it on stdin, and the log never shows it', async (t) => {
  const home = await tempDir(t)
  const fakeLog = join(home, 'fake.log')
  const env = { PATH: `${provisionBin}:/usr/bin:/bin`, HOME: home, SHIPSHAPE_UID: '1000', SHIPSHAPE_FAKE_LOG: fakeLog, FAKE_SUDO_REFUSE: '1', FAKE_SUDO_PASSWORD: 's3cret' }
  const ctx = makeContext({ home, hostRoot: home, env })
  const plan = {
    steps: [
      step('sysctl', { argv: ['sh', '-c', 'echo ran'], sudo: true }),
      step('source-file', { sudo: true, perform: (c) => placeFile(c, '/etc/apt/sources.list.d/x.sources', 'Types: deb\n') }),
    ],
    satisfied: [], skipped: [], manual: [],
  }
  const logFile = join(home, 'setup.log')
  const results = await executePlan(ctx, plan, { logFile, sudoPassword: 's3cret' })
  assert.deepEqual(results.map((r) => r.status), ['ok', 'ok'], JSON.stringify(results))
  assert.equal(await readFile(join(home, 'etc/apt/sources.list.d/x.sources'), 'utf8'), 'Types: deb\n')
  assert.ok((await readFile(fakeLog, 'utf8')).split('\n').filter((l) => l.startsWith('sudo')).every((l) => l.startsWith('sudo -S -p  ')))
  assert.doesNotMatch(await readFile(logFile, 'utf8'), /s3cret/)

  const [wrong] = await executePlan(ctx, { ...plan, steps: [plan.steps[0]] }, { logFile, sudoPassword: 'guess' })
  assert.equal(wrong.status, 'failed')
  assert.match(wrong.error!, /Sorry, try again/)
})
