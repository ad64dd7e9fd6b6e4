// Every Docker engine a developer uses, served from its recorded /_ping, /version and /info on a
// unix socket in a temporary HOME, reached through the docker context its installer writes (or
// DOCKER_HOST where the engine sets none). Each is named in the summary and the JSON, a stopped one
// (a context pointing at a missing socket) gets its own start command, and no engine without a
// docker group is told to join it. The real docker CLI answers the client's API version.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { apiMismatch, daemonFix, dockerDaemon, judgeDaemon } from '../../checks/docker-daemon.js'
import { resources } from '../../checks/resources.js'
import { daemonFacts, MAX_ANSWER_BYTES, type DockerInfo } from '../../lib/docker-facts.js'
import { detectEngine, engineFromEndpoint, type Engine } from '../../lib/docker-engine.js'
import type { Context, Fix, Platform } from '../../lib/types.js'
import { engineRecording, serveEngine, serveOnSocket, writeDockerContext } from '../engine-socket.js'
import { cleanEnv, debian12, makeContext, runCli, tempDir } from '../helpers.js'

const macos: Platform = { kind: 'macos', arch: 'arm64', wsl: null, distro: null, macos: { version: '14.5' }, evidence: [] }

/** Where each installer puts its socket under HOME, and the context it writes (null: DOCKER_HOST). */
const PLACES: Record<Exclude<Engine, 'docker-engine'>, { socket: string; context: string | null; platform: Platform }> = {
  colima: { socket: '.colima/default/docker.sock', context: 'colima', platform: macos },
  orbstack: { socket: '.orbstack/run/docker.sock', context: 'orbstack', platform: macos },
  'rancher-desktop': { socket: '.rd/docker.sock', context: 'rancher-desktop', platform: macos },
  'docker-desktop': { socket: '.docker/run/docker.sock', context: 'desktop-linux', platform: macos },
  'docker-engine-rootless': { socket: 'run/docker.sock', context: 'rootless', platform: debian12 },
  podman: { socket: 'run/podman/podman.sock', context: null, platform: debian12 },
}

async function dockerOnPath(t: TestContext): Promise<boolean> {
  if (await makeContext().which('docker')) return true
  if (process.env.CI) assert.fail('the docker CLI is not installed; CI must provide it')
  t.skip('the docker CLI is not installed')
  return false
}

async function engineContext(t: TestContext, engine: keyof typeof PLACES, opts: { serve?: boolean } = {}): Promise<{ ctx: Context; socket: string }> {
  const home = await tempDir(t, 'shipshape-engine-')
  const place = PLACES[engine]
  const socket = join(home, place.socket)
  if (opts.serve !== false) await serveEngine(t, socket, await engineRecording(engine))
  const env: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), USER: 'alice' }
  if (place.context) await writeDockerContext(home, place.context, `unix://${socket}`)
  else env.DOCKER_HOST = `unix://${socket}`
  return { ctx: makeContext({ env, home, platform: place.platform, boundMs: 3000 }), socket }
}

const argvs = (fix: Fix | null) => (fix?.steps ?? []).map((s) => s.argv.join(' '))

