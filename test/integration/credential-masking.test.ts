// Credentials in URLs are masked in every form curl and Go accept (a password holding '@', no
// scheme at all) wherever shipshape prints them: doctor's formats, /healthz, a unit shown by
// `schedule install --dry-run`, and error messages (all of a command's output passes one mask).

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cleanEnv, pathWithEmptyCrontab, runCli, serve, tempDir } from '../helpers.js'

const SECRETS = ['ssw0rd', 'SECRET', 'hunter2']
const proxyEnv = (home: string) => cleanEnv({
  HOME: home,
  HTTPS_PROXY: 'http://alice:p@ssw0rd@127.0.0.1:1',
  HTTP_PROXY: 'bob:SECRET@127.0.0.1:1',
  DOCKER_HOST: 'tcp://carol:hunter2@127.0.0.1:1',
})
const leaks = (text: string) => SECRETS.filter((s) => text.includes(s))

test('doctor masks a password holding @ and a proxy written without a scheme, in every format', async (t) => {
  const home = await tempDir(t)
  for (const format of ['human', 'json', 'markdown', 'tap']) {
    const r = await runCli(['doctor', '--only', 'proxy,docker-host', '--verbose', '--format', format], { cwd: home, env: proxyEnv(home), timeoutMs: 30_000 })
    assert.deepEqual(leaks(r.stdout + r.stderr), [], `${format}:\n${r.stdout}${r.stderr}`)
    assert.match(r.stdout, /http:\/\/alice:\*\*\*@127\.0\.0\.1:1/, format)
    // The details (each setting by name) are in the formats that carry them.
    if (format === 'human' || format === 'json') assert.match(r.stdout, /bob:\*\*\*@127\.0\.0\.1:1/, format)
  }
})

test('/healthz masks them too', async (t) => {
  const home = await tempDir(t)
  const { url } = await serve(t, home, ['--only', 'proxy'], proxyEnv(home))
  const body = await (await fetch(`${url}/healthz`)).text()
  assert.deepEqual(leaks(body), [], body)
  assert.match(body, /bob:\*\*\*@127\.0\.0\.1:1/)
})

test('schedule install --dry-run shows the crontab line with the password masked', async (t) => {
  const home = await tempDir(t)
  const { path } = await pathWithEmptyCrontab(t)
  const r = await runCli(['schedule', 'install', '--via', 'cron', '--dry-run'], { cwd: home, env: { ...proxyEnv(home), PATH: path }, timeoutMs: 30_000 })
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(leaks(r.stdout + r.stderr), [], r.stdout)
  assert.match(r.stdout, / DOCKER_HOST=tcp:\/\/carol:\*\*\*@127\.0\.0\.1:1 /)
})

test('a proxy value no client can use (an open bracket, a port past 65535) is called invalid, not passed over', async (t) => {
  const home = await tempDir(t)
  const env = cleanEnv({ HOME: home, HTTPS_PROXY: 'http://[::1', HTTP_PROXY: 'http://127.0.0.1:99999' })
  const r = await runCli(['doctor', '--only', 'proxy', '--format', 'json'], { cwd: home, env, timeoutMs: 30_000 })
  const check = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'proxy')
  assert.equal(check.status, 'fail', r.stdout)
  assert.match(check.summary, /the proxy http:\/\/\[::1 \(shell HTTPS_PROXY\) is invalid: .*; the proxy http:\/\/127\.0\.0\.1:99999 \(shell HTTP_PROXY\) is invalid/)
})
