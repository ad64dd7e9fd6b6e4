// `shipshape setup` as a person or a script meets it, with a check whose fix writes a file: without
// a terminal and without --yes it prints the plan, exits 2 and changes nothing; with --yes it runs,
// logs, checks again and exits 0; a second run finds nothing to do; a failed step means exit 1 and
// names the step and the log; --dry-run never runs anything.

import assert from 'node:assert/strict'
import { stripVTControlCharacters } from 'node:util'
import { readFile, writeFile } from 'node:fs/promises'
import { PassThrough } from 'node:stream'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Io } from '../../lib/command.js'
import { exists } from '../../lib/provision/files.js'
import type { Check } from '../../lib/types.js'
import { setup, type SetupOptions } from '../../scripts/setup.js'
import { projectRoot, put, runCli, tempDir } from '../helpers.js'

function capture(env: Record<string, string>, cwd: string, tty = false): Io & { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  // On a terminal readline moves the cursor; a PassThrough has no cursor, so these do nothing.
  const stdout = Object.assign(new PassThrough(), { isTTY: tty }, tty ? { columns: 80, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true } : {})
  const stderr = new PassThrough()
  stdout.on('data', (d) => (out += d))
  stderr.on('data', (d) => (err += d))
  const stdin = Object.assign(new PassThrough(), { isTTY: tty }, tty ? { setRawMode: () => stdin } : {})
  return { stdout, stderr, stdin, env, cwd, out: () => out, err: () => err }
}

/**
 * Resolves once the output, with terminal control codes stripped (readline writes `\x1b[26G` after
 * a prompt), matches `re`; rejects when the run ends without it.
 */
function promptSeen(io: { stdout: NodeJS.ReadableStream | NodeJS.WritableStream; out: () => string }, run: Promise<unknown>, re: RegExp): Promise<void> {
  const stream = io.stdout as PassThrough
  const seen = () => re.test(stripVTControlCharacters(io.out()))
  return new Promise((resolve, reject) => {
    if (seen()) return resolve()
    const onData = () => {
      if (!seen()) return
      stream.off('data', onData)
      resolve()
    }
    stream.on('data', onData)
    const ended = () => {
      stream.off('data', onData)
      if (!seen()) reject(new Error(`the run ended without printing ${re}:\n${io.out()}`))
    }
    run.then(ended, ended)
  })
}

/** A check that fails until `marker` exists; its fix creates it (or fails, when told to). */
function markerCheck(marker: string, opts: { failing?: boolean } = {}): Check {
  return {
    id: 'marker',
    title: 'Marker file',
    required: true,
    async run() {
      return (await exists(marker)) ? { status: 'ok', summary: 'present' } : { status: 'fail', summary: 'missing' }
    },
    fix: () => ({
      steps: [
        { id: 'write-marker', title: `Write ${marker}`, argv: ['sh', '-c', opts.failing ? 'echo disk full >&2; exit 1' : `echo made > '${marker}'`], sudo: false, done: () => exists(marker) },
        { id: 'after-marker', title: 'Something that needs the marker', argv: ['true'], sudo: false, needs: ['write-marker'] },
      ],
      manual: 'Tell your team.',
    }),
  }
}

const base: SetupOptions = { format: 'human', docker: 'auto' }

test('without a terminal and without --yes: the plan, exit 2, nothing changed', async (t) => {
  const home = await tempDir(t)
  const marker = join(home, 'marker')
  const io = capture({ HOME: home, PATH: process.env.PATH ?? '' }, home)
  assert.equal(await setup(base, io, [markerCheck(marker)]), 2)
  assert.match(io.out(), /Plan \(2 steps\):\n {3}1\. Write .*marker {2}\[marker\]\n {6}\$ sh -c/)
  assert.match(io.err(), /no terminal to confirm the plan on; nothing was changed\. Run again with --yes/)
  assert.equal(await exists(marker), false)
  assert.equal(await exists(join(home, '.shipshape')), false, 'not even a log')
})