for (const [engine, name, summary] of [
  ['colima', 'colima', /^Docker Engine 20\.10\.24\+dfsg1 in colima on Ubuntu 24\.04\.1 LTS \(2 CPUs, 1\.9 GiB\)$/],
  ['orbstack', 'OrbStack', /^Docker Engine 20\.10\.24\+dfsg1 in OrbStack on Alpine Linux edge \(containerized\)/],
  ['rancher-desktop', 'Rancher Desktop', /^Docker Engine 20\.10\.24\+dfsg1 in Rancher Desktop on Alpine Linux v3\.20/],
  ['docker-desktop', 'Docker Desktop', /^Docker Engine 20\.10\.24\+dfsg1 in Docker Desktop on Docker Desktop/],
  ['docker-engine-rootless', 'rootless Docker Engine', /^rootless Docker Engine 20\.10\.24\+dfsg1 on Debian GNU\/Linux 12/],
  ['podman', 'Podman', /^Podman 4\.9\.4 on fedora \(4 CPUs, 15\.3 GiB\)$/],
] as const) {
  test(`${name} is named from its context or socket and its answers`, async (t) => {
    if (!(await dockerOnPath(t))) return
    const { ctx } = await engineContext(t, engine)
    const r = await dockerDaemon.run(ctx)
    assert.equal(r.status, 'ok', r.summary)
    assert.equal(r.engine, engine)
    assert.match(r.summary, summary)
  })

  test(`${name} stopped (its socket missing) gets its own start command, never the docker group`, async (t) => {
    if (!(await dockerOnPath(t))) return
    const { ctx, socket } = await engineContext(t, engine, { serve: false })
    const facts = await daemonFacts(ctx)
    const r = judgeDaemon(facts)
    assert.equal(r.status, 'fail')
    assert.equal(r.engine, engine)
    assert.equal(r.summary, `${name} is not running: no socket at ${socket}`)
    const fix = daemonFix(ctx, facts)
    const wanted: Record<keyof typeof PLACES, RegExp> = {
      colima: /^\/opt\/homebrew\/bin\/colima start$/,
      orbstack: /^orb start$/,
      'rancher-desktop': /\/\.rd\/bin\/rdctl start$/,
      'docker-desktop': /^open -a Docker$/,
      'docker-engine-rootless': /^systemctl --user start docker$/,
      podman: /^systemctl --user enable --now podman\.socket$/,
    }
    assert.equal(argvs(fix).length, 1, JSON.stringify(fix))
    assert.match(argvs(fix)[0], wanted[engine])
    assert.ok(fix!.steps.every((s) => !s.sudo), 'a start command of a per-user engine needs no root')
    assert.doesNotMatch(JSON.stringify(argvs(fix)), /usermod|docker\.service/)
    // No access to such a socket is never "join the docker group" either.
    const denied = daemonFix(ctx, { ...facts, ok: false, problem: 'no-access', message: 'permission denied' } as typeof facts)
    assert.deepEqual(denied!.steps, [])
    assert.doesNotMatch(denied!.manual!, /usermod/)
  })
}

test('rootless Docker: its fix names its own DOCKER_HOST', async (t) => {
  if (!(await dockerOnPath(t))) return
  const { ctx, socket } = await engineContext(t, 'docker-engine-rootless', { serve: false })
  const fix = daemonFix(ctx, await daemonFacts(ctx))
  assert.match(fix!.manual!, new RegExp(`DOCKER_HOST=unix://${socket.replace(/[.]/g, '\\.')}`))
  assert.match(fix!.manual!, /the docker group does not apply/)
})

test('macOS has no docker group: no access to an unknown engine\'s socket is never "join the docker group"', () => {
  const fix = daemonFix(makeContext({ platform: macos, env: { PATH: '', HOME: '/h', USER: 'alice' } }), { ok: false, problem: 'no-access', endpoint: 'unix:///var/run/docker.sock', host: 'unix:///var/run/docker.sock', message: 'permission denied', engine: null })
  assert.deepEqual(fix!.steps, [])
  assert.match(fix!.manual!, /belongs to another user/)
})

test('Podman on macOS starts its machine', async (t) => {
  if (!(await dockerOnPath(t))) return
  const { ctx } = await engineContext(t, 'podman', { serve: false })
  const fix = daemonFix({ ...ctx, platform: macos }, await daemonFacts(ctx))
  assert.deepEqual(argvs(fix), ['podman machine start'])
})

test('a colima profile other than default is started by name', async (t) => {
  if (!(await dockerOnPath(t))) return
  const home = await tempDir(t)
  await writeDockerContext(home, 'colima-work', `unix://${home}/.colima/work/docker.sock`)
  const ctx = makeContext({ env: { PATH: process.env.PATH, HOME: home }, home, platform: macos })
  assert.deepEqual(argvs(daemonFix(ctx, await daemonFacts(ctx))), ['/opt/homebrew/bin/colima start --profile work'])
  // colima on Linux: the stopped context gets `colima start`, not the system's Docker service.
  const linux = makeContext({ env: { PATH: process.env.PATH, HOME: home }, home, platform: debian12 })
  assert.deepEqual(argvs(daemonFix(linux, await daemonFacts(linux))), ['colima start --profile work'])
})

