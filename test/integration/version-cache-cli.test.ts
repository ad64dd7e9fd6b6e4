// The version cache as a user meets it: a second `doctor` does not start an unchanged tool again,
// `--no-cache` does, and the cache lives under XDG_CACHE_HOME.

import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { test } from 'node:test'
import { fakeExecutable, needDocker, runCli, tempDir } from '../helpers.js'

test('doctor caches an unchanged docker-compose\'s version; --no-cache asks it again', async (t) => {
  const dir = await tempDir(t)
  const log = join(dir, 'runs.log')
  await fakeExecutable(join(dir, 'bin'), 'docker-compose', `echo "$*" >> '${log}'\necho 1.29.2`)
  const env = { PATH: [join(dir, 'bin'), process.env.PATH].join(delimiter), HOME: dir, XDG_CACHE_HOME: join(dir, 'cache'), LANG: 'C' }
  const doctor = async (...extra: string[]) => {
    const r = await runCli(['doctor', '--format', 'json', '--only', 'docker-compose', ...extra], { env })
    return JSON.parse(r.stdout).checks[0]
  }
  const runs = async () => (await readFile(log, 'utf8')).trim().split('\n').length
  assert.equal((await doctor()).version, '1.29.2')
  assert.equal((await doctor()).version, '1.29.2')
  assert.equal(await runs(), 1, 'the second run started docker-compose again')
  await doctor('--no-cache')
  assert.equal(await runs(), 2, '--no-cache did not ask docker-compose')
  assert.ok((await stat(join(dir, 'cache/shipshape/versions.json'))).isFile())
})

test('the Compose v2 plugin is found where docker looks (DOCKER_CONFIG/cli-plugins) and its version cached', async (t) => {
  const dir = await tempDir(t)
  const log = join(dir, 'runs.log')
  // The plugin binary cannot be installed here (no registry): a fake prints what v2.29.1 prints.
  await fakeExecutable(join(dir, 'docker-config/cli-plugins'), 'docker-compose', `echo "$*" >> '${log}'\n[ "$1 $2" = "version --short" ] && echo 2.29.1`)
  const env = { PATH: process.env.PATH, HOME: dir, DOCKER_CONFIG: join(dir, 'docker-config'), XDG_CACHE_HOME: join(dir, 'cache'), SHIPSHAPE_HOST_ROOT: join(dir, 'root'), LANG: 'C' }
  const doctor = async () => {
    const r = await runCli(['doctor', '--format', 'json', '--only', 'docker-compose'], { env })
    const doc = JSON.parse(r.stdout)
    assert.equal(r.code, doc.summary.exitCode, r.stderr)
    return Object.assign(doc.checks.find((c: { id: string }) => c.id === 'docker-compose'), { code: r.code })
  }
  if (!(await needDocker(t))) return
  const first = await doctor()
  assert.deepEqual([first.status, first.summary, first.code], ['ok', 'Docker Compose 2.29.1 (plugin)', 0])
  assert.equal((await doctor()).summary, 'Docker Compose 2.29.1 (plugin)')
  assert.equal((await readFile(log, 'utf8')).trim().split('\n').length, 1)
})
