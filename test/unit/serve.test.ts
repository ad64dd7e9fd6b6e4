// `serve` on a loopback port with fake checks run by the real runner: 200 when ready, 503 when not,
// Prometheus text on /metrics, 404 elsewhere, one doctor run for 50 concurrent requests, and the cache.

import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { test, type TestContext } from 'node:test'
import { createHealthServer, parseDuration } from '../../lib/serve.js'
import { maskUrlCredentials } from '../../lib/redact.js'
import type { Status } from '../../lib/types.js'
import { parsePrometheusText } from '../prometheus-text.js'
import { reportOf, statusCheck } from '../sample-report.js'

async function start(t: TestContext, status: () => Status, cacheMs = 30_000, now?: () => number) {
  const calls = { n: 0 }
  const health = createHealthServer({ run: () => reportOf([statusCheck('docker-daemon', status, calls), statusCheck('kubectl', () => 'ok')]), cacheMs, now })
  await new Promise<void>((resolve) => health.server.listen(0, '127.0.0.1', resolve))
  t.after(() => health.close())
  const base = `http://127.0.0.1:${(health.server.address() as AddressInfo).port}`
  return { health, base, calls }
}

test('GET /healthz is 200 with the JSON report when every required check is ok', async (t) => {
  const { base } = await start(t, () => 'ok')
  const res = await fetch(`${base}/healthz`)
  assert.equal(res.status, 200)
  assert.match(res.headers.get('content-type')!, /application\/json/)
  const body = (await res.json()) as { summary: { exitCode: number }; checks: { id: string; status: string }[] }
  assert.equal(body.summary.exitCode, 0)
  assert.deepEqual(body.checks.map((c: { id: string; status: string }) => `${c.id}=${c.status}`), ['docker-daemon=ok', 'kubectl=ok'])
})

test('GET /healthz is 503 when a required check fails; /metrics still answers 200 with the state', async (t) => {
  const { base } = await start(t, () => 'fail')
  const res = await fetch(`${base}/healthz`)
  assert.equal(res.status, 503)
  assert.equal(((await res.json()) as { checks: { status: string }[] }).checks[0].status, 'fail')
  const metrics = await fetch(`${base}/metrics`)
  assert.equal(metrics.status, 200)
  assert.match(metrics.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/)
  const families = parsePrometheusText(await metrics.text())
  const failing = families.get('shipshape_check_status')!.samples.find((s) => s.labels.check === 'docker-daemon' && s.labels.status === 'fail')
  assert.equal(failing?.value, 1)
})

test('other paths are 404 and other methods 405, without running the checks', async (t) => {
  const { base, calls } = await start(t, () => 'ok')
  assert.equal((await fetch(`${base}/`)).status, 404)
  assert.equal((await fetch(`${base}/healthz/x`)).status, 404)
  assert.equal((await fetch(`${base}/healthz`, { method: 'POST' })).status, 405)
  assert.equal(calls.n, 0)
})

test('50 concurrent requests during a run share that one run', async (t) => {
  const { base, health, calls } = await start(t, () => 'ok')
  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${base}/${i % 2 ? 'metrics' : 'healthz'}`).then((r) => r.status)))
  assert.deepEqual(new Set(answers), new Set([200]))
  assert.equal(health.runs(), 1)
  assert.equal(calls.n, 1)
})

test('with no cache at all, requests that arrive during a run still share it', async (t) => {
  let seen = 0
  let runs = 0
  // The run ends only once all 50 requests are in (or after 5 s), so every one of them arrives mid-run.
  const health = createHealthServer({
    cacheMs: 0,
    run: async () => {
      runs++
      for (let i = 0; i < 500 && seen < 50; i++) await new Promise((r) => setTimeout(r, 10))
      return reportOf([statusCheck('docker-daemon', () => 'ok')])
    },
  })
  health.server.on('request', () => seen++)
  await new Promise<void>((resolve) => health.server.listen(0, '127.0.0.1', resolve))
  t.after(() => health.close())
  const base = `http://127.0.0.1:${(health.server.address() as AddressInfo).port}`
  const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${base}/healthz`).then((r) => r.status)))
  assert.equal(seen, 50)
  assert.deepEqual(new Set(answers), new Set([200]))
  assert.equal(runs, 1)
  assert.equal((await fetch(`${base}/healthz`)).status, 200)
  assert.equal(runs, 2, 'the next request after the run starts a new one')
})

test('a result is reused for the cache period and refreshed after it', async (t) => {
  let clock = 1_000_000
  let status: Status = 'ok'
  const { base, health } = await start(t, () => status, 30_000, () => clock)
  assert.equal((await fetch(`${base}/healthz`)).status, 200)
  status = 'fail'
  clock += 29_000
  assert.equal((await fetch(`${base}/healthz`)).status, 200, 'still the cached run')
  clock += 2_000
  assert.equal((await fetch(`${base}/healthz`)).status, 503, 'a fresh run after the cache period')
  assert.equal(health.runs(), 2)
})

test('a doctor run that throws answers 500 and the next request tries again', async (t) => {
  let n = 0
  const health = createHealthServer({ run: async () => { n++; if (n === 1) throw new Error('boom'); return reportOf([statusCheck('a', () => 'ok')]) }, cacheMs: 30_000 })
  await new Promise<void>((resolve) => health.server.listen(0, '127.0.0.1', resolve))
  t.after(() => health.close())
  const base = `http://127.0.0.1:${(health.server.address() as AddressInfo).port}`
  const first = await fetch(`${base}/healthz`)
  assert.equal(first.status, 500)
  assert.match(await first.text(), /boom/)
  assert.equal((await fetch(`${base}/healthz`)).status, 200)
})

