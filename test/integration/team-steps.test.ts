// A team's steps in setup's plan, through the spawned CLI: the `done` guard asked first (a second
// run finds the step already done), not planned before `shipshape allow`, and a long step's output
// in the log while it still runs.

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import { shellLine } from '../../lib/probe.js'
import { cliPath } from '../helpers.js'
import { team } from '../team.js'

const sh = (body: string) => `#!/bin/sh\n${body}\n`

const CLONE = `steps:
  clone-repos:
    title: Clone the team's repositories
    run: steps/clone.sh
    done: steps/cloned.sh
  greet:
    run: steps/greet.mjs
    needs: [clone-repos]
`
const CLONE_FILES = {
  'steps/clone.sh': sh('echo cloning; touch cloned; echo cloned >> runs.log'),
  'steps/cloned.sh': sh('test -e cloned'),
  'steps/greet.mjs': 'await $`echo greeted >> runs.log`\nconsole.log("hello")\n',
}

test('a team step runs in setup with its done guard: the second run finds it already done', async (t) => {
  const tm = await team(t, CLONE, CLONE_FILES)
  const before = await tm.run(['setup', '--yes', '--only', 'clone-repos'])
  assert.match(before.stdout, /not planned: not allowed yet: read shipshape\.yaml, steps\/clone\.sh, steps\/cloned\.sh, steps\/greet\.mjs, then run `shipshape allow`/)
  assert.ok(!existsSync(join(tm.dir, 'cloned')))

  await tm.run(['allow'])
  const first = await tm.run(['setup', '--yes', '--only', 'greet'])
  assert.equal(first.code, 0, first.stdout + first.stderr)
  assert.match(first.stdout, /1\. Clone the team's repositories {2}\[shipshape\.yaml\][\s\S]*2\. greet/)
  // Without a terminal each line a step prints says which step it is.
  assert.match(first.stdout, /^\[clone-repos\] cloning$/m)
  assert.match(first.stdout, /^\[greet\] hello$/m)
  assert.equal(readFileSync(join(tm.dir, 'runs.log'), 'utf8'), 'cloned\ngreeted\n')

  const second = await tm.run(['setup', '--yes', '--only', 'clone-repos'])
  assert.equal(second.code, 0)
  assert.match(second.stdout, /Nothing to install or change\.[\s\S]*Already done: clone-repos/)
  assert.equal(readFileSync(join(tm.dir, 'runs.log'), 'utf8'), 'cloned\ngreeted\n')
})

test('a team step with a mistaken need or a name of shipshape\'s own is exit 2 at its line', async (t) => {
  const a = await team(t, 'steps:\n  a:\n    run: s.sh\n    needs: [clone]\n', { 's.sh': sh('true') })
  const r = await a.run(['setup', '--dry-run'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /shipshape\.yaml:4:13: unknown step 'clone'/)
  const b = await team(t, 'steps:\n  apt-update: {run: s.sh}\n', { 's.sh': sh('true') })
  const r2 = await b.run(['setup', '--dry-run'])
  assert.equal(r2.code, 2)
  assert.match(r2.stderr, /shipshape\.yaml:2:3: steps\.apt-update: 'apt-update' is one of shipshape's own steps; rename/)
})

test("setup's log grows while a 3-second step runs", async (t) => {
  const tm = await team(t, 'steps:\n  slow: {run: slow.sh, title: A slow step}\n', { 'slow.sh': sh('echo first line\nsleep 3\necho last line') })
  await tm.run(['allow'])
  const child = spawn(process.execPath, [cliPath, 'setup', '--yes', '--only', 'slow'], { cwd: tm.dir, env: tm.env, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => child.kill('SIGKILL'))
  let exited = false
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    exited = true
    resolve(code)
  }))
  const logs = join(tm.home, '.shipshape', 'logs')
  const read = () => (existsSync(logs) ? readdirSync(logs).map((f) => readFileSync(join(logs, f), 'utf8')).join('') : '')
  let seen = ''
  for (let i = 0; i < 200 && !exited && !seen.includes('first line'); i++) {
    await sleep(50)
    seen = read()
  }
  // Read mid-step: the first line is there, the step is not over.
  assert.match(seen, /first line/)
  assert.doesNotMatch(seen, /last line|== slow: ok/)
  assert.equal(exited, false)
  assert.equal(await done, 0)
  assert.match(read(), /first line\nlast line\n== slow: ok/)
})

test("on a terminal the running step's last line shows under its spinner, with no step-id prefix", async (t) => {
  const tm = await team(t, 'steps:\n  slow: {run: slow.sh, title: A slow step}\n', { 'slow.sh': sh('echo "first \\033[31mline"\nsleep 2\necho last line') })
  await tm.run(['allow'])
  // util-linux script gives the CLI a terminal; stty gives it a size, which the spinner needs.
  const line = shellLine(['sh', '-c', 'stty rows 24 cols 100; exec "$0" "$@"', process.execPath, cliPath, 'setup', '--yes', '--only', 'slow'])
  const child = spawn('script', ['-qfec', line, '/dev/null'], { cwd: tm.dir, env: tm.env, stdio: ['pipe', 'pipe', 'pipe'] })
  t.after(() => child.kill('SIGKILL'))
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  const closed = new Promise((resolve) => child.on('close', resolve))
  for (let i = 0; i < 200 && !/first line/.test(out); i++) await sleep(50)
  // Under the spinner's title, dimmed, the script's own colour code taken out, while the step runs.
  assert.match(out, /A slow step\r?\n {2}(\u001b\[2m)?first line/)
  assert.doesNotMatch(out, /step done/)
  await closed
  assert.doesNotMatch(out, /\[slow\]/)
  assert.match(out, /1 of 1 step done/)
})

test("a team check's fix.run is planned by setup as fix-<id>, and the check passes after it", async (t) => {
  const tm = await team(t, `checks:
  npmrc:
    title: npm knows the team's scope
    run: checks/npmrc.sh
    required: true
    fix: {run: checks/npmrc-fix.sh}
`, {
    'checks/npmrc.sh': sh('grep -q "@acme:registry" npmrc 2>/dev/null && echo "scope set" || { echo "no @acme scope in npmrc"; exit 1; }'),
    'checks/npmrc-fix.sh': sh('echo "@acme:registry=https://npm.acme.test" >> npmrc'),
  })
  await tm.run(['allow'])
  const doctor = await tm.run(['doctor', '--only', 'npmrc'])
  assert.equal(doctor.code, 1)
  assert.match(doctor.stdout, /no @acme scope in npmrc\n {4}fix: .*checks\/npmrc-fix\.sh/)
  const skipped = await tm.run(['setup', '--yes', '--only', 'npmrc', '--skip', 'fix-npmrc'])
  assert.equal(skipped.code, 1)
  assert.ok(!existsSync(join(tm.dir, 'npmrc')))
  const r = await tm.run(['setup', '--yes', '--only', 'npmrc'])
  assert.equal(r.code, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /1\. Fix npm knows the team's scope \(checks\/npmrc-fix\.sh\) {2}\[npmrc\]/)
  assert.match(r.stdout, /Ready\./)
})
