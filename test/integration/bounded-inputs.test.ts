// Files read back before they are replaced, and kubeconfigs, are bounded: a named pipe at render's
// .env or at the checklist's file is refused by name (exit 2) instead of hanging the command, a link
// to /dev/zero is refused instead of filling the memory, and KUBECONFIG is parsed once per file and
// within a total bound, so the kube-context check answers instead of timing out.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { currentKubeTarget } from '../../lib/kubeconfig.js'
import { cleanEnv, put, runCli, tempDir } from '../helpers.js'

test('render: a named pipe or /dev/zero at .env is refused by name, exit 2, nothing written', { timeout: 90_000 }, async (t) => {
  const cwd = await tempDir(t)
  const env = cleanEnv({ HOME: cwd })
  await mkdir(join(cwd, 'fifo'))
  execFileSync('mkfifo', [join(cwd, 'fifo/.env')])
  const fifo = await runCli(['render', 'mongodb', '--out', 'fifo'], { cwd, env, timeoutMs: 30_000 })
  assert.equal(fifo.code, 2, fifo.stderr)
  assert.match(fifo.stderr, /fifo\/\.env: not a regular file \(a named pipe\).*nothing was written/)
  assert.deepEqual(await readdir(join(cwd, 'fifo')), ['.env'])
  await mkdir(join(cwd, 'zero'))
  await symlink('/dev/zero', join(cwd, 'zero/.env'))
  const zero = await runCli(['render', 'mongodb', '--out', 'zero'], { cwd, env, timeoutMs: 30_000 })
  assert.equal(zero.code, 2, zero.stderr)
  assert.match(zero.stderr, /zero\/\.env: not a regular file \(a device\)/)
})

test('checklist: a named pipe as the previous file is refused by name, exit 2', { timeout: 60_000 }, async (t) => {
  const cwd = await tempDir(t)
  execFileSync('mkfifo', [join(cwd, 'notes.md')])
  const r = await runCli(['checklist', '--offline', '--only', 'platform', '--output', 'notes.md'], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 30_000 })
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /notes\.md: not a regular file \(a named pipe\)/)
})

test('KUBECONFIG: one file named many times is parsed once; past the total bound the rest is named, not parsed', { timeout: 90_000 }, async (t) => {
  const dir = await tempDir(t)
  const good = await put(join(dir, 'good'), 'current-context: dev\ncontexts: [{name: dev, context: {cluster: dev}}]\nclusters: [{name: dev, cluster: {server: "https://127.0.0.1:6443"}}]\n')
  // 33k contexts in 1.9 MB: under the per-file cap, but seconds of synchronous parsing.
  const huge = join(dir, 'huge')
  await writeFile(huge, `contexts:\n${Array.from({ length: 33_000 }, (_, i) => `- name: c${i}\n  context: {cluster: k${i}}\n`).join('')}`)
  const target = await currentKubeTarget({ env: { KUBECONFIG: [good, ...Array(40).fill(huge), good].join(':') }, home: dir })
  assert.equal(target.context, 'dev')
  assert.equal(target.server, 'https://127.0.0.1:6443')
  assert.deepEqual(target.unread, [`${huge}: not parsed, past the 10000 lines or 4194304 bytes shipshape parses across KUBECONFIG (parsing holds every check)`])
})
