// The checks with no other test through the spawned CLI: docker-cli, docker-host, kubectl, ports and
// resources, each in the human report (what a user reads) and its exit code, with fake executables
// that replay recorded output (test/fixtures/README.md) and loopback listeners.

import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { need } from '../gate.js'
import { debianRoot, cleanEnv, fakeExecutable, fixturesDir, pathWithout, put, runCli, tempDir } from '../helpers.js'
import { refusingPort } from '../loopback.js'

/** A PATH whose `name` is a fake replaying `body`, and no other `name`. */
async function pathWithFake(t: TestContext, name: string, body: string): Promise<string> {
  const bin = await tempDir(t)
  await fakeExecutable(bin, name, body)
  return [bin, await pathWithout(t, [name])].join(delimiter)
}

test('docker-cli: the recorded `docker --version` is read as its version, ok, exit 0', async (t) => {
  const PATH = await pathWithFake(t, 'docker', `[ "$1" = --version ] && exec cat '${join(fixturesDir, 'docker-version.client-28.txt')}'\nexit 1`)
  const r = await runCli(['doctor', '--only', 'docker-cli'], { env: cleanEnv({ PATH }) })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^\[✓\] Docker CLI: Docker CLI 28\.2\.2$/m)
  assert.match(r.stdout, /\nReady\. 1 ok/)
})

test('docker-cli: a client older than the floor fails, exit 1; none on PATH fails naming PATH', async (t) => {
  // The line as docker 19.03 prints it (same format as the recorded 28.2.2).
  const old = await pathWithFake(t, 'docker', `[ "$1" = --version ] && echo 'Docker version 19.03.13, build 4484c46d9d'`)
  const r = await runCli(['doctor', '--only', 'docker-cli'], { env: cleanEnv({ PATH: old }) })
  assert.equal(r.code, 1)
  assert.match(r.stdout, /^\[✗\] Docker CLI: Docker CLI 19\.3\.13 is older than >=20\.10\.0$/m)
  assert.match(r.stdout, /\nNot ready\./)
  // Absent everywhere: off PATH and in no installer's folder (this machine has one in /usr/local/bin).
  const none = await runCli(['doctor', '--format', 'json', '--only', 'docker-cli'], { env: cleanEnv({ PATH: await pathWithout(t, ['docker']), SHIPSHAPE_HOST_ROOT: await debianRoot(t) }) })
  assert.equal(none.code, 1)
  const check = JSON.parse(none.stdout).checks.find((c: { id: string }) => c.id === 'docker-cli')
  assert.deepEqual([check.status, check.summary], ['fail', 'docker is not on PATH'])
})

test('kubectl: the recorded client version is ok, exit 0; absent it fails, exit 1', async (t) => {
  const PATH = await pathWithFake(t, 'kubectl', `[ "$1 $2" = "version --client" ] && exec cat '${join(fixturesDir, 'kubectl-version.client-1.32.json')}'\nexit 1`)
  const r = await runCli(['doctor', '--only', 'kubectl'], { env: cleanEnv({ PATH }) })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^\[✓\] kubectl: kubectl v1\.32\.4-dispatcher$/m)
  const none = await runCli(['doctor', '--only', 'kubectl'], { env: cleanEnv({ PATH: await pathWithout(t, ['kubectl']), SHIPSHAPE_HOST_ROOT: await debianRoot(t) }) })
  assert.equal(none.code, 1)
  assert.match(none.stdout, /^\[✗\] kubectl: kubectl is not on PATH$/m)
  assert.match(none.stdout, /fix: /)
})