test('--cache durations', () => {
  assert.equal(parseDuration('30s'), 30_000)
  assert.equal(parseDuration('5m'), 300_000)
  assert.equal(parseDuration('250ms'), 250)
  assert.equal(parseDuration('1500'), 1500)
  assert.equal(parseDuration('soon'), null)
})

/** Sends raw bytes and returns what comes back before the server closes or 5 s pass. */
async function raw(port: number, text: string): Promise<string> {
  const { createConnection } = await import('node:net')
  return new Promise((resolve, reject) => {
    const sock = createConnection(port, '127.0.0.1')
    let got = ''
    const timer = setTimeout(() => { sock.destroy(); resolve(got) }, 5_000)
    sock.on('data', (d) => (got += d))
    sock.on('error', reject)
    sock.on('close', () => { clearTimeout(timer); resolve(got) })
    sock.write(text)
  })
}

test('a request target that is not a URL (//[, //a:99999/) is 400 and the server keeps answering', async (t) => {
  const { base, health } = await start(t, () => 'ok')
  const port = (health.server.address() as AddressInfo).port
  for (const target of ['//[', '//a:99999/']) {
    const answer = await raw(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
    assert.match(answer, /^HTTP\/1\.1 400 /, `${target}: ${answer}`)
  }
  assert.equal((await fetch(`${base}/healthz`)).status, 200)
})

test('close() stops a run in progress: the request in flight is answered 503 and the run is aborted', async (t) => {
  let aborted = false
  let started!: () => void
  const running = new Promise<void>((r) => (started = r))
  const health = createHealthServer({
    cacheMs: 0,
    run: (signal) => new Promise((_, reject) => {
      started()
      signal.addEventListener('abort', () => { aborted = true; reject(new Error('stopped')) })
    }),
  })
  await new Promise<void>((resolve) => health.server.listen(0, '127.0.0.1', resolve))
  t.after(() => health.server.closeAllConnections())
  const base = `http://127.0.0.1:${(health.server.address() as AddressInfo).port}`
  const answer = fetch(`${base}/healthz`).then(async (r) => ({ status: r.status, text: await r.text() }))
  await running
  await health.close(5_000)
  assert.equal(aborted, true, 'the run got the abort')
  const got = await answer
  assert.equal(got.status, 503)
  assert.match(got.text, /shutting down/)
})

test('credentials in a URL are masked in /healthz and /metrics', async (t) => {
  const health = createHealthServer({
    cacheMs: 0,
    run: () => reportOf([{ id: 'docker-host', title: 'DOCKER_HOST', required: true, run: async () => ({ status: 'warn', summary: 'DOCKER_HOST=tcp://admin:pw-s3cret@10.0.0.5:2375', details: ['mirror https://deploy:tok%40en@mirror.example.test/docker'] }) }]),
  })
  await new Promise<void>((resolve) => health.server.listen(0, '127.0.0.1', resolve))
  t.after(() => health.close())
  const base = `http://127.0.0.1:${(health.server.address() as AddressInfo).port}`
  const body = await (await fetch(`${base}/healthz`)).text()
  assert.ok(!body.includes('pw-s3cret') && !body.includes('tok%40en'), body)
  assert.match(body, /tcp:\/\/admin:\*\*\*@10\.0\.0\.5:2375/)
  assert.match(body, /https:\/\/deploy:\*\*\*@mirror\.example\.test\/docker/)
})

test('maskUrlCredentials: the password goes, the user, host and text around stay', () => {
  assert.equal(maskUrlCredentials('see https://deploy:s3cret@mirror.example.test/x and ssh://git@example.test'), 'see https://deploy:***@mirror.example.test/x and ssh://git@example.test')
  assert.equal(maskUrlCredentials('"tcp://:pw@h:1"'), '"tcp://:***@h:1"')
  // The last '@' of the authority ends the password; without a scheme (curl and Go accept it) too.
  assert.equal(maskUrlCredentials('HTTPS_PROXY=http://alice:p@ssw0rd@127.0.0.1:3128/x'), 'HTTPS_PROXY=http://alice:***@127.0.0.1:3128/x')
  assert.equal(maskUrlCredentials('HTTP_PROXY=bob:SECRET@127.0.0.1:3128 "bob:S@CRET@h"'), 'HTTP_PROXY=bob:***@127.0.0.1:3128 "bob:***@h"')
  assert.equal(maskUrlCredentials('http://u:p@[::1]:3128/?q=a@b'), 'http://u:***@[::1]:3128/?q=a@b')
  // Not credentials: an address, an image pinned by digest, IPv6.
  const digest = `busybox:1.36@sha256:${'a'.repeat(64)}`
  for (const plain of ['alice@example.com', digest, '[::1]:80', 'ssh://git@example.test']) assert.equal(maskUrlCredentials(plain), plain)
})
