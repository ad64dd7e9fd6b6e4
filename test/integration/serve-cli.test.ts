// The real `shipshape serve` process: it binds loopback, answers /healthz from a real doctor run, and
// stops cleanly (exit 0, port released) on SIGTERM, also while requests are open.

import assert from 'node:assert/strict'
import { createConnection } from 'node:net'
import { test } from 'node:test'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cleanEnv, fakeExecutable, runCli, serve, tempDir } from '../helpers.js'

test('serve answers on loopback and stops cleanly on SIGTERM', async (t) => {
  const { child, url, exited, stderr: said } = await serve(t, await tempDir(t), ['--only', 'platform'])
  const res = await fetch(`${url}/healthz`)
  assert.equal(res.status, 200)
  assert.equal(((await res.json()) as { checks: { id: string }[] }).checks[0].id, 'platform')
  // An idle keep-alive connection must not hold the process open.
  const idle = createConnection(Number(new URL(url).port), '127.0.0.1')
  await new Promise((resolve) => idle.once('connect', resolve))
  child.kill('SIGTERM')
  const code = await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error(`no exit within 10 s of SIGTERM: ${said()}`)), 10_000))])
  idle.destroy()
  assert.equal(code, 0, said())
  assert.match(said(), /SIGTERM, stopping/)
  await assert.rejects(fetch(`${url}/healthz`), 'the port is closed')
})

test('serve: a bad --cache or --port is exit 2 naming the flag', async () => {
  const a = await runCli(['serve', '--cache', 'soon'], { env: cleanEnv(), timeoutMs: 15_000 })
  assert.equal(a.code, 2)
  assert.match(a.stderr, /--cache.*'soon' is not a duration/)
  const b = await runCli(['serve', '--port', '70000'], { env: cleanEnv(), timeoutMs: 15_000 })
  assert.equal(b.code, 2)
  assert.match(b.stderr, /70000/)
})

test('serve: SIGTERM while a check hangs answers the request in flight and exits, killing the probe', async (t) => {
  const dir = await tempDir(t)
  const bin = join(dir, 'bin')
  await fakeExecutable(bin, 'docker', `echo $$ > ${join(dir, 'docker.pid')}\nexec sleep 1000`)
  const { child, url, exited, stderr: said } = await serve(t, dir, ['--only', 'docker-cli', '--timeout', '120000'], cleanEnv({ HOME: dir, PATH: `${bin}:${process.env.PATH}` }))
  const answer = fetch(`${url}/healthz`).then(async (r) => ({ status: r.status, text: await r.text() }), (e: Error) => ({ status: 0, text: String(e.cause ?? e) }))
  // Wait until the fake docker runs, so the request is truly in flight.
  for (let i = 0; i < 300 && !(await readFile(join(dir, 'docker.pid'), 'utf8').catch(() => '')); i++) await new Promise((r) => setTimeout(r, 50))
  const pid = Number(await readFile(join(dir, 'docker.pid'), 'utf8'))
  child.kill('SIGTERM')
  const code = await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error(`no exit within 30 s of SIGTERM: ${said()}`)), 30_000))])
  assert.equal(code, 0, said())
  const got = await answer
  assert.equal(got.status, 503, got.text)
  assert.throws(() => process.kill(pid, 0), 'the hanging probe was killed')
})
