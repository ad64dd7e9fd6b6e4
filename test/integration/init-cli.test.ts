// `shipshape init`: a config doctor accepts, with the stacks rendered here and an example zx check
// that runs after `shipshape allow`; never over a file that is there.

import assert from 'node:assert/strict'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { need } from '../gate.js'
import { cleanEnv, runCli, tempDir } from '../helpers.js'
import { byId } from '../team.js'

test('init writes a config doctor accepts and an example check that runs once allowed', async (t) => {
  if (!(await need(t, 'git'))) return
  const dir = await tempDir(t)
  const home = await tempDir(t)
  const env = cleanEnv({ HOME: home, GIT_CONFIG_GLOBAL: join(home, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1' })
  await mkdir(join(dir, 'shipshape/mongodb/compose'), { recursive: true })
  const run = (args: string[]) => runCli(args, { cwd: dir, env })
  const init = await run(['init'])
  assert.equal(init.code, 0, init.stderr)
  assert.match(init.stdout, /Wrote shipshape\.yaml \(stacks: mongodb\) and \.shipshape\/checks\/example\.mjs\.[\s\S]*shipshape allow[\s\S]*shipshape doctor/)
  const config = await readFile(join(dir, 'shipshape.yaml'), 'utf8')
  assert.match(config, /^stacks:.*\n {2}mongodb: \{\}$/m)
  assert.match(config, /pull from docker\.io/)

  const before = await run(['doctor', '--format', 'json', '--only', 'example'])
  assert.equal(before.code, 0, before.stderr)
  assert.match(byId(before.stdout).example.summary, /not allowed yet/)
  assert.equal((await run(['allow'])).code, 0)
  await writeFile(join(home, 'gitconfig'), '[user]\n\temail = alice@home.test\n')
  const after = byId((await run(['doctor', '--format', 'json', '--only', 'example'])).stdout).example
  assert.deepEqual([after.status, after.summary], ['warn', 'git user.email is alice@home.test, not a work address'])
  assert.equal(after.fix?.manual, 'git config --global user.email you@example.com')
})

test('init refuses to overwrite either file, and then writes nothing', async (t) => {
  for (const existing of ['shipshape.yaml', '.shipshape/checks/example.mjs']) {
    const dir = await tempDir(t)
    await mkdir(join(dir, '.shipshape/checks'), { recursive: true })
    await writeFile(join(dir, existing), 'mine\n')
    const r = await runCli(['init'], { cwd: dir, env: cleanEnv() })
    assert.equal(r.code, 2)
    assert.match(r.stderr, /is there already; init does not overwrite it, and wrote nothing/)
    assert.equal(await readFile(join(dir, existing), 'utf8'), 'mine\n')
    const other = existing === 'shipshape.yaml' ? '.shipshape/checks/example.mjs' : 'shipshape.yaml'
    await assert.rejects(readFile(join(dir, other)), { code: 'ENOENT' })
  }
})
