// The version cache as a user meets it: a second `doctor` does not start an unchanged tool again,
// `--no-cache` does, and the cache lives under XDG_CACHE_HOME.

import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { test } from 'node:test'
import { fakeExecutable, runCli, tempDir } from '../helpers.js'

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
