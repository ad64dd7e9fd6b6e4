// zx costs more to load than all of doctor's own modules, so shipshape itself never loads it: only
// the child node that runs a team's .mjs script does. node's own module log (NODE_DEBUG) says what
// the doctor process loaded.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cleanEnv, runCli, tempDir } from '../helpers.js'
import { byId, team } from '../team.js'

const loaded = (stderr: string) => stderr.split('\n').filter((l) => /^(MODULE|ESM) \d+:/.test(l))

test('a plain doctor of the built-in checks does not load zx', async (t) => {
  const r = await runCli(['doctor', '--only', 'platform'], { cwd: await tempDir(t), env: cleanEnv({ NODE_DEBUG: 'module,esm' }) })
  const lines = loaded(r.stderr)
  // The log is there (commander or yaml would show in it): a test that could not see zx would prove nothing.
  assert.ok(lines.some((l) => l.includes('dist/cli/doctor.js')), r.stderr.slice(0, 500))
  assert.deepEqual(lines.filter((l) => /\bzx\b/.test(l)), [])
})

test('with a team .mjs check, zx is loaded by the script\'s node, not by doctor', async (t) => {
  const tm = await team(t, 'checks:\n  zx-here: {run: c.mjs}\n', { 'c.mjs': "console.log((await $`echo with zx`).stdout.trim())\n" }, { NODE_DEBUG: 'module,esm' })
  await tm.run(['allow'])
  const r = await tm.run(['doctor', '--format', 'json', '--only', 'zx-here'])
  assert.equal(byId(r.stdout)['zx-here'].summary, 'with zx')
  assert.deepEqual(loaded(r.stderr).filter((l) => /\bzx\b/.test(l)), [])
})
