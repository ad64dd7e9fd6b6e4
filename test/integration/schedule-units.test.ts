// The systemd units and the macOS LaunchAgent that `schedule install` writes: checked as files (the
// units with the real `systemd-analyze verify`, the plist with a strict plist reader and Python's
// plistlib), carrying the config of the folder they were installed from, installed twice and removed,
// with the scheduler's commands logged by fakes (no user systemd or launchd runs here).

import assert from 'node:assert/strict'
import { readFile, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { createProbe } from '../../lib/probe.js'
import { main as scheduleMain } from '../../scripts/schedule.js'
import type { Main } from '../../scripts/run-main.js'
import { capture } from '../capture.js'
import { parsePlist } from '../plist.js'
import { need } from '../gate.js'
import { cleanEnv, fakeBinDir, fakeExecutable, put, runCli, tempDir } from '../helpers.js'
import { systemdUnquoteWords } from '../../lib/model/shell-quote.js'

const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean)

test('systemd: a user service and timer that systemd-analyze accepts, enabled once, removed without a trace', async (t) => {
  const home = await tempDir(t)
  const bin = await tempDir(t)
  const log = join(bin, 'systemctl.log')
  // A user systemd cannot run in this container; the fake logs what shipshape asks of it.
  await fakeExecutable(bin, 'systemctl', `echo "systemctl $*" >> '${log}'\ncase "$*" in *is-system-running*) echo running ;; *show*) printf 'ActiveState=active\\nNextElapseUSecRealtime=Wed 2026-11-25 22:00:00 UTC\\nLastTriggerUSec=n/a\\n' ;; esac`)
  const env = { HOME: home, PATH: `${bin}:${process.env.PATH}` }
  // Installed from a team's folder (a name systemd's quoting must carry): the job names its config.
  const team = await tempDir(t, 'shipshape team 100% $HOME ')
  const config = await put(join(team, 'shipshape.yaml'), 'timeoutMs: 5000\n')
  for (let i = 0; i < 2; i++) {
    const r = await capture(scheduleMain, ['install', '--every', '1h', '--only', 'platform'], env, team)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /with systemd \(systemctl --user is-system-running: running\)/)
  }
  const dir = join(home, '.config', 'systemd', 'user')
  assert.deepEqual((await readdir(dir)).sort(), ['shipshape-doctor.service', 'shipshape-doctor.timer'])
  const service = await readFile(join(dir, 'shipshape-doctor.service'), 'utf8')
  const timer = await readFile(join(dir, 'shipshape-doctor.timer'), 'utf8')
  assert.match(service, /^ExecStart="[^"]+node" "[^"]+\/dist\/cli\/shipshape\.js" "schedule" "run" "--config" "[^"]+\/shipshape\.yaml" "--only" "platform"$/m)
  assert.match(service, new RegExp(`^Environment="HOME=${home}"$`, 'm'))
  assert.match(timer, /^OnCalendar=\*-\*-\* 00\/1:00:00$/m)
  assert.match(timer, /^Persistent=true$/m)
  assert.deepEqual((await lines(log)).filter((l) => !l.includes('is-system-running')), [
    'systemctl --user daemon-reload', 'systemctl --user enable --now shipshape-doctor.timer',
    'systemctl --user daemon-reload', 'systemctl --user enable --now shipshape-doctor.timer',
  ])

  // systemd itself must accept the files: without systemd-analyze the gate marks the test skipped by
  // name (the rest still runs) off CI, and fails it under CI.
  if (await need(t, 'systemd-analyze')) {
    const probe = createProbe({ env: process.env })
    const verify = await probe(['systemd-analyze', 'verify', join(dir, 'shipshape-doctor.timer'), join(dir, 'shipshape-doctor.service')], { timeoutMs: 20_000 })
    assert.equal(verify.code, 0, `systemd-analyze verify: ${verify.stderr}${verify.stdout}`)
    assert.doesNotMatch(verify.stderr, /shipshape-doctor/, verify.stderr)
    const calendar = await probe(['systemd-analyze', 'calendar', /^OnCalendar=(.*)$/m.exec(timer)![1]], { timeoutMs: 20_000 })
    assert.equal(calendar.code, 0, calendar.stderr)
    assert.match(calendar.stdout, /Next elapse: .* \d\d:00:00/)
  }

  const status = JSON.parse((await capture(scheduleMain, ['status', '--format', 'json'], env)).stdout)
  assert.deepEqual([status.jobs[0].via, status.jobs[0].every, status.jobs[0].state, status.jobs[0].nextRun, status.jobs[0].config], ['systemd', '1h', 'active', 'Wed 2026-11-25 22:00:00 UTC', config])

  const removed = await capture(scheduleMain, ['remove'], env)
  assert.equal(removed.code, 0, removed.stderr)
  assert.deepEqual(await readdir(dir), [])
  assert.deepEqual((await lines(log)).slice(-2), ['systemctl --user disable --now shipshape-doctor.timer', 'systemctl --user daemon-reload'])
})