test('docker-host: unset everywhere is ok; a plain tcp:// to another machine in ~/.bashrc is named by file and line (optional: exit 0, 1 with --strict)', async (t) => {
  const home = await tempDir(t)
  const clean = await runCli(['doctor', '--format', 'json', '--only', 'docker-host'], { env: cleanEnv({ HOME: home }) })
  assert.equal(clean.code, 0, clean.stderr)
  assert.equal(JSON.parse(clean.stdout).checks.find((c: { id: string }) => c.id === 'docker-host').status, 'ok')
  const rc = await put(join(home, '.bashrc'), '# set by an old guide\nexport DOCKER_HOST=tcp://192.168.1.20:2375\n')
  const r = await runCli(['doctor', '--only', 'docker-host'], { env: cleanEnv({ HOME: home }) })
  assert.equal(r.code, 0, 'an optional check does not fail the run')
  assert.match(r.stdout, new RegExp(`^\\[✗\\] DOCKER_HOST: ${rc.replace(/[.]/g, '\\.')}:2: tcp://192\\.168\\.1\\.20:2375: unencrypted tcp to another machine`, 'm'))
  assert.match(r.stdout, /comment out .*\.bashrc:2 \(export DOCKER_HOST=tcp:\/\/192\.168\.1\.20:2375\)/)
  const strict = await runCli(['doctor', '--only', 'docker-host', '--strict'], { env: cleanEnv({ HOME: home }) })
  assert.equal(strict.code, 1)
})

test('ports: a stack port in use held by a program outside Docker fails by port, exit 1; free, it is ok', async (t) => {
  const cwd = await tempDir(t)
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const port = (server.address() as { port: number }).port
  await put(join(cwd, 'shipshape.yaml'), `stacks:\n  echo:\n    port: ${port}\n`)
  // No daemon answers here, so nothing can be named as a container.
  const env = cleanEnv({ DOCKER_HOST: `tcp://127.0.0.1:${await refusingPort()}` })
  const r = await runCli(['doctor', '--only', 'ports'], { cwd, env })
  assert.equal(r.code, 1, r.stdout + r.stderr)
  assert.match(r.stdout, new RegExp(`^\\[✗\\] Stack ports: ${port} \\(.*\\) is taken by a process outside Docker$`, 'm'))
  assert.match(r.stdout, new RegExp(`find it with: ss -ltnp 'sport = :${port}'`))
  await new Promise((resolve) => server.close(resolve))
  const free = await runCli(['doctor', '--only', 'ports'], { cwd, env })
  assert.equal(free.code, 0, free.stdout)
  assert.match(free.stdout, new RegExp(`^\\[✓\\] Stack ports: ${port} free on 127\\.0\\.0\\.1 \\(stacks in use\\)$`, 'm'))
})

test('resources: skipped, saying why, when the daemon does not answer; the run fails on the daemon, exit 1', async (t) => {
  // A docker client replaying its recorded answers for a daemon at a closed port, on any machine.
  const PATH = await pathWithFake(t, 'docker', `case "$1" in
  --version) exec cat '${join(fixturesDir, 'docker-version.client-28.txt')}' ;;
  info) cat '${join(fixturesDir, 'docker-info.no-daemon.stderr.txt')}' >&2; exit 1 ;;
esac
exit 1`)
  const env = cleanEnv({ PATH, DOCKER_HOST: 'tcp://127.0.0.1:1' })
  const r = await runCli(['doctor', '--only', 'resources'], { env })
  assert.equal(r.code, 1)
  assert.match(r.stdout, /^\[✗\] Docker daemon: not running: nothing answers at tcp:\/\/127\.0\.0\.1:1$/m)
  assert.match(r.stdout, /^\[-\] CPU, memory and disk: skipped: docker-daemon failed$/m)
})

test('resources: measured from the real daemon, with CPUs and memory in the summary', async (t) => {
  if (!(await need(t, 'docker'))) return
  const r = await runCli(['doctor', '--format', 'json', '--only', 'resources'], { env: cleanEnv() })
  const doc = JSON.parse(r.stdout)
  assert.equal(r.code, doc.summary.exitCode, r.stderr)
  const check = doc.checks.find((c: { id: string }) => c.id === 'resources')
  assert.ok(['ok', 'warn'].includes(check.status), `${check.status}: ${check.summary}`)
  assert.match(check.summary, /\d+ CPUs?/)
  const human = await runCli(['doctor', '--only', 'resources'], { env: cleanEnv() })
  assert.equal(human.code, r.code)
  assert.match(human.stdout, /^\[[✓!]\] CPU, memory and disk: /m)
})
