// The Docker checks against the real daemon on this machine: ok, no socket access (a real user
// outside the docker group), a daemon that accepts and never answers, a closed port, and
// vm.max_map_count measured inside the daemon's kernel. Everything we create is named
// shipshape-checks-*/shipshape-test/shipshape-checks-* with a random suffix and removed afterwards.

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createHash, randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { after, test, type TestContext } from 'node:test'
import { runningContainers } from '../../lib/docker-facts.js'
import { judgePorts } from '../../checks/ports.js'
import { writeDockerContext } from '../engine-socket.js'
import { need } from '../gate.js'
import { busyboxImage } from '../images.js'
import { cleanEnv, cliPath, makeContext, needDocker, pathWithout, put, runCli, runProcess, tempDir } from '../helpers.js'

// Keep the tests' version cache out of the developer's own.
const cacheHome = mkdtempSync(join(tmpdir(), 'shipshape-checks-cache-'))
after(() => rmSync(cacheHome, { recursive: true, force: true }))

const suffix = () => randomBytes(4).toString('hex')

// A throwaway container started under load (CI runs two test files at once) can take longer than a
// check's default 3 s bound: the checks that measure inside the daemon get this one.
const MEASURE_BOUND = ['--timeout', '20000']

async function doctorJson(only: string, env: NodeJS.ProcessEnv, extra: string[] = []) {
  const r = await runCli(['doctor', '--format', 'json', '--only', only, ...extra], { env: { XDG_CACHE_HOME: cacheHome, ...env } })
  const doc = JSON.parse(r.stdout)
  // The process exits with the code the document summarises, whatever the check said.
  assert.equal(r.code, doc.summary.exitCode, r.stderr)
  return { code: r.code, check: doc.checks.find((c: { id: string }) => c.id === only), stderr: r.stderr }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)))
}

async function closedPort(): Promise<number> {
  const s = createServer()
  const port = await listen(s)
  await new Promise((r) => s.close(r))
  return port
}

test('docker-daemon: the real daemon is ok, with its version', async (t) => {
  if (!(await needDocker(t))) return
  const real = (await runProcess('docker', ['info', '--format', '{{.ServerVersion}}'])).stdout.trim()
  const { check } = await doctorJson('docker-daemon', cleanEnv())
  assert.equal(check.status, 'ok')
  assert.equal(check.version, real)
  assert.match(check.summary, new RegExp(`^Docker Engine ${real.replace(/[+.]/g, '\\$&')} on .* \\(\\d+ CPUs, [\\d.]+ GiB\\)$`))
})

test('docker-daemon: a docker context is followed to its endpoint (here the local socket)', async (t) => {
  if (!(await needDocker(t))) return
  const config = await tempDir(t)
  const name = `shipshape-checks-ctx-${suffix()}`
  await put(join(config, 'contexts/meta', createHash('sha256').update(name).digest('hex'), 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: 'unix:///var/run/docker.sock', SkipTLSVerify: false } } }))
  await put(join(config, 'config.json'), JSON.stringify({ currentContext: name }))
  const { check } = await doctorJson('docker-daemon', cleanEnv({ DOCKER_CONFIG: config }))
  assert.equal(check.status, 'ok')
  assert.ok(check.details.includes(`endpoint unix:///var/run/docker.sock (context ${name})`), check.details.join('\n'))
})

test('docker-daemon: a closed loopback port is "not running", naming the endpoint', async (t) => {
  if (!(await needDocker(t))) return
  const port = await closedPort()
  const { check } = await doctorJson('docker-daemon', cleanEnv({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }))
  assert.equal(check.status, 'fail')
  assert.equal(check.summary, `not running: nothing answers at tcp://127.0.0.1:${port}`)
})

test('docker-daemon: a missing unix socket is "not running: no socket"', async (t) => {
  if (!(await needDocker(t))) return
  const dir = await tempDir(t)
  const { check } = await doctorJson('docker-daemon', cleanEnv({ DOCKER_HOST: `unix://${dir}/docker.sock` }))
  assert.equal(check.status, 'fail')
  assert.equal(check.summary, `not running: no socket at ${dir}/docker.sock`)
})

