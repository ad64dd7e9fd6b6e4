// The gate: a missing prerequisite skips by name on a developer machine and fails under CI. Proved
// by running a one-test file in a child `node --test` whose PATH has node and nothing else.

import assert from 'node:assert/strict'
import { symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { test } from 'node:test'
import { projectRoot, put, runProcess, tempDir } from '../helpers.js'

async function runGated(t: import('node:test').TestContext, env: NodeJS.ProcessEnv) {
  const dir = await tempDir(t)
  const gate = pathToFileURL(join(projectRoot, 'dist/test/gate.js')).href
  const file = await put(join(dir, 'gated.test.mjs'), [
    "import { test } from 'node:test'",
    `import { need } from ${JSON.stringify(gate)}`,
    "test('gated', async (t) => { if (!(await need(t, 'shellcheck'))) return; throw new Error('ran without shellcheck') })",
  ].join('\n'))
  // node's own folder may hold shellcheck too (/usr/bin): the child's PATH is a folder with node only.
  await symlink(process.execPath, join(dir, 'node'))
  return runProcess(process.execPath, ['--test', '--test-reporter=tap', file], { env: { PATH: dir, HOME: dir, ...env }, timeoutMs: 60_000 })
}

test('gate: a missing prerequisite skips the test by name, with the fix, on a developer machine', async (t) => {
  const r = await runGated(t, {})
  assert.equal(r.code, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /ok 1 - gated # SKIP needs shellcheck: shellcheck is not on PATH \(apt-get install shellcheck\)/)
})

test('gate: under CI=true or SHIPSHAPE_REQUIRE_ALL=1 a missing prerequisite fails the test', async (t) => {
  for (const env of [{ CI: 'true' }, { SHIPSHAPE_REQUIRE_ALL: '1' }]) {
    const r = await runGated(t, env)
    assert.equal(r.code, 1, `${JSON.stringify(env)}: ${r.stdout}`)
    assert.match(r.stdout, /not ok 1 - gated/)
    assert.match(r.stdout, /needs shellcheck: shellcheck is not on PATH .*CI must provide it/)
  }
})
