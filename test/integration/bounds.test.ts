// Reads and children that shipshape does not control stay within bounds: a FIFO as ~/.bashrc or
// KUBECONFIG is named, not waited on; a 20 MB kubeconfig is refused before it is parsed; a child that
// floods its output is stopped; and doctor exits although a `docker` left a process behind with setsid.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { currentKubeTarget } from '../../lib/kubeconfig.js'
import { createProbe, MAX_PROBE_OUTPUT_BYTES } from '../../lib/probe.js'
import { findAssignments } from '../../lib/shell-rc.js'
import { applyRcChange } from '../../lib/provision/rcfile.js'
import { cleanEnv, fakeExecutable, put, runCli, tempDir } from '../helpers.js'

test('a FIFO as ~/.bashrc is named and skipped by doctor and refused by setup\'s edit, never waited on', { timeout: 60_000 }, async (t) => {
  const home = await tempDir(t)
  const rc = join(home, '.bashrc')
  execFileSync('mkfifo', [rc])
  await put(join(home, '.zshrc'), 'export DOCKER_HOST=unix:///var/run/docker.sock\n')
  const unread: string[] = []
  const found = await findAssignments(home, 'DOCKER_HOST', unread)
  assert.deepEqual(found.map((f) => `${f.file}:${f.line}`), [`${join(home, '.zshrc')}:1`])
  assert.deepEqual(unread, [`${rc}: not a regular file (a named pipe); shipshape reads only plain files`])
  await assert.rejects(applyRcChange(rc, { dockerHost: null, shell: 'posix' }, new Date()), /not a regular file \(a named pipe\)/)
  const r = await runCli(['doctor', '--only', 'docker-host', '--format', 'json'], { env: cleanEnv({ HOME: home }), cwd: home, timeoutMs: 45_000 })
  const check = JSON.parse(r.stdout).checks[0]
  assert.equal(check.status, 'warn')
  assert.match(check.summary, /not read: .*\.bashrc: not a regular file \(a named pipe\)/)
})

test('a FIFO or a 20 MB file as KUBECONFIG is named, not parsed or waited on', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir(t)
  const fifo = join(dir, 'fifo')
  execFileSync('mkfifo', [fifo])
  const big = join(dir, 'big')
  await writeFile(big, `current-context: x\nclusters:\n${'- {name: c, cluster: {server: "https://127.0.0.1:1"}}\n'.repeat(400_000)}`)
  const good = await put(join(dir, 'good'), 'current-context: dev\ncontexts: [{name: dev, context: {cluster: dev}}]\nclusters: [{name: dev, cluster: {server: "https://127.0.0.1:6443"}}]\n')
  const target = await currentKubeTarget({ env: { KUBECONFIG: [fifo, big, good].join(':') }, home: dir })
  assert.equal(target.context, 'dev')
  assert.equal(target.server, 'https://127.0.0.1:6443')
  assert.equal(target.unread?.length, 2)
  assert.match(target.unread![0], /fifo: not a regular file \(a named pipe\)/)
  assert.match(target.unread![1], /big: \d+ bytes is more than the 2097152 bytes shipshape reads/)
})

test('a child that floods stdout is stopped at the cap; its output is cut there', { timeout: 60_000 }, async () => {
  const probe = createProbe({ env: { PATH: process.env.PATH } })
  const r = await probe(['head', '-c', String(MAX_PROBE_OUTPUT_BYTES * 12), '/dev/zero'], { timeoutMs: 30_000 })
  assert.equal(r.ok, false)
  assert.ok(r.stdout.length <= MAX_PROBE_OUTPUT_BYTES, `${r.stdout.length} bytes kept`)
  assert.match(r.stderr, /stdout passed \d+ bytes: the command was stopped/)
})

test('doctor exits although `docker` left a grandchild behind with setsid, and does not wait for it', { timeout: 90_000 }, async (t) => {
  const home = await tempDir(t)
  const bin = join(home, 'bin')
  const pidFile = join(home, 'escaped.pid')
  await fakeExecutable(bin, 'docker', `setsid sleep 1000 &\necho $! > ${pidFile}\necho "Docker version 28.2.2, build e6534b4"`)
  // In the body, not t.after: the temporary folder (and the pid file) is removed by an earlier hook.
  const escaped = async () => Number(await readFile(pidFile, 'utf8').catch(() => '0'))
  try {
    const r = await runCli(['doctor', '--only', 'docker-cli', '--format', 'json', '--no-cache'], { env: cleanEnv({ HOME: home, PATH: `${bin}:${process.env.PATH}` }), cwd: home, timeoutMs: 60_000 })
    assert.equal(JSON.parse(r.stdout).checks[0].status, 'ok', r.stdout)
    const pid = await escaped()
    assert.doesNotThrow(() => process.kill(pid, 0), 'the escaped process is still running: doctor did not wait for it')
  } finally {
    const pid = await escaped()
    if (pid) try { process.kill(pid, 'SIGKILL') } catch { /* already gone */ }
  }
})
