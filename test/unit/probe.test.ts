// The probe: argv is never parsed by a shell, stdin is closed, a missing tool or a hang is a result.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createProbe, shellLine } from '../../lib/probe.js'

const probe = createProbe({ env: { PATH: process.env.PATH } })

test('arguments reach the program as given, never through a shell', async () => {
  const r = await probe(['printf', '%s|', '$(id)', 'a b', "it's", '; rm -rf /', '*'])
  assert.equal(r.ok, true)
  assert.equal(r.stdout, "$(id)|a b|it's|; rm -rf /|*|")
})

test('stdin is closed: a program that reads it ends at once', async () => {
  const r = await probe(['cat'], { timeoutMs: 5000 })
  assert.equal(r.timedOut, false)
  assert.equal(r.ok, true)
  assert.equal(r.stdout, '')
})

test('input, when given, is written to stdin', async () => {
  const r = await probe(['cat'], { input: 'hello' })
  assert.equal(r.stdout, 'hello')
})

test('a missing program is a result with exit 127, not an exception', async () => {
  const r = await probe(['shipshape-no-such-program-x'])
  assert.equal(r.ok, false)
  assert.equal(r.code, 127)
  assert.equal(r.timedOut, false)
})

test('a non-zero exit keeps its code and output', async () => {
  const r = await probe(['sh', '-c', 'echo out; echo err >&2; exit 3'])
  assert.deepEqual([r.ok, r.code, r.stdout, r.stderr], [false, 3, 'out\n', 'err\n'])
})

// A 30 s sleep past a 200 ms bound: the test's own timeout fails it if the probe waits it out.
test('a hang is killed at its bound and reported as timedOut', { timeout: 20_000 }, async () => {
  const r = await probe(['sleep', '30'], { timeoutMs: 200 })
  assert.equal(r.timedOut, true)
  assert.equal(r.ok, false)
})

test('the environment is the one handed in, with a fixed locale', async () => {
  const r = await createProbe({ env: { PATH: process.env.PATH, SHIPSHAPE_X: 'y' } })(['sh', '-c', 'echo "$SHIPSHAPE_X $LC_ALL $HOME"'])
  assert.equal(r.stdout, 'y C \n')
})

test('shellLine quotes what a shell would change, for people to read and paste', () => {
  assert.equal(shellLine(['usermod', '-aG', 'docker', 'alice']), 'usermod -aG docker alice')
  assert.equal(shellLine(['echo', "it's", 'a b', '$HOME', '']), `echo 'it'\\''s' 'a b' '$HOME' ''`)
})