test('macOS: a LaunchAgent plist launchd can load, bootstrapped once, booted out and deleted on remove', async (t) => {
  const home = await tempDir(t)
  const root = await tempDir(t)
  const state = await tempDir(t)
  await put(join(root, 'System/Library/CoreServices/SystemVersion.plist'), '<plist version="1.0"><dict><key>ProductName</key><string>macOS</string><key>ProductVersion</key><string>14.5</string></dict></plist>\n')
  const log = join(state, 'launchctl.log')
  // launchd lets go of a booted-out label only after two more looks, as a busy Mac does.
  const env = { HOME: home, SHIPSHAPE_HOST_ROOT: root, PATH: `${fakeBinDir}:${process.env.PATH}`, FAKE_LAUNCHCTL_LOG: log, FAKE_LAUNCHCTL_STATE: join(state, 'loaded'), FAKE_LAUNCHCTL_DRAIN: '2' }
  const schedule: Main = (argv, io) => scheduleMain(argv, io, { uid: 501 })
  const team = await tempDir(t, 'shipshape team & <co> ')
  const config = await put(join(team, 'shipshape.yaml'), 'timeoutMs: 5000\n')
  const textfiles = await tempDir(t)
  for (let i = 0; i < 2; i++) {
    const r = await capture(schedule, ['install', '--every', '15m', '--textfile-dir', textfiles, '--format', 'json'], env, team)
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /with launchd/)
  }
  const path = join(home, 'Library/LaunchAgents/dev.shipshape.doctor.plist')
  const plist = parsePlist(await readFile(path, 'utf8')) as Record<string, unknown>
  assert.equal(plist.Label, 'dev.shipshape.doctor')
  assert.equal(plist.StartInterval, 900)
  assert.equal(plist.RunAtLoad, false)
  const argv = plist.ProgramArguments as string[]
  assert.deepEqual(argv.slice(2), ['schedule', 'run', '--format', 'json', '--textfile-dir', textfiles, '--config', config])
  assert.equal((plist.EnvironmentVariables as Record<string, string>).HOME, home)
  assert.ok((await stat(argv[0])).isFile() && (await stat(argv[1])).isFile(), 'the program arguments are absolute paths that exist')
  assert.deepEqual(await lines(log), [
    `launchctl bootstrap gui/501 ${path}`,
    'launchctl bootout gui/501/dev.shipshape.doctor',
    'launchctl print gui/501/dev.shipshape.doctor',
    'launchctl print gui/501/dev.shipshape.doctor',
    'launchctl print gui/501/dev.shipshape.doctor',
    `launchctl bootstrap gui/501 ${path}`,
  ], 'the reinstall waits until launchd has let go of the old job')

  if (await need(t, 'python3')) {
    // Python's plistlib, a reader of Apple's format that is not ours, reads the same job.
    const probe = createProbe({ env: process.env })
    const read = await probe(['python3', '-c', 'import json, plistlib, sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))', path], { timeoutMs: 20_000 })
    assert.equal(read.code, 0, read.stderr)
    const py = JSON.parse(read.stdout)
    assert.deepEqual([py.Label, py.StartInterval, py.ProgramArguments], ['dev.shipshape.doctor', 900, argv])
  }

  const status = await capture(schedule, ['status'], env)
  assert.match(status.stdout, /Scheduled with launchd, every 15m \(loaded, not running\)/)
  assert.ok(status.stdout.includes(`\n  config: ${config}\n`), status.stdout)

  const removed = await capture(schedule, ['remove'], env)
  assert.equal(removed.code, 0, removed.stderr)
  await assert.rejects(stat(path))
  assert.deepEqual((await lines(log)).slice(-4), ['launchctl bootout gui/501/dev.shipshape.doctor', ...Array(3).fill('launchctl print gui/501/dev.shipshape.doctor')])
  assert.deepEqual(await readdir(join(state, 'loaded')), [], 'nothing left loaded')
})

test('systemd: a newline in KUBECONFIG cannot add a line to the unit; install refuses naming it, exit 2, nothing written', async (t) => {
  const home = await tempDir(t)
  const bin = await tempDir(t)
  await fakeExecutable(bin, 'systemctl', `case "$*" in *is-system-running*) echo running ;; esac`)
  const evil = `${home}/x\nExecStartPre=/bin/touch ${home}/PWNED\n#`
  const r = await runCli(['schedule', 'install', '--every', '1h'], { env: cleanEnv({ HOME: home, PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: evil }) })
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /^shipshape: KUBECONFIG holds a newline or control character .*nothing was changed/)
  assert.deepEqual(await readdir(join(home, '.config', 'systemd', 'user')).catch(() => []), [])
})

test('systemd: awkward but legal values ($, %, quotes, spaces) reach the unit as written, and systemd-analyze accepts it', async (t) => {
  const home = await tempDir(t, 'shipshape home $USER 50% ')
  const bin = await tempDir(t)
  await fakeExecutable(bin, 'systemctl', `case "$*" in *is-system-running*) echo running ;; esac`)
  const kubeconfig = `${home}/a "b" 'c' \\d $HOME %h.yaml`
  const r = await runCli(['schedule', 'install', '--every', '1h', '--only', 'platform'], { env: cleanEnv({ HOME: home, PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: kubeconfig }) })
  assert.equal(r.code, 0, r.stderr)
  const unit = join(home, '.config', 'systemd', 'user', 'shipshape-doctor.service')
  const lines = (await readFile(unit, 'utf8')).split('\n')
  const env = lines.filter((l) => l.startsWith('Environment=')).map((l) => systemdUnquoteWords(l.slice('Environment='.length), false)![0])
  assert.ok(env.includes(`KUBECONFIG=${kubeconfig}`), env.join('\n'))
  assert.ok(env.includes(`HOME=${home}`), env.join('\n'))
  if (await need(t, 'systemd-analyze')) {
    const probe = createProbe({ env: process.env })
    const verify = await probe(['systemd-analyze', 'verify', join(home, '.config', 'systemd', 'user', 'shipshape-doctor.timer'), unit], { timeoutMs: 20_000 })
    assert.equal(verify.code, 0, `systemd-analyze verify: ${verify.stderr}${verify.stdout}`)
    assert.doesNotMatch(verify.stderr, /shipshape-doctor/, verify.stderr)
  }
})