test('the real Docker Engine (recorded) is named docker-engine, its summary unchanged', async (t) => {
  if (!(await dockerOnPath(t))) return
  const home = await tempDir(t)
  const socket = await serveEngine(t, join(home, 'docker.sock'), await engineRecording('docker-engine'))
  const ctx = makeContext({ env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: home, DOCKER_HOST: `unix://${socket}` }, home, boundMs: 3000 })
  const r = await dockerDaemon.run(ctx)
  assert.equal(r.engine, 'docker-engine')
  assert.match(r.summary, /^Docker Engine 20\.10\.24\+dfsg1 on Debian GNU\/Linux 12 \(bookworm\)/)
})

test('doctor --format json carries the engine of docker-daemon', async (t) => {
  if (!(await dockerOnPath(t))) return
  const home = await tempDir(t, 'shipshape-engine-')
  const socket = join(home, '.colima/default/docker.sock')
  await serveEngine(t, socket, await engineRecording('colima'))
  await writeDockerContext(home, 'colima', `unix://${socket}`)
  const r = await runCli(['doctor', '--format', 'json', '--only', 'docker-daemon'], { env: cleanEnv({ HOME: home, XDG_CACHE_HOME: join(home, '.cache') }) })
  const check = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'docker-daemon')
  assert.equal(check.engine, 'colima')
  assert.equal(check.status, 'ok', check.summary)
  // Stopped: the same context, no socket, colima's own start command.
  const stopped = join(home, 'stopped')
  await writeDockerContext(stopped, 'colima', `unix://${stopped}/.colima/default/docker.sock`)
  // As an ordinary user (SHIPSHAPE_UID): as root, colima start is not planned (it refuses root).
  const down = await runCli(['doctor', '--format', 'json', '--only', 'docker-daemon'], { env: cleanEnv({ HOME: stopped, XDG_CACHE_HOME: join(home, '.cache'), SHIPSHAPE_UID: '1000' }) })
  const downCheck = JSON.parse(down.stdout).checks.find((c: { id: string }) => c.id === 'docker-daemon')
  assert.equal(downCheck.engine, 'colima')
  assert.match(downCheck.fix.steps[0].argv.join(' '), /colima start$/)
})