test('docker-daemon over its socket: a stale socket, and one that accepts and never answers', async (t) => {
  if (!(await needDocker(t))) return
  const dir = await tempDir(t)
  // A server killed without cleaning up leaves its socket file behind, refusing connections.
  const stale = join(dir, 'stale.sock')
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise((r) => child.stdout!.once('data', r))
  child.kill('SIGKILL')
  await new Promise((r) => child.once('exit', r))
  const staleCheck = (await doctorJson('docker-daemon', cleanEnv({ DOCKER_HOST: `unix://${stale}` }))).check
  assert.equal(staleCheck.summary, `not running: ${stale} exists but nothing serves it (a daemon that stopped)`)

  const silent = createServer(() => {})
  const hanging = join(dir, 'hanging.sock')
  await new Promise<void>((r) => silent.listen(hanging, () => r()))
  t.after(() => silent.close())
  const { check, code } = await doctorJson('docker-daemon', cleanEnv({ DOCKER_HOST: `unix://${hanging}` }))
  assert.equal(check.status, 'timeout', check.summary)
  assert.equal(code, 1, 'docker-daemon is required: a timeout fails the run')
  assert.match(check.summary, new RegExp(`^the daemon at unix://${hanging.replace(/[.]/g, '\\.')} accepts connections but did not answer within \\d+ ms$`))
})

test('docker-daemon: a daemon that accepts and never answers is named within the bound, and docker is killed', async (t) => {
  if (!(await needDocker(t))) return
  const server = createServer(() => {})
  const port = await listen(server)
  t.after(() => server.close())
  const marker = `DOCKER_HOST=tcp://127.0.0.1:${port}`
  const running = doctorJson('docker-daemon', cleanEnv({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }))
  // While it waits, the docker child is visible (so the check below can see one if it stays).
  let seen = false
  let done = false
  void running.finally(() => (done = true))
  for (let i = 0; i < 200 && !seen && !done; i++) {
    seen = (await processesWith(marker)).length > 0
    if (!seen) await new Promise((r) => setTimeout(r, 25))
  }
  // The docker CLI alone would wait forever; runCli's generous bound fails the test if the check does.
  const { check } = await running
  assert.equal(check.status, 'timeout', check.summary)
  assert.match(check.summary, new RegExp(`^the daemon at tcp://127\\.0\\.0\\.1:${port} accepts connections but did not answer within \\d+ ms$`))
  assert.match(check.fix.manual, /DOCKER_HOST=tcp:\/\/127\.0\.0\.1:\d+ is set/)
  assert.ok(seen, 'never saw the docker child while it waited')
  assert.deepEqual(await processesWith(marker), [], 'a docker process was left behind')
})

/** Processes whose environment holds `marker` (Linux /proc; we run as root in CI). */
async function processesWith(marker: string): Promise<string[]> {
  const out: string[] = []
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)) {
    const env = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')
    if (env.split('\0').includes(marker)) {
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
      if (/(^|\/)docker\0/.test(cmd)) out.push(`${pid} ${cmd.replaceAll('\0', ' ')}`)
    }
  }
  return out
}

