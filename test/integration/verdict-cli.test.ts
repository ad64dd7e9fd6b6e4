// One rule decides "Ready" and the exit code, and every format says it: a required check skipped
// because a check it needs failed is not ready in human, TAP, JUnit, Prometheus and Markdown alike;
// a warning is ready (and not, with --strict) with words to match; setup's "by hand" list is what is
// still left after the steps; schedule status promises no next run cron will not make.

import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { test } from 'node:test'
import { XMLParser } from 'fast-xml-parser'
import { cleanEnv, fakeExecutable, pathWithout, put, runCli, tempDir } from '../helpers.js'

test('a required check skipped because a check it needs failed: not ready, exit 1, in every format', async (t) => {
  const cwd = await tempDir(t)
  await put(join(cwd, 'shipshape.yaml'), 'checks:\n  docker-cli: {required: false}\n')
  const env = cleanEnv({ HOME: cwd, PATH: await pathWithout(t, ['docker']) })
  const run = (format: string) => runCli(['doctor', '--only', 'docker-daemon', '--format', format], { cwd, env, timeoutMs: 30_000 })
  const human = await run('human')
  assert.equal(human.code, 1, human.stdout)
  assert.match(human.stdout, /^\[-\] Docker daemon: skipped: docker-cli failed$/m, 'the status as a person says it')
  assert.match(human.stdout, /^Not ready\. /m)
  const tap = await run('tap')
  assert.equal(tap.code, 1)
  assert.match(tap.stdout, /^not ok 2 - docker-daemon: skipped: docker-cli failed$/m, 'no SKIP directive: a harness would count it passed')
  const junit = new XMLParser({ ignoreAttributes: false }).parse((await run('junit')).stdout)
  const cases = [junit.testsuites.testsuite.testcase].flat() as Array<Record<string, unknown>>
  assert.ok(cases.find((c) => c['@_name'] === 'docker-daemon')?.failure !== undefined, JSON.stringify(cases))
  assert.match((await run('prometheus')).stdout, /^shipshape_ready 0$/m)
  const md = await run('markdown')
  assert.match(md.stdout, /^\*\*Not ready\*\* \(exit code 1\)$/m)
  const json = JSON.parse((await run('json')).stdout)
  assert.deepEqual(json.checks.find((c: { id: string }) => c.id === 'docker-daemon').blockedBy, ['docker-cli'])
})

test('a warning is ready, and not with --strict; Markdown says which with its exit code, counts offline skips apart, and uses doctor\'s marks', async (t) => {
  const [cwd, bin] = [await tempDir(t), await tempDir(t)]
  // Only a standalone docker-compose v1: a warning (end of life), whatever this machine has installed.
  await fakeExecutable(bin, 'docker-compose', 'echo 1.29.2')
  await put(join(cwd, 'shipshape.yaml'), 'stacks:\n  echo: {}\n')
  const env = cleanEnv({ HOME: cwd, PATH: [bin, await pathWithout(t, ['docker', 'docker-compose'])].join(delimiter) })
  const args = ['doctor', '--only', 'docker-compose,registries', '--offline', '--format']
  const md = await runCli([...args, 'markdown'], { cwd, env, timeoutMs: 30_000 })
  assert.equal(md.code, 0, md.stderr)
  assert.match(md.stdout, /^\*\*Ready\*\* \(exit code 0\)$/m)
  assert.match(md.stdout, /^- Open items: 1 of 1 checks; 1 skipped, listed apart$/m)
  assert.equal(md.stdout.match(/^- \[[ x]\] /gm)?.length, 1 + 1, 'one box per counted check, plus the stack')
  assert.match(md.stdout, /^## Skipped\n\n- \[-\] Image registries: offline/m)
  assert.match(md.stdout, /^- \[ \] \*\*echo\*\*: needs .*`docker-compose` ! warn.*`registries` - skip/m)
  const strict = await runCli([...args, 'markdown', '--strict'], { cwd, env, timeoutMs: 30_000 })
  assert.equal(strict.code, 1)
  assert.match(strict.stdout, /^\*\*Not ready\*\* \(exit code 1\)$/m)

  const prom = await runCli([...args, 'prometheus'], { cwd, env, timeoutMs: 30_000 })
  assert.match(prom.stdout, /^shipshape_ready 1$/m)
  assert.match(prom.stdout, /^# HELP shipshape_ready 1 when the run exits 0: every required check is ok or warn/m)
})

test('setup lists by hand only what is still left after its steps', async (t) => {
  const home = await tempDir(t)
  await put(join(home, '.bashrc'), '# mine\nexport DOCKER_HOST=tcp://192.168.1.20:2375\n')
  const env = cleanEnv({ HOME: home })
  const dry = await runCli(['setup', '--only', 'docker-host', '--dry-run'], { cwd: home, env, timeoutMs: 30_000 })
  assert.match(dry.stdout, /docker-host/)
  const r = await runCli(['setup', '--only', 'docker-host', '--yes'], { cwd: home, env, timeoutMs: 30_000 })
  assert.match(await readFile(join(home, '.bashrc'), 'utf8'), /^# .*export DOCKER_HOST=tcp:\/\/192\.168\.1\.20:2375/m, r.stdout)
  assert.doesNotMatch(r.stdout, /To finish by hand:[\s\S]*docker-host/, r.stdout)
})

test('schedule status: the next run on cron\'s own calendar, or none while cron does not run', async (t) => {
  const [home, bin] = [await tempDir(t), await tempDir(t)]
  const line = '*/15 * * * * /usr/bin/env shipshape schedule run # shipshape-doctor (managed by shipshape schedule; remove with: shipshape schedule remove)'
  await fakeExecutable(bin, 'crontab', `echo '${line}'`)
  await fakeExecutable(bin, 'pgrep', 'exit 1')
  await fakeExecutable(bin, 'systemctl', 'exit 1')
  // A run recorded at 16:42:29: last run + 15 minutes would be 16:57:29, which cron never fires at.
  await put(join(home, '.shipshape/history.jsonl'), `${JSON.stringify({ startedAt: '2026-12-06T16:42:29.000Z', exitCode: 0, durationMs: 5, checks: [] })}\n`)
  const env = cleanEnv({ HOME: home, PATH: [bin, process.env.PATH].join(delimiter), TZ: 'UTC' })
  const stopped = await runCli(['schedule', 'status', '--via', 'cron'], { cwd: home, env, timeoutMs: 30_000 })
  assert.match(stopped.stdout, /next run: none while cron is not running/, stopped.stdout + stopped.stderr)
  await fakeExecutable(bin, 'pgrep', 'echo 1; exit 0')
  const running = JSON.parse((await runCli(['schedule', 'status', '--format', 'json'], { cwd: home, env, timeoutMs: 30_000 })).stdout)
  const next = new Date(running.jobs[0].nextRun)
  assert.equal(next.getUTCMinutes() % 15, 0)
  assert.equal(next.getUTCSeconds(), 0)
})