test('--dry-run prints the plan as JSON and runs nothing', async (t) => {
  const home = await tempDir(t)
  const marker = join(home, 'marker')
  const io = capture({ HOME: home, PATH: process.env.PATH ?? '' }, home)
  assert.equal(await setup({ ...base, dryRun: true, format: 'json' }, io, [markerCheck(marker)]), 0)
  const doc = JSON.parse(io.out())
  assert.deepEqual(doc.steps.map((s: { id: string; reason: string }) => [s.id, s.reason]), [['write-marker', 'marker'], ['after-marker', 'marker']])
  assert.deepEqual(doc.manual, ['marker: Tell your team.'])
  assert.equal(await exists(marker), false)
})

test('--yes runs the plan, logs it, checks again; a second run has nothing to do', async (t) => {
  const home = await tempDir(t)
  const marker = join(home, 'marker')
  const io = capture({ HOME: home, PATH: process.env.PATH ?? '' }, home)
  assert.equal(await setup({ ...base, yes: true }, io, [markerCheck(marker)]), 0, io.out() + io.err())
  assert.equal(await readFile(marker, 'utf8'), 'made\n')
  assert.match(io.out(), /2 of 2 steps done\. Log: (.*\.log)/)
  const log = await readFile(io.out().match(/Log: (.*\.log)/)![1], 'utf8')
  assert.match(log, /\$ sh -c 'echo made/)
  // The check passes after the steps: nothing is left by hand (the list is read after the run).
  assert.match(io.out(), /2 of 2 steps done\. Log: .*\nReady\./)
  assert.doesNotMatch(io.out(), /To finish by hand/)

  const again = capture({ HOME: home, PATH: process.env.PATH ?? '' }, home)
  assert.equal(await setup(base, again, [markerCheck(marker)]), 0)
  assert.match(again.out(), /Nothing to install or change\./)
})

test('a failing step: exit 1, its dependents not run, the error and the log named', async (t) => {
  const home = await tempDir(t)
  const marker = join(home, 'marker')
  const io = capture({ HOME: home, PATH: process.env.PATH ?? '' }, home)
  assert.equal(await setup({ ...base, yes: true }, io, [markerCheck(marker, { failing: true })]), 1)
  assert.match(io.out(), /✗ write-marker: sh -c 'echo disk full >&2; exit 1': disk full/)
  assert.match(io.out(), /✗ after-marker: not run: it needs write-marker, which did not succeed/)
  assert.match(io.out(), /0 of 2 steps done, 1 failed, 1 not run\. Log: .*\.shipshape\/logs\/.*\.log/)
  assert.match(io.out(), /still fail: Marker file: missing/)
})

test('on a terminal, the plan waits for a yes; anything else changes nothing', async (t) => {
  const home = await tempDir(t)
  const marker = join(home, 'marker')
  const io = capture({ HOME: home, PATH: process.env.PATH ?? '' }, home, true)
  const run = setup(base, io, [markerCheck(marker)])
  ;(io.stdin as PassThrough).end('n\n')
  assert.equal(await run, 0)
  assert.match(io.out(), /Run these 2 steps\? \[y\/N\] /)
  assert.match(io.out(), /Nothing was changed\./)
  assert.equal(await exists(marker), false)
})

test('setup and doctor --fix reject bad input with exit 2 before doing anything', async (t) => {
  const home = await tempDir(t)
  await writeFile(join(home, 'shipshape.yaml'), 'sources:\n  minikube: not a url\n')
  const env = { PATH: process.env.PATH, HOME: home }
  const badConfig = await runCli(['setup', '--dry-run'], { env, cwd: home })
  assert.equal(badConfig.code, 2)
  assert.match(badConfig.stderr, /shipshape\.yaml:2:\d+/)
  const badId = await runCli(['doctor', '--fix', '--only', 'no-such-check'], { env, cwd: await tempDir(t) })
  assert.equal(badId.code, 2)
  assert.match(badId.stderr, /unknown check id 'no-such-check'/)
})

test('doctor --fix on a fixture Debian 12 with a low vm.max_map_count: the sysctl plan, and without a terminal exit 2', async (t) => {
  const root = await tempDir(t)
  await put(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')
  await put(join(root, 'proc/version'), 'Linux version 6.1.0-27-amd64 (gcc) #1 SMP\n')
  await put(join(root, 'proc/sys/vm/max_map_count'), '65530\n')
  const home = await tempDir(t)
  // A user with sudo (the fake one in test/bin/provision) sees sudo.
  const env = { PATH: `${join(projectRoot, 'test/bin/provision')}:${process.env.PATH}`, HOME: home, SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_UID: '1000' }
  const r = await runCli(['doctor', '--fix', '--only', 'max-map-count'], { env, cwd: home })
  assert.equal(r.code, 2, r.stdout + r.stderr)
  assert.match(r.stdout, /Raise vm\.max_map_count to 262144 now {2}\[max-map-count\]\n {6}\$ sudo sysctl -w vm\.max_map_count=262144/)
  // As root the same plan shows the command as it will run.
  const asRoot = await runCli(['doctor', '--fix', '--only', 'max-map-count'], { env: { ...env, SHIPSHAPE_UID: '0' }, cwd: home })
  assert.match(asRoot.stdout, /\n {6}\$ sysctl -w vm\.max_map_count=262144\n/)
  assert.doesNotMatch(asRoot.stdout, /sudo/)
  // Not root and no sudo installed: the step says how to get root instead of a command that cannot run.
  const noSudo = await runCli(['doctor', '--fix', '--only', 'max-map-count'], { env: { ...env, PATH: await tempDir(t) }, cwd: home })
  assert.match(noSudo.stdout, /\n {6}\$ su -c 'sysctl -w vm\.max_map_count=262144'\n/)
  assert.doesNotMatch(noSudo.stdout, /sudo/)
  assert.match(r.stdout, /Keep vm\.max_map_count at 262144 after reboots/)
  assert.match(r.stderr, /nothing was changed/)
  assert.equal(await exists(join(home, '.shipshape')), false)
})

test('on a terminal, sudo that wants a password is asked once, without echo, and the plan runs with it', { timeout: 60_000 }, async (t) => {
  const home = await tempDir(t)
  const marker = join(home, 'marker')
  const fakeBin = join(projectRoot, 'test/bin/provision')
  const env = { HOME: home, USER: 'alice', PATH: `${fakeBin}:/usr/bin:/bin`, SHIPSHAPE_UID: '1000', FAKE_SUDO_REFUSE: '1', FAKE_SUDO_PASSWORD: 's3cret' }
  const io = capture(env, home, true)
  const check = markerCheck(marker)
  const asRoot: Check = { ...check, fix: async (c, f) => { const fix = await check.fix!(c, f); return fix && { ...fix, steps: fix.steps.map((s) => ({ ...s, sudo: true })) } } }
  const run = setup(base, io, [asRoot])
  const stdin = io.stdin as PassThrough
  // Each answer is typed only once its prompt is on screen; if it never comes the run ends (or the
  // test's timeout fires) and the test fails.
  const waitFor = (re: RegExp) => promptSeen(io, run, re)
  await waitFor(/\[y\/N\] $/)
  stdin.write('y\n')
  await waitFor(/password for alice/)
  stdin.write('s3cret\n')
  assert.equal(await run, 0, io.out() + io.err())
  assert.equal(await readFile(marker, 'utf8'), 'made\n')
  assert.doesNotMatch(io.out(), /s3cret/)
})

test('doctor --fix --offline: setup leaves the network checks out, before its steps and after', async (t) => {
  const home = await tempDir(t)
  const marker = join(home, 'marker')
  let asked = 0
  const network: Check = { id: 'reach', title: 'A registry', required: true, network: true, run: async () => (asked++, { status: 'fail', summary: 'unreachable' }) }
  const io = capture({ PATH: process.env.PATH!, HOME: home }, home)
  assert.equal(await setup({ ...base, yes: true, offline: true }, io, [markerCheck(marker), network]), 0, io.out() + io.err())
  assert.equal(asked, 0)
  assert.ok(await exists(marker))
})
