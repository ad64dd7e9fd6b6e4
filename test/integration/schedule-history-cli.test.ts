// `schedule` and `history` as a user runs them: the spawned CLI, its output and exit codes, with a
// HOME of the test's own (runs are recorded in ~/.shipshape/history.jsonl).

import assert from 'node:assert/strict'
import { readdir, readFile, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { cleanEnv, pathWithEmptyCrontab, put, runCli, tempDir } from '../helpers.js'

test('history: none yet says how to record runs; two scheduled runs show newest first with what changed; exit 0', async (t) => {
  const home = await tempDir(t)
  const empty = await runCli(['history'], { env: cleanEnv({ HOME: home }) })
  assert.equal(empty.code, 0, empty.stderr)
  assert.equal(empty.stdout, `No runs recorded yet in ${join(home, '.shipshape/history.jsonl')}. Record them with: shipshape schedule install\n`)

  const debian = await tempDir(t)
  await put(join(debian, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')
  const ok = await runCli(['schedule', 'run', '--only', 'platform'], { env: cleanEnv({ HOME: home, SHIPSHAPE_HOST_ROOT: debian }) })
  assert.equal(ok.code, 0, ok.stderr)
  // The same machine, now unrecognisable: the required platform check fails and the run exits 1.
  const failing = await runCli(['schedule', 'run', '--only', 'platform'], { env: cleanEnv({ HOME: home, SHIPSHAPE_HOST_ROOT: await tempDir(t) }) })
  assert.equal(failing.code, 1, failing.stderr)

  const r = await runCli(['history'], { env: cleanEnv({ HOME: home }) })
  assert.equal(r.code, 0, r.stderr)
  const lines = r.stdout.split('\n')
  assert.equal(lines[0], `Last 2 of 2 recorded runs, newest first (${join(home, '.shipshape/history.jsonl')}):`)
  assert.match(lines[2], /^\S+Z {2}not ready {2}1 checks, failing: platform$/)
  assert.equal(lines[3], '    ✗ platform: ok → fail')
  assert.match(lines[4], /^\S+Z {2}ready {2}1 checks$/)

  const json = await runCli(['history', '--format', 'json', '--limit', '1'], { env: cleanEnv({ HOME: home }) })
  assert.equal(json.code, 0, json.stderr)
  const doc = JSON.parse(json.stdout)
  assert.equal(doc.runs.length, 1)
  assert.equal(doc.runs[0].exitCode, 1)
  assert.deepEqual(doc.runs[0].changes.map((c: { id: string; kind: string; from: string; to: string }) => [c.id, c.kind, c.from, c.to]), [['platform', 'status', 'ok', 'fail']])

  const status = await runCli(['schedule', 'status'], { env: cleanEnv({ HOME: home }) })
  assert.equal(status.code, 0, status.stderr)
  assert.match(status.stdout, /^No shipshape job is scheduled\. Install one with: shipshape schedule install --every 1h\nLast run: \S+, exit 1, failing: platform\n$/)

  const bad = await runCli(['history', '--limit', '0'], { env: cleanEnv({ HOME: home }) })
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /'0' is not a positive whole number/)
})

test('schedule: nothing to schedule with is exit 1 with the fix; a bad --every or action is exit 2; nothing written', async (t) => {
  const home = await tempDir(t)
  // PATH holds node only: neither systemctl nor crontab.
  const bin = await tempDir(t)
  await symlink(process.execPath, join(bin, 'node'))
  const none = await runCli(['schedule', 'install'], { env: cleanEnv({ HOME: home, PATH: bin }) })
  assert.equal(none.code, 1)
  assert.match(none.stderr, /^shipshape: nothing to schedule with: no user systemd \(no systemctl on PATH\) and no crontab on PATH\.\nInstall cron \(sudo apt-get install cron\)/)
  // With a scheduler there (a crontab with no table), only the bad input stops install.
  const { path, log } = await pathWithEmptyCrontab(t)
  const every = await runCli(['schedule', 'install', '--every', '7m'], { env: cleanEnv({ HOME: home, PATH: path }) })
  assert.equal(every.code, 2)
  assert.match(every.stderr, /--every '7m': use minutes that divide an hour/)
  const action = await runCli(['schedule', 'frob'], { env: cleanEnv({ HOME: home, PATH: path }) })
  assert.equal(action.code, 2)
  assert.match(action.stderr, /unknown action 'frob'\. Use install, remove or status/)
  assert.deepEqual(await readdir(home), [])
  const calls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean)
  assert.deepEqual(calls.filter((c) => !/ -l\b/.test(c)), [], 'no crontab was written')
})
