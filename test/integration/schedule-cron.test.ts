// `schedule` with Debian's real crontab, on a test user's table (as root, `crontab -u`): installing
// twice leaves one line, the user's own lines stay untouched, status sees it, the line itself runs a
// check that records history and writes the textfile, and remove leaves none.

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createProbe } from '../../lib/probe.js'
import { cronRunning } from '../../lib/schedule/cron.js'
import { readHistory } from '../../lib/history.js'
import { main as scheduleMain } from '../../scripts/schedule.js'
import type { Main } from '../../scripts/run-main.js'
import { capture } from '../capture.js'
import { parsePrometheusText } from '../prometheus-text.js'
import { need } from '../gate.js'
import { pathWithEmptyCrontab, runProcess, tempDir } from '../helpers.js'

const probe = createProbe({ env: process.env })

/**
 * A real crontab for a throwaway user of this test's own (a unique name, removed with its table
 * when the test ends); the gate skips by name off CI and fails under CI.
 */
async function crontabUser(t: TestContext): Promise<string | null> {
  if (!(await need(t, 'root', 'crontab'))) return null
  const user = `shipshape-cron-${randomBytes(4).toString('hex')}`
  const r = await probe(['useradd', '--no-create-home', '--shell', '/usr/sbin/nologin', user])
  if (!r.ok) throw new Error(`useradd ${user} failed: ${r.stderr}`)
  t.after(async () => {
    await probe(['crontab', '-u', user, '-r'])
    await probe(['userdel', user])
  })
  return user
}

test('schedule install/status/remove with the real crontab', async (t) => {
  const USER = await crontabUser(t)
  if (!USER) return
  const crontabOf = async () => {
    const r = await probe(['crontab', '-u', USER, '-l'])
    return r.ok ? r.stdout : ''
  }
  const home = await tempDir(t)
  const textfiles = await tempDir(t)
  const own = '# alice: backups\n30 2 * * * /usr/local/bin/backup --quiet\n'
  await probe(['crontab', '-u', USER, '-'], { input: own })
  const schedule: Main = (argv, io) => scheduleMain(argv, io, { crontabUser: USER })
  const env = { HOME: home }

  const dry = await capture(schedule, ['install', '--via', 'cron', '--every', '15m', '--dry-run'], env)
  assert.equal(dry.code, 0, dry.stderr)
  assert.match(dry.stdout, /would set shipshape's line/)
  assert.equal(await crontabOf(), own, '--dry-run changes nothing')

  for (let i = 0; i < 2; i++) {
    const r = await capture(schedule, ['install', '--via', 'cron', '--every', '15m', '--textfile-dir', textfiles, '--only', 'platform'], env)
    assert.equal(r.code, 0, r.stderr)
  }
  const table = await crontabOf()
  assert.equal(await readFile(join(home, '.shipshape', 'crontab.bak'), 'utf8'), table, 'the table before the second install (already holding the line) is kept')
  const ours = table.split('\n').filter((l) => l.includes('shipshape-doctor'))
  assert.equal(ours.length, 1, table)
  assert.ok(table.startsWith(own), 'the user\'s own lines are untouched')
  assert.match(ours[0], /^\*\/15 \* \* \* \* /)

  const status = JSON.parse((await capture(schedule, ['status', '--format', 'json'], env)).stdout)
  assert.equal(status.installed, true)
  assert.equal(status.jobs[0].via, 'cron')
  assert.equal(status.jobs[0].every, '15m')
  // Whether cron itself runs here decides what status can promise; both answers are checked.
  if (await cronRunning(probe)) assert.equal(new Date(status.jobs[0].nextRun).getUTCMinutes() % 15, 0)
  else {
    assert.equal(status.jobs[0].nextRun, null)
    assert.match(status.jobs[0].state, /cron is not running.*sudo service cron start/)
  }
  assert.equal(status.lastRun, null)

  // Run the line's command the way cron does: /bin/sh -c, with cron's \% unescaped.
  const command = ours[0].split(' ').slice(5).join(' ').replace(/\\%/g, '%')
  const ran = await runProcess('/bin/sh', ['-c', command], { env: { PATH: '/usr/bin:/bin' }, timeoutMs: 30_000 })
  assert.equal(ran.code, 0, ran.stderr)
  const runs = await readHistory(join(home, '.shipshape', 'history.jsonl'))
  assert.equal(runs.length, 1)
  assert.equal(runs[0].checks[0].id, 'platform')
  const prom = parsePrometheusText(await readFile(join(textfiles, 'shipshape.prom'), 'utf8'))
  assert.equal(prom.get('shipshape_last_run_timestamp_seconds')!.samples[0].value, Date.parse(runs[0].startedAt) / 1000)
  const after = await capture(schedule, ['status'], env)
  assert.match(after.stdout, /Scheduled with cron, every 15m[\s\S]*Last run: \S+, exit 0/)

  const removed = await capture(schedule, ['remove'], env)
  assert.equal(removed.code, 0)
  assert.equal(await crontabOf(), own, 'remove leaves only the user\'s own lines')
  const again = await capture(schedule, ['remove'], env)
  assert.match(again.stdout, /Nothing to remove/)
})

test('schedule install with neither a user systemd nor crontab says what to install, exit 1, nothing written', async (t) => {
  const home = await tempDir(t)
  const emptyPath = await tempDir(t)
  const r = await capture(scheduleMain, ['install'], { HOME: home, PATH: emptyPath })
  assert.equal(r.code, 1)
  assert.match(r.stderr, /nothing to schedule with: no user systemd \(no systemctl on PATH\) and no crontab[\s\S]*apt-get install cron/)
  assert.deepEqual(await readdir(home), [])
})

test('schedule: an --every that a scheduler cannot express, or an unknown action, is exit 2 and changes nothing', async (t) => {
  const home = await tempDir(t)
  // A scheduler is there (a crontab with no table), so only the bad input can stop install.
  const { path, log } = await pathWithEmptyCrontab(t)
  const env = { HOME: home, PATH: path }
  const bad = await capture(scheduleMain, ['install', '--every', '7m'], env)
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /--every '7m'/)
  const badId = await capture(scheduleMain, ['install', '--only', 'dokcer-daemon'], env)
  assert.equal(badId.code, 2)
  assert.match(badId.stderr, /unknown check id 'dokcer-daemon'/)
  assert.deepEqual(await readdir(home), [])
  const unknown = await capture(scheduleMain, ['reinstall'], env)
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /unknown action 'reinstall'/)
  const calls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean)
  assert.deepEqual(calls.filter((c) => !/ -l\b/.test(c)), [], 'no crontab was written')
})
