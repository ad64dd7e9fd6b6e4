// The probe: argv is never parsed by a shell, stdin is closed, a missing tool or a hang is a result.

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { test } from 'node:test'
import { whichOn } from '../../lib/context.js'
import { createProbe, shellLine } from '../../lib/probe.js'
import { projectRoot, put, runProcess, tempDir } from '../helpers.js'

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

test('without `ps` on PATH (minimal systems), a hang is still killed at its bound, with no crash', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir(t)
  const bin = join(dir, 'bin')
  await mkdir(bin)
  for (const tool of ['sh', 'bash', 'sleep']) {
    const found = await whichOn(process.env)(tool)
    assert.ok(found, `${tool} is needed for this test`)
    await symlink(found, join(bin, tool))
  }
  const marker = `30.${parseInt(randomBytes(3).toString('hex'), 16)}`
  const script = await put(join(dir, 'hang.mjs'), [
    `import { createProbe } from ${JSON.stringify(pathToFileURL(join(projectRoot, 'dist/lib/probe.js')).href)}`,
    `const r = await createProbe({ env: { PATH: ${JSON.stringify(bin)} } })(['sh', '-c', 'sleep ${marker} & wait'], { timeoutMs: 300 })`,
    'console.log(JSON.stringify(r))',
  ].join('\n'))
  const run = await runProcess(process.execPath, [script], { env: { PATH: bin }, timeoutMs: 30_000 })
  assert.equal(run.code, 0, run.stderr)
  const r = JSON.parse(run.stdout)
  assert.deepEqual([r.ok, r.timedOut, r.stderr], [false, true, 'no answer within 300 ms'])
  const left = (await readdir('/proc').catch(() => [] as string[])).filter((d) => /^\d+$/.test(d))
  const cmds = await Promise.all(left.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')))
  assert.deepEqual(cmds.filter((c) => c.includes(`sleep\0${marker}`)), [], 'the grandchild was killed with its group')
})
