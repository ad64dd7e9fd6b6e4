// docker-daemon judged from recorded `docker info` output and classified failures: what the summary
// says, and which fix each platform gets. Version floors from shipshape.yaml apply to the tool checks.

import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { test } from 'node:test'
import { daemonFix, judgeDaemon } from '../../checks/docker-daemon.js'
import { kubectl } from '../../checks/kubectl.js'
import { emptyConfig } from '../../lib/config.js'
import { dockerEndpoint, type DaemonFacts, type DockerInfo } from '../../lib/docker-facts.js'
import type { Platform } from '../../lib/types.js'
import { need } from '../gate.js'
import { debian12, fixture, makeContext, put, tempDir } from '../helpers.js'

const macos: Platform = { kind: 'macos', arch: 'arm64', wsl: null, distro: null, macos: { version: '14.5' }, evidence: [] }
const wsl2: Platform = { ...debian12, kind: 'wsl', wsl: 2 }

test('a daemon reached over tcp on another machine works, but is named as remote', async () => {
  const info = JSON.parse(await fixture('docker-info.engine-20.10.json')) as DockerInfo
  const local = judgeDaemon({ ok: true, info, endpoint: 'unix:///var/run/docker.sock' })
  assert.equal(local.status, 'ok')
  assert.match(local.summary, /^Docker Engine 20\.10\.24\+dfsg1 on Debian GNU\/Linux 12 \(bookworm\) \(\d+ CPUs, [\d.]+ GiB\)$/)
  const remote = judgeDaemon({ ok: true, info, endpoint: 'tcp://10.1.2.3:2376' })
  assert.equal(remote.status, 'warn')
  assert.match(remote.summary, /^remote daemon at tcp:\/\/10\.1\.2\.3:2376: .*bind mounts and published ports are on that machine/)
})

test('a daemon that is not running gets the start command for its platform', () => {
  const down: DaemonFacts = { ok: false, problem: 'not-running', endpoint: 'unix:///var/run/docker.sock', message: 'Cannot connect' }
  const argv = (platform: Platform) => daemonFix(makeContext({ platform, env: { PATH: '', HOME: '/h' } }), down)
  assert.deepEqual(argv(debian12)!.steps.map((s) => [s.argv, s.sudo]), [[['systemctl', 'enable', '--now', 'docker.service', 'containerd.service'], true]])
  assert.deepEqual(argv(macos)!.steps.map((s) => s.argv), [['open', '-a', 'Docker']])
  assert.match(argv(wsl2)!.manual!, /WSL integration/)
  // With DOCKER_HOST set, starting the local daemon is not the answer: the variable is.
  const viaHost = daemonFix(makeContext({ env: { PATH: '', HOME: '/h', DOCKER_HOST: 'tcp://127.0.0.1:2375' } }), down)
  assert.deepEqual(viaHost!.steps, [])
  assert.match(viaHost!.manual!, /DOCKER_HOST=tcp:\/\/127\.0\.0\.1:2375 is set/)
})

test('a stale unix socket is told apart from a missing one', () => {
  const base = { ok: false as const, problem: 'not-running' as const, endpoint: 'unix:///var/run/docker.sock', message: 'Cannot connect' }
  assert.equal(judgeDaemon({ ...base, socketExists: true }).summary, 'not running: /var/run/docker.sock exists but nothing serves it (a daemon that stopped)')
  assert.equal(judgeDaemon({ ...base, socketExists: false }).summary, 'not running: no socket at /var/run/docker.sock')
})

test('no access: the group fix names the login, with a new login, never chmod', () => {
  const denied: DaemonFacts = { ok: false, problem: 'no-access', endpoint: 'unix:///var/run/docker.sock', message: 'permission denied' }
  const fix = daemonFix(makeContext({ env: { PATH: '', HOME: '/h', USER: 'alice' } }), denied)!
  assert.deepEqual(fix.steps.map((s) => [s.argv, s.sudo]), [[['usermod', '-aG', 'docker', 'alice'], true]])
  assert.match(fix.manual!, /Log out and back in/)
  assert.equal(judgeDaemon(denied).summary, 'no access to unix:///var/run/docker.sock: permission denied (this user is not in the docker group)')
})

test('a raised kubectl floor in shipshape.yaml fails an older kubectl', async (t) => {
  if (!(await need(t, 'kubectl'))) return
  const config = emptyConfig()
  config.data.versions.kubectl = '>=1.99'
  const home = await tempDir(t)
  const r = await kubectl.run(makeContext({ config, home, env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: home } }))
  assert.equal(r.status, 'fail')
  assert.match(r.summary, /^kubectl v1\.\d+\.\d+\S* is older than >=1\.99$/)
})

test('the endpoint is resolved as docker does: DOCKER_HOST, then DOCKER_CONTEXT, then the config\'s current context', async (t) => {
  const config = await tempDir(t)
  const meta = (name: string, host: string) =>
    put(join(config, 'contexts/meta', createHash('sha256').update(name).digest('hex'), 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }))
  await meta('desktop-linux', 'unix:///home/me/.docker/desktop/docker.sock')
  await meta('build-box', 'ssh://me@build.example')
  await put(join(config, 'config.json'), JSON.stringify({ currentContext: 'desktop-linux' }))
  const at = (env: Record<string, string>) => dockerEndpoint(makeContext({ env: { PATH: '', HOME: config, DOCKER_CONFIG: config, ...env } }))
  assert.deepEqual(await at({}), { host: 'unix:///home/me/.docker/desktop/docker.sock', context: 'desktop-linux' })
  assert.deepEqual(await at({ DOCKER_CONTEXT: 'build-box' }), { host: 'ssh://me@build.example', context: 'build-box' })
  assert.deepEqual(await at({ DOCKER_CONTEXT: 'build-box', DOCKER_HOST: 'tcp://127.0.0.1:2375' }), { host: 'tcp://127.0.0.1:2375', context: null })
  assert.deepEqual(await at({ DOCKER_CONTEXT: 'default' }), { host: 'unix:///var/run/docker.sock', context: null })
  // A context on another machine makes the daemon remote.
  const info = JSON.parse(await fixture('docker-info.engine-20.10.json')) as DockerInfo
  assert.equal(judgeDaemon({ ok: true, info, endpoint: 'ssh://me@build.example (context build-box)' }).status, 'warn')
})
