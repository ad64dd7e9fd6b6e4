// The version cache: an unchanged binary is not run again; a changed one is; --no-cache runs it;
// a corrupt or unwritable cache is ignored. Fake executables log each run so we can count them.

import assert from 'node:assert/strict'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { dockerCompose } from '../../checks/docker-compose.js'
import { createFacts } from '../../lib/context.js'
import { versionOutput } from '../../lib/version-cache.js'
import { fakeExecutable, fixture, makeContext, put, tempDir } from '../helpers.js'

async function setup(t: import('node:test').TestContext) {
  const dir = await tempDir(t)
  const log = join(dir, 'runs.log')
  const bin = await fakeExecutable(join(dir, 'bin'), 'tool', `echo run >> '${log}'\necho 'tool version 1.2.3'`)
  const env = { PATH: join(dir, 'bin'), HOME: dir, XDG_CACHE_HOME: join(dir, 'cache') }
  const runs = async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean).length
  // Each doctor run has its own context (and facts); the cache file is what carries over.
  const newRun = (noCache = false) => makeContext({ env, home: dir, facts: createFacts(), noCache })
  return { dir, bin, env, runs, newRun }
}

test('an unchanged binary is asked once; the next run reads the cache', async (t) => {
  const { bin, runs, newRun } = await setup(t)
  const first = await versionOutput(newRun(), bin, ['--version'])
  assert.equal(first.stdout.trim(), 'tool version 1.2.3')
  assert.equal(first.cached, false)
  const second = await versionOutput(newRun(), bin, ['--version'])
  assert.equal(second.stdout.trim(), 'tool version 1.2.3')
  assert.equal(second.cached, true)
  assert.equal(await runs(), 1)
})

test('a changed binary (size or mtime) is run again; --no-cache always runs it', async (t) => {
  const { bin, dir, runs, newRun } = await setup(t)
  await versionOutput(newRun(), bin, ['--version'])
  await writeFile(bin, `#!/bin/sh\necho run >> '${join(dir, 'runs.log')}'\necho 'tool version 2.0.0'\n`)
  await chmod(bin, 0o755)
  const after = await versionOutput(newRun(), bin, ['--version'])
  assert.equal(after.stdout.trim(), 'tool version 2.0.0')
  await versionOutput(newRun(true), bin, ['--version'])
  assert.equal(await runs(), 3)
})

test('a corrupt cache file is ignored and rewritten; an unwritable cache dir is no error', async (t) => {
  const { bin, dir, env, runs, newRun } = await setup(t)
  await put(join(env.XDG_CACHE_HOME, 'shipshape/versions.json'), '{"version": 1, "entries": {"x": 5')
  assert.equal((await versionOutput(newRun(), bin, ['--version'])).stdout.trim(), 'tool version 1.2.3')
  assert.equal(JSON.parse(await readFile(join(env.XDG_CACHE_HOME, 'shipshape/versions.json'), 'utf8')).version, 1)
  // A file where the cache folder should be: nothing can be written there.
  await put(join(dir, 'blocked'), 'not a folder')
  const blocked = makeContext({ env: { ...env, XDG_CACHE_HOME: join(dir, 'blocked') }, home: dir, facts: createFacts() })
  assert.equal((await versionOutput(blocked, bin, ['--version'])).stdout.trim(), 'tool version 1.2.3')
  assert.equal(await runs(), 2)
})

test('docker-compose: v1 alone is a warning (end of life), and its slow version is cached', async (t) => {
  const dir = await tempDir(t)
  const log = join(dir, 'runs.log')
  const v1 = (await fixture('docker-compose-version.v1-1.29.2.txt')).split('\n')[0]
  await fakeExecutable(join(dir, 'bin'), 'docker-compose', `echo "$*" >> '${log}'\n[ "$2" = --short ] && echo 1.29.2 || echo '${v1}'`)
  const env = { PATH: join(dir, 'bin'), HOME: dir, XDG_CACHE_HOME: join(dir, 'cache') }
  const first = await dockerCompose.run(makeContext({ env, home: dir, facts: createFacts() }))
  assert.equal(first.status, 'warn')
  assert.match(first.summary, /docker-compose 1\.29\.2 \(v1, end of life/)
  const second = await dockerCompose.run(makeContext({ env, home: dir, facts: createFacts() }))
  assert.deepEqual([second.status, second.version], ['warn', '1.29.2'])
  assert.equal((await readFile(log, 'utf8')).trim().split('\n').length, 1)
})