test('docker-daemon: a user outside the docker group gets the group fix, never chmod', async (t) => {
  if (!(await need(t, 'docker', 'root'))) return
  const user = `shipshape-checks-${suffix()}`
  await runProcess('useradd', ['-M', '-s', '/usr/sbin/nologin', user])
  t.after(() => runProcess('userdel', [user]))
  const home = await tempDir(t)
  await runProcess('chmod', ['755', home])
  const r = await runProcess('runuser', ['-u', user, '--', process.execPath, cliPath, 'doctor', '--format', 'json', '--only', 'docker-daemon'], {
    env: { PATH: process.env.PATH, HOME: home, USER: user, LANG: 'C' },
    cwd: home,
  })
  assert.ok(r.stdout, `the CLI printed nothing as ${user} (can that user run ${process.execPath}?): ${r.stderr}`)
  const check = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'docker-daemon')
  assert.equal(check.status, 'fail')
  assert.match(check.summary, /^no access to unix:\/\/\/var\/run\/docker\.sock: permission denied/)
  assert.deepEqual(check.fix.steps.map((s: { argv: string[]; sudo: boolean }) => [s.argv, s.sudo]), [[['usermod', '-aG', 'docker', user], true]])
  assert.match(check.fix.manual, /Log out and back in/)
  assert.doesNotMatch(JSON.stringify(check.fix), /chmod (666|a\+rw)/)
})

/** This test's own image from the local busybox-static (no registry here), removed after the test. */
const checksImage = (t: TestContext) => busyboxImage(t, { name: 'shipshape-checks-busybox', cmd: ['sleep', '300'] })

test('max-map-count: where the daemon is not on this host (macOS), it is measured inside the daemon with a local image', async (t) => {
  if (!(await need(t, 'docker', 'busybox'))) return
  const image = await checksImage(t)
  const root = await tempDir(t)
  await put(join(root, 'System/Library/CoreServices/SystemVersion.plist'), '<plist><dict><key>ProductVersion</key><string>14.5</string></dict></plist>')
  const { check } = await doctorJson('max-map-count', cleanEnv({ SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_MEASURE_IMAGE: image }), MEASURE_BOUND)
  // Containers share this kernel, so the value inside must be the host's.
  const host = (await readFile('/proc/sys/vm/max_map_count', 'utf8')).trim()
  assert.equal(check.version, host, `${check.summary}\n${check.details.join('\n')}`)
  assert.match(check.details.join('\n'), new RegExp(`measured inside the daemon's kernel \\(.*\\) with ${image.replace(/[./]/g, '\\$&')}`))
})

test('max-map-count: on WSL 1 the host value means nothing; it is measured inside the daemon', async (t) => {
  if (!(await need(t, 'docker', 'busybox'))) return
  const image = await checksImage(t)
  const root = await tempDir(t)
  await put(join(root, 'proc/version'), 'Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com) (gcc version 5.4.0 (GCC) ) #1237-Microsoft\n')
  await put(join(root, 'proc/sys/vm/max_map_count'), '1\n')
  const { check } = await doctorJson('max-map-count', cleanEnv({ SHIPSHAPE_HOST_ROOT: root, DOCKER_HOST: 'unix:///var/run/docker.sock', SHIPSHAPE_MEASURE_IMAGE: image }), MEASURE_BOUND)
  assert.equal(check.version, (await readFile('/proc/sys/vm/max_map_count', 'utf8')).trim(), `${check.summary}\n${check.details.join('\n')}`)
  assert.match(check.details.join('\n'), new RegExp(`with ${image.replace(/[./]/g, '\\$&')}`))
  // On Linux the same host file is the truth for a local daemon.
  await put(join(root, 'proc/version'), 'Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org)\n')
  const linux = await doctorJson('max-map-count', cleanEnv({ SHIPSHAPE_HOST_ROOT: root, DOCKER_HOST: 'unix:///var/run/docker.sock', SHIPSHAPE_MEASURE_IMAGE: image }))
  assert.equal(linux.check.version, '1')
})

