// `schedule` with Debian's real crontab, on a test user's table (as root, `crontab -u`): installing
// twice leaves one line, the user's own lines stay untouched, status sees it, the line itself runs a
// check that records history and writes the textfile, and remove leaves none.

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises'
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
import { cliPath, fakeExecutable, pathWithEmptyCrontab, runProcess, tempDir } from '../helpers.js'

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

/** The user's crontab as `crontab -l` prints it; '' when there is none. */
async function crontabOf(user: string): Promise<string> {
  const r = await probe(['crontab', '-u', user, '-l'])
  return r.ok ? r.stdout : ''
}

test('schedule install/status/remove with the real crontab', async (t) => {
  const USER = await crontabUser(t)
  if (!USER) return
  const home = await tempDir(t)
  const textfiles = await tempDir(t)
  // The job runs as the crontab's owner, who must be able to write the textfile folder.
  await probe(['chown', USER, textfiles])
  const own = '# alice: backups\n30 2 * * * /usr/local/bin/backup --quiet\n'
  await probe(['crontab', '-u', USER, '-'], { input: own })
  const schedule: Main = (argv, io) => scheduleMain(argv, io, { crontabUser: USER })
  const env = { HOME: home }

  const dry = await capture(schedule, ['install', '--via', 'cron', '--every', '15m', '--dry-run'], env)
  assert.equal(dry.code, 0, dry.stderr)
  assert.match(dry.stdout, /would set shipshape's line/)
  assert.equal(await crontabOf(USER), own, '--dry-run changes nothing')

  for (let i = 0; i < 2; i++) {
    const r = await capture(schedule, ['install', '--via', 'cron', '--every', '15m', '--textfile-dir', textfiles, '--only', 'platform'], env)
    assert.equal(r.code, 0, r.stderr)
  }
  const table = await crontabOf(USER)
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
    assert.match(status.jobs[0].state, /cron is not running.*`service cron start`/, 'as root, no sudo')
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
  assert.equal(await crontabOf(USER), own, 'remove leaves only the user\'s own lines')
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

test('schedule remove when shipshape\'s line is the only one in the crontab leaves an empty table', async (t) => {
  const USER = await crontabUser(t)
  if (!USER) return
  const home = await tempDir(t)
  const schedule: Main = (argv, io) => scheduleMain(argv, io, { crontabUser: USER })
  const env = { HOME: home }
  const installed = await capture(schedule, ['install', '--via', 'cron', '--only', 'platform'], env)
  assert.equal(installed.code, 0, installed.stderr)
  assert.equal((await crontabOf(USER)).split('\n').filter(Boolean).length, 1, 'only shipshape\'s line')
  // The new table is empty: crontab must read an empty stdin to its end, not wait for more.
  const removed = await capture(schedule, ['remove'], env)
  assert.equal(removed.code, 0, removed.stderr)
  assert.equal(await crontabOf(USER), '')
  assert.match((await capture(schedule, ['status'], env)).stdout, /No shipshape job is scheduled/)
})

test('schedule install from a team\'s folder: the line names its shipshape.yaml, runs follow it, an unwritable textfile folder is refused up front and a run that cannot write it says so in one line', async (t) => {
  const USER = await crontabUser(t)
  if (!USER) return
  const schedule: Main = (argv, io) => scheduleMain(argv, io, { crontabUser: USER })
  const home = await tempDir(t)
  await probe(['chown', USER, home])
  // A folder name a shell, cron and the config reader must all get right.
  const team = await tempDir(t, "shipshape team's 100% ")
  await chmod(team, 0o755)
  const config = join(team, 'shipshape.yaml')
  await writeFile(config, 'checks:\n  platform: {required: false}\n')
  const textfiles = await tempDir(t)
  const env = { HOME: home }
  const install = (dir: string) => capture(schedule, ['install', '--via', 'cron', '--only', 'platform', '--textfile-dir', dir], env, team)

  const refused = await install(textfiles)
  assert.equal(refused.code, 2, refused.stderr)
  assert.match(refused.stderr, new RegExp(`--textfile-dir: ${USER}, who runs the scheduled job, cannot write ${textfiles}\\. Let them .*\\): chown ${USER} ${textfiles}, or`), 'as root, no sudo')
  const missing = await install(join(textfiles, 'nope'))
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, new RegExp(`${textfiles}/nope does not exist\\. Create it for ${USER}: install -d -o ${USER} ${textfiles}/nope `), 'as root, no sudo')
  assert.equal(await crontabOf(USER), '', 'nothing was installed')
  assert.deepEqual(await readdir(home), [], 'nothing was written')

  await probe(['chown', USER, textfiles])
  const installed = await install(textfiles)
  assert.equal(installed.code, 0, installed.stderr)
  // Installed by root for this user (the test's seam), ~/.shipshape/crontab.bak is root's: hand it over.
  await probe(['chown', '-R', USER, home])
  const line = (await crontabOf(USER)).split('\n')[0]
  assert.match(line, / --config '.+shipshape\.yaml' /)
  const status = JSON.parse((await capture(schedule, ['status', '--format', 'json'], env)).stdout)
  assert.equal(status.jobs[0].config, config)
  assert.match((await capture(schedule, ['status'], env)).stdout, new RegExp(`\n  config: ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`))

  // Run the line's command as cron would: as its owner, through /bin/sh, with \% unescaped; its output kept here.
  const command = line.split(' ').slice(5).join(' ').replace(/\\%/g, '%').replace(' >/dev/null 2>&1', '')
  const asCron = () => runProcess('runuser', ['-u', USER, '--', '/bin/sh', '-c', command], { env: { PATH: '/usr/sbin:/usr/bin:/bin' }, cwd: '/', timeoutMs: 30_000 })
  const ran = await asCron()
  assert.equal(ran.code, 0, ran.stderr)
  const first = (await readHistory(join(home, '.shipshape', 'history.jsonl')))[0]
  assert.equal(first.checks[0].required, false, 'the run read the team\'s config (platform made optional there)')
  assert.ok(await readFile(join(textfiles, 'shipshape.prom'), 'utf8'))

  // The folder changes hands after install: the run records why and exits 1, in one line.
  await probe(['chown', 'root', textfiles])
  const denied = await asCron()
  assert.equal(denied.code, 1)
  assert.equal(denied.stderr, `shipshape: cannot write ${textfiles}/shipshape.prom: EACCES: permission denied\n`)
  const last = (await readHistory(join(home, '.shipshape', 'history.jsonl'))).at(-1)!
  assert.deepEqual([last.exitCode, last.error], [1, `cannot write ${textfiles}/shipshape.prom: EACCES: permission denied`])
  assert.match((await capture(schedule, ['status'], env)).stdout, /Last run: \S+, exit 1\n  error: cannot write .*EACCES/)
  const history = await runProcess(process.execPath, [cliPath, 'history'], { env: { PATH: process.env.PATH, HOME: home }, timeoutMs: 30_000 })
  assert.match(history.stdout, /not ready .*\n +✗ cannot write .*shipshape\.prom: EACCES/)
})

test('schedule install with a PATH and KUBECONFIG holding spaces: the line cron runs starts and records its run', async (t) => {
  const USER = await crontabUser(t)
  if (!USER) return
  const home = await tempDir(t)
  const tools = await tempDir(t, 'my tools ')
  const schedule: Main = (argv, io) => scheduleMain(argv, io, { crontabUser: USER })
  const env = { HOME: home, PATH: `${tools}:/usr/bin:/bin`, KUBECONFIG: '/mnt/c/Users/John Smith/.kube/config' }
  const r = await capture(schedule, ['install', '--via', 'cron', '--every', '1h', '--only', 'platform'], env)
  assert.equal(r.code, 0, r.stderr)
  const line = (await crontabOf(USER)).split('\n').find((l) => l.includes('shipshape-doctor'))!
  // As cron runs it: nothing inherited, cron's PATH, /bin/sh -c, \% unescaped.
  const command = line.split(' ').slice(5).join(' ').replace(/\\%/g, '%')
  const ran = await runProcess('/usr/bin/env', ['-i', 'PATH=/usr/bin:/bin', `HOME=${home}`, 'SHELL=/bin/sh', '/bin/sh', '-c', command], { timeoutMs: 30_000 })
  assert.equal(ran.code, 0, `${line}\n${ran.stderr}`)
  const runs = await readHistory(join(home, '.shipshape', 'history.jsonl'))
  assert.deepEqual(runs.map((run) => run.checks.map((c) => c.id)), [['platform']])
})

test('schedule install refuses a crontab line that would not start when cron runs it: exit 1, the crontab untouched', async (t) => {
  const home = await tempDir(t)
  const { path, log } = await pathWithEmptyCrontab(t)
  const gone = await tempDir(t)
  // A node that cannot start where cron looks (moved, on a noexec mount): the shell says 126.
  const node = await fakeExecutable(gone, 'node', 'echo "node: cannot execute binary file" >&2; exit 126')
  const schedule: Main = (argv, io) => scheduleMain(argv, io, { node })
  const r = await capture(schedule, ['install', '--via', 'cron', '--every', '1h'], { HOME: home, PATH: path })
  assert.equal(r.code, 1, r.stdout)
  assert.match(r.stderr, /the crontab line would not start when cron runs it .*env -i.*exit 126: node: cannot execute binary file\. Nothing was changed\./)
  const calls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean)
  assert.deepEqual(calls.filter((c) => !/ -l\b/.test(c)), [], 'no crontab was written')
})