test('API versions: a client older than the daemon accepts, or a daemon too old for Compose v2, warns with the upgrade', () => {
  // Docker Engine 29 accepts API 1.44 and newer; a Docker 24 client speaks 1.43.
  assert.match(apiMismatch('1.52', '1.44', '1.43', 'docker-engine')!.text, /the docker client speaks API 1\.43, older than the 1\.44 Docker Engine accepts: upgrade the docker CLI/)
  assert.match(apiMismatch('1.39', '1.12', '1.50', 'docker-engine')!.text, /Docker Engine speaks API 1\.39, older than Compose v2 needs \(1\.40/)
  assert.equal(apiMismatch('1.41', '1.12', '1.50', 'docker-engine'), null)
  assert.equal(apiMismatch('1.41', '1.24', null, 'podman'), null)
})

test('a client too old for the engine warns through the check, with the upgrade for that engine', async () => {
  const rec = await engineRecording('docker-engine')
  const info = rec.info as unknown as DockerInfo
  const facts = { ok: true as const, info, endpoint: 'unix:///var/run/docker.sock', engine: 'docker-engine' as const, version: { ApiVersion: '1.52', MinAPIVersion: '1.44' } }
  const r = judgeDaemon(facts, '1.43')
  assert.equal(r.status, 'warn')
  assert.match(r.summary, /upgrade the docker CLI$/)
  const fix = daemonFix(makeContext(), facts, '1.43')
  assert.match(fix!.manual!, /^Upgrade the docker CLI: .*docker-ce-cli/)
  // A remote daemon whose API fits gets no upgrade advice.
  assert.equal(daemonFix(makeContext(), { ...facts, version: { ApiVersion: '1.41', MinAPIVersion: '1.12' } }, '1.50'), null)
  // An engine too old for Compose v2: that engine's own upgrade.
  assert.match(daemonFix(makeContext(), { ...facts, engine: 'colima', version: { ApiVersion: '1.39', MinAPIVersion: '1.12' } }, '1.50')!.manual!, /^Upgrade the engine: brew upgrade colima/)
})

test('an endpoint that streams without end is cut off at 4 MiB and named, not read into memory', async (t) => {
  if (!(await dockerOnPath(t))) return
  const dir = await tempDir(t)
  const chunk = Buffer.alloc(64 * 1024, 'x')
  let sent = 0
  const socket = await serveOnSocket(t, join(dir, 'endless.sock'), (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    // Writes as fast as the reader takes, without end, until the reader hangs up.
    const pump = () => {
      while (!res.destroyed) {
        const more = res.write(chunk)
        sent += chunk.length
        if (!more) break
      }
      if (!res.destroyed) res.once('drain', pump)
    }
    res.on('close', () => res.removeAllListeners('drain'))
    pump()
  })
  const ctx = makeContext({ env: { PATH: process.env.PATH, HOME: dir, DOCKER_HOST: `unix://${socket}` }, home: dir, boundMs: 60_000 })
  const facts = await daemonFacts(ctx)
  assert.equal(facts.ok, false)
  assert.equal(!facts.ok && facts.problem, 'too-large')
  assert.match(!facts.ok ? facts.message : '', /answer too large: GET \/info .* more than 4 MiB/)
  assert.equal(judgeDaemon(facts).status, 'fail')
  assert.ok(sent >= MAX_ANSWER_BYTES, `the server sent only ${sent} bytes`)
})

test('an endpoint that trickles without end is bounded in time', async (t) => {
  if (!(await dockerOnPath(t))) return
  const dir = await tempDir(t)
  const socket = await serveOnSocket(t, join(dir, 'slow.sock'), (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' })
    const timer = setInterval(() => res.write(' '), 50)
    res.on('close', () => clearInterval(timer))
  })
  const ctx = makeContext({ env: { PATH: process.env.PATH, HOME: dir, DOCKER_HOST: `unix://${socket}` }, home: dir, boundMs: 1000 })
  const facts = await daemonFacts(ctx)
  assert.equal(!facts.ok && facts.problem, 'not-answering')
  assert.equal(judgeDaemon(facts).status, 'timeout')
})

test('resources on a VM engine: the fix grows that engine\'s VM with its own tool', async (t) => {
  if (!(await dockerOnPath(t))) return
  const { ctx } = await engineContext(t, 'colima')
  const fix = await resources.fix(ctx)
  assert.match(fix.manual!, /^Give colima's VM more: colima stop, then colima start --cpu 4 --memory 8/)
})

test('sockets and contexts as each installer leaves them name the engine even when it is down', () => {
  const cases: [string | null, string | null, Engine | null][] = [
    ['unix:///Users/me/.colima/default/docker.sock', null, 'colima'],
    ['unix:///Users/me/.colima/docker.sock', null, 'colima'], // colima before 0.4
    ['unix:///Users/me/.config/colima/default/docker.sock', null, 'colima'],
    ['unix:///Users/me/.orbstack/run/docker.sock', null, 'orbstack'],
    ['unix:///Users/me/.rd/docker.sock', null, 'rancher-desktop'],
    ['unix:///Users/me/Library/Application Support/rancher-desktop/lima/0/sock/docker', null, 'rancher-desktop'],
    ['unix:///Users/me/.docker/run/docker.sock', null, 'docker-desktop'],
    ['unix:///home/me/.docker/desktop/docker.sock', null, 'docker-desktop'],
    ['unix:///run/user/1000/podman/podman.sock', null, 'podman'],
    ['unix:///run/podman/podman.sock', null, 'podman'],
    ['unix:///Users/me/.local/share/containers/podman/machine/qemu/podman.sock', null, 'podman'],
    ['unix:///var/folders/x/T/podman/podman-machine-default-api.sock', null, 'podman'],
    ['unix:///run/user/1000/docker.sock', null, 'docker-engine-rootless'],
    ['unix:///var/run/docker.sock', 'colima-work', 'colima'],
    ['unix:///var/run/docker.sock', null, null],
    ['tcp://10.0.0.5:2376', null, null],
  ]
  for (const [host, context, engine] of cases) assert.equal(engineFromEndpoint(host, context), engine, `${host} ${context}`)
  // Rootless Podman says name=rootless too: its /version decides first.
  assert.equal(detectEngine({ host: null, context: null, version: { Components: [{ Name: 'Podman Engine' }] }, info: { SecurityOptions: ['name=rootless'] } }), 'podman')
  assert.equal(detectEngine({ host: null, context: null, version: { Components: [{ Name: 'Engine' }] }, info: { SecurityOptions: ['name=seccomp,profile=builtin', 'name=rootless'] } }), 'docker-engine-rootless')
})