test('a VM engine (colima\'s context, here at the real daemon): max-map-count and resources measure inside the engine', async (t) => {
  if (!(await need(t, 'docker', 'busybox'))) return
  const image = await checksImage(t)
  const home = await tempDir(t)
  // colima on Linux runs Docker in its own VM; its context names it, whatever the socket.
  await writeDockerContext(home, 'colima', 'unix:///var/run/docker.sock')
  const root = await tempDir(t)
  await put(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')
  await put(join(root, 'proc/sys/vm/max_map_count'), '1\n')
  const env = cleanEnv({ HOME: home, SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_MEASURE_IMAGE: image })
  const mmc = (await doctorJson('max-map-count', env, MEASURE_BOUND)).check
  // The host file says 1; the engine's kernel (here the same real one) says otherwise.
  assert.equal(mmc.version, (await readFile('/proc/sys/vm/max_map_count', 'utf8')).trim(), `${mmc.summary}\n${mmc.details.join('\n')}`)
  assert.match(mmc.details.join('\n'), /measured inside the daemon's kernel/)
  const res = (await doctorJson('resources', env, MEASURE_BOUND)).check
  assert.match(res.details.join('\n'), /GiB free under \S+ \(measured inside colima's VM\)/)
  const daemon = (await doctorJson('docker-daemon', env)).check
  assert.equal(daemon.engine, 'colima')
})

test('ports: a port published by a container is named by container; this project\'s own stack is fine', async (t) => {
  if (!(await need(t, 'docker', 'busybox'))) return
  const image = await checksImage(t)
  const [foreignPort, ownPort] = [await closedPort(), await closedPort()]
  const names = [`shipshape-checks-ports-${suffix()}`, `shipshape-checks-own-${suffix()}`]
  t.after(() => runProcess('docker', ['rm', '-f', ...names]))
  const run = (name: string, port: number, label: string) =>
    runProcess('docker', ['run', '-d', '--name', name, '--label', label, '-p', `127.0.0.1:${port}:80`, image, 'sleep', '300'])
  assert.equal((await run(names[0], foreignPort, 'com.docker.compose.project=someone-else')).code, 0)
  assert.equal((await run(names[1], ownPort, 'com.docker.compose.project=shipshape-elasticsearch')).code, 0)
  const containers = await runningContainers(makeContext())
  const wanted = [{ stack: 'x', port: foreignPort, what: 'test port' }, { stack: 'y', port: ownPort, what: 'own port' }]
  const r = judgePorts(wanted, wanted, containers, true)
  assert.equal(r.status, 'fail')
  assert.equal(r.summary, `${foreignPort} (test port) is taken by container ${names[0]}`)
  assert.match(r.details!.join('\n'), new RegExp(`${ownPort} \\(own port\\) held by this project's ${names[1]}`))
})

test('doctor on this machine: every check reports, in the documented order; a missing minikube names its installer', async (t) => {
  if (!(await needDocker(t))) return
  const home = await tempDir(t)
  // minikube is kept off PATH, so its absence is what this test sees on any machine.
  const r = await runCli(['doctor', '--format', 'json'], { env: cleanEnv({ HOME: home, PATH: await pathWithout(t, ['minikube']) }) })
  const doc = JSON.parse(r.stdout)
  const ids = ['platform', 'docker-cli', 'docker-daemon', 'docker-compose', 'docker-host', 'kubectl', 'kube-context', 'minikube', 'max-map-count', 'ports', 'resources', 'rosetta', 'registries', 'proxy', 'clock']
  assert.deepEqual(doc.checks.map((c: { id: string }) => c.id), ids)
  const byId = Object.fromEntries(doc.checks.map((c: { id: string }) => [c.id, c]))
  assert.equal(byId['docker-daemon'].status, 'ok')
  assert.equal(byId['resources'].status === 'ok' || byId['resources'].status === 'warn', true)
  assert.ok(!doc.checks.some((c: { status: string }) => c.status === 'error'), 'a check threw')
  // No stacks in use and no mirror configured: nothing to probe, so no network is touched.
  assert.match(byId.registries.summary, /^no registry to check/)
  assert.equal(byId.clock.status, 'skip')
  assert.equal(byId.minikube.summary, 'minikube is not installed')
  assert.ok(byId.minikube.fix.steps.some((s: { id: string }) => s.id === 'minikube'), JSON.stringify(byId.minikube.fix))
  assert.equal(r.code, 1, 'minikube is required, so its absence fails the run')
  assert.equal(doc.summary.exitCode, 1)
})
