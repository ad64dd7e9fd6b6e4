// The network checks against loopback parts only: registries with a CA made in the test (trusted
// through certs.d under a fixture host root, or not), a Date header minutes off, proxies that
// refuse, tunnel or want authentication, a port that never starts TLS, and name resolution failures
// through the context's injected resolver. Nothing leaves the machine.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { clock, judgeSkew } from '../../checks/clock.js'
import { judgeProxy, missingNoProxy, proxy } from '../../checks/proxy.js'
import { registries } from '../../checks/registries.js'
import { emptyConfig, parseConfig } from '../../lib/config.js'
import { bypassed, NO_PROXY_SET } from '../../lib/network/proxy-settings.js'
import { maskCredentials, registryOf, registryTargets } from '../../lib/network/targets.js'
import { runChecks } from '../../lib/runner.js'
import { jobSpec } from '../../lib/schedule/spec.js'
import type { Context, Env, Outcome, Platform } from '../../lib/types.js'
import { refusingPort } from '../loopback.js'
import { makeCa, silentPort, startProxy, startRegistry } from '../tls.js'
import { fakeExecutable, makeContext, put, tempDir } from '../helpers.js'

const wsl2: Platform = { kind: 'wsl', arch: 'x64', wsl: 2, distro: { id: 'ubuntu', version: '24.04', codename: 'noble' }, macos: null, evidence: [] }

/** A context on a fixture host root, with no docker on PATH (so the environment's proxy counts), checking these registries. */
async function netContext(t: TestContext, registriesList: string[], over: { env?: Env; stacks?: Record<string, Record<string, unknown>>; root?: string } & Partial<Context> = {}) {
  const root = over.root ?? (await tempDir(t))
  const config = emptyConfig()
  config.data.network = { registries: registriesList }
  Object.assign(config.data.stacks, over.stacks ?? {})
  const noDns = async (host: string): Promise<string[]> => {
    throw Object.assign(new Error(`test resolver: ${host} must not be looked up`), { code: 'ENOTFOUND' })
  }
  return makeContext({ hostRoot: root, config, resolve: noDns, boundMs: 3_000, ...over, env: { PATH: '', HOME: root, ...over.env } })
}

const trustIn = (root: string, dir: string, pem: string) => put(join(root, 'etc/docker/certs.d', dir, 'ca.crt'), pem)

test('registries: an untrusted certificate fails with the CA fix for each program; trusted through certs.d it is reachable', async (t) => {
  const ca = await makeCa(t)
  if (!ca) return
  const reg = await startRegistry(t, ca)
  const name = `127.0.0.1:${reg.port}`
  const ctx = await netContext(t, [name])
  const bad = await registries.run(ctx)
  assert.equal(bad.status, 'fail')
  assert.match(bad.summary, new RegExp(`^${name}: certificate signed by unknown authority \\(.+\\) \\(presented: registry.test, issued by shipshape test CA, shipshape test\\)$`))
  assert.equal(bad.required, false, 'a mirror no stack in use needs is optional')
  const fix = bad.fix!.manual!
  assert.match(fix, /issued it \(shipshape test CA, shipshape test\)/)
  assert.match(fix, /update-ca-certificates/)
  assert.match(fix, new RegExp(`/etc/docker/certs\\.d/${name}/ca\\.crt`))
  assert.match(fix, /~\/\.minikube\/certs/)
  assert.match(fix, /NODE_EXTRA_CA_CERTS=/)

  await trustIn(ctx.hostRoot, name, ca.caPem)
  const good = await registries.run(await netContext(t, [name], { root: ctx.hostRoot }))
  assert.equal(good.status, 'ok', good.summary)
  assert.equal(good.summary, `reachable: ${name} (401)`)
  assert.match(good.details!.join('\n'), new RegExp(`etc/docker/certs\\.d/${name}/ca\\.crt`))
})

test('registries: a stack in use that pulls from an unreachable registry makes the failure required', async (t) => {
  const port = await refusingPort()
  const ctx = await netContext(t, [], { stacks: { mongodb: { image: `127.0.0.1:${port}/team/mongo:8` } } })
  const r = await registries.run(ctx)
  assert.deepEqual([r.status, r.required], ['fail', true])
  assert.equal(r.summary, `127.0.0.1:${port}: refused the connection`)
  assert.match(r.details!.join('\n'), new RegExp(`for stack mongodb \\(127\\.0\\.0\\.1:${port}/team/mongo:8\\)`))
})

test('registries and clock: a registry ten minutes ahead is measured from the same single request', async (t) => {
  const ca = await makeCa(t)
  if (!ca) return
  const reg = await startRegistry(t, ca, 10 * 60_000)
  const name = `127.0.0.1:${reg.port}`
  const ctx = await netContext(t, [name])
  await trustIn(ctx.hostRoot, name, ca.caPem)
  const [reach, skew] = await Promise.all([registries.run(ctx), clock.run(ctx)])
  assert.equal(reach.status, 'ok')
  assert.equal(skew.status, 'fail')
  assert.match(skew.summary, new RegExp(`^this machine's clock is (9 min 59|10 min [01]) s behind ${name}'s: TLS and apt fail`))
  assert.equal(reg.requests, 1, 'the clock reads the registries check\'s answer, it does not ask again')
  const fix = (await clock.fix(makeContext({ platform: wsl2 })))
  assert.deepEqual(fix.steps.map((s) => [s.argv.join(' '), s.sudo]), [['hwclock -s', true]])
  assert.match(fix.manual!, /wsl --shutdown/)
  assert.deepEqual((await clock.fix(makeContext())).steps.map((s) => s.argv.join(' ')), ['timedatectl set-ntp true'])
})

test('clock: over 60 s warns, over 5 minutes fails, a second is measurement', () => {
  assert.equal(judgeSkew(1, 'r', false).status, 'ok')
  assert.equal(judgeSkew(-90, 'r', false).status, 'warn')
  assert.match(judgeSkew(-90, 'r', false).summary, /1 min 30 s ahead of r's/)
  const far = judgeSkew(301, 'r', true)
  assert.deepEqual([far.status, far.required], ['fail', true])
})

test('clock: with no registry that answered there is nothing to compare, and it says so', async (t) => {
  const ctx = await netContext(t, [`127.0.0.1:${await refusingPort()}`])
  const r = await clock.run(ctx)
  assert.deepEqual([r.status, r.summary], ['skip', 'no registry answered with a Date header, so the skew cannot be measured'])
})

test('registries: a refusing proxy, a proxy that wants authentication, and a tunnel that works are named as such', async (t) => {
  const ca = await makeCa(t)
  if (!ca) return
  const reg = await startRegistry(t, ca)
  const refusing = await refusingPort()
  // registry.test never resolves here: through a proxy the proxy resolves it, so the test resolver is never asked.
  const viaRefusing = await registries.run(await netContext(t, ['registry.test'], { env: { HTTPS_PROXY: `http://alice:hunter2@127.0.0.1:${refusing}` } }))
  assert.equal(viaRefusing.status, 'fail')
  assert.match(viaRefusing.summary, new RegExp(`^registry\\.test: the proxy 127\\.0\\.0\\.1:${refusing} does not accept connections \\(ECONNREFUSED\\)$`))
  assert.ok(!JSON.stringify(viaRefusing).includes('hunter2'), 'the proxy password is never printed')
  assert.match(viaRefusing.details!.join('\n'), /via http:\/\/alice:\*\*\*@127\.0\.0\.1/)

  const auth = await startProxy(t, 'auth')
  const via407 = await registries.run(await netContext(t, ['registry.test'], { env: { https_proxy: `127.0.0.1:${auth.port}` } }))
  assert.match(via407.summary, new RegExp(`the proxy 127\\.0\\.0\\.1:${auth.port} wants authentication \\(407\\)`))
  assert.match(via407.fix!.manual!, /http:\/\/USER:PASSWORD@proxy:port/)

  const tunnel = await startProxy(t, { tunnelTo: reg.port })
  const ctx = await netContext(t, ['registry.test'], { env: { HTTPS_PROXY: `http://127.0.0.1:${tunnel.port}` } })
  await trustIn(ctx.hostRoot, 'registry.test', ca.caPem)
  const ok = await registries.run(ctx)
  assert.equal(ok.status, 'ok', ok.summary)
  assert.deepEqual(tunnel.asked, ['registry.test:443'])
  // NO_PROXY is honoured as the daemon honours it: a direct attempt, which our resolver refuses.
  const bypass = await registries.run(await netContext(t, ['registry.test'], { env: { HTTPS_PROXY: `http://127.0.0.1:${tunnel.port}`, NO_PROXY: '.test' } }))
  assert.match(bypass.summary, /^registry\.test: cannot resolve registry\.test \(ENOTFOUND\)$/)
})

test('registries: a name that does not resolve is named, with the resolv.conf and VPN hint on WSL', async (t) => {
  const root = await tempDir(t)
  await put(join(root, 'etc/resolv.conf'), '# generated by WSL\nnameserver 172.29.0.1\n')
  const r = await registries.run(await netContext(t, ['mirror.corp.example:5000'], { root, platform: wsl2 }))
  assert.equal(r.summary, 'mirror.corp.example:5000: cannot resolve mirror.corp.example (ENOTFOUND)')
  assert.match(r.fix!.manual!, /On WSL a VPN often breaks DNS: \/etc\/resolv\.conf names 172\.29\.0\.1/)
  assert.match(r.fix!.manual!, /generateResolvConf = false/)
})

test('registries: a port that accepts and never starts TLS is named within the bound, before the runner cuts it off', async (t) => {
  const port = await silentPort(t)
  const ctx = await netContext(t, [`127.0.0.1:${port}`])
  const [finding] = await runChecks([registries], ctx, { timeoutMs: 1_000 })
  assert.equal(finding.status, 'fail', `the check names the hang itself rather than timing out: ${finding.summary}`)
  assert.match(finding.summary, /accepted the connection but never completed the TLS handshake within \d+ ms/)
})

test('registries: nothing to check without stacks or mirrors; offline skips all three network checks', async (t) => {
  const none = await registries.run(await netContext(t, []))
  assert.deepEqual([none.status, none.summary], ['skip', 'no registry to check: no stacks in use and no network.registries in shipshape.yaml'])
  const offline = await netContext(t, ['127.0.0.1:1'], { offline: true })
  const skipped = await runChecks([registries, proxy, clock], offline)
  assert.deepEqual(skipped.map((f) => [f.id, f.status]), [['registries', 'skip'], ['proxy', 'skip'], ['clock', 'skip']])
  for (const f of skipped) assert.match(f.summary, /^offline \(--offline or network\.offline/, f.id)
  const fromFile = await parseConfig('network:\n  offline: true\n  registries: [mirror.example:5000]\n', 'shipshape.yaml')
  assert.deepEqual(fromFile.data.network, { offline: true, registries: ['mirror.example:5000'] })
  assert.ok(jobSpec({ every: '1h', env: {}, home: '/h', offline: true }).argv.includes('--offline'), 'a scheduled run stays offline')
})

test('registries from the stacks in use: Docker Hub for short names, the first component with a dot or port otherwise', async (t) => {
  assert.equal(registryOf('mongo:8.0'), 'docker.io')
  assert.equal(registryOf('ealen/echo-server:0.9.2'), 'docker.io')
  assert.equal(registryOf('docker.elastic.co/kibana/kibana:8.19.10'), 'docker.elastic.co')
  assert.equal(registryOf('localhost:5000/x'), 'localhost:5000')
  const ctx = await netContext(t, ['https://bob:s3cret@mirror.example:5000', 'ftp://nope'], { stacks: { elasticsearch: {}, echo: {} } })
  const { targets, invalid } = await registryTargets(ctx)
  assert.deepEqual(targets.map((x) => [x.name, x.host, x.port, x.fromStack]), [
    ['docker.elastic.co', 'docker.elastic.co', 443, true],
    ['docker.io', 'registry-1.docker.io', 443, true],
    ['mirror.example:5000', 'mirror.example', 5000, false],
  ])
  assert.deepEqual(invalid, ['ftp://nope'])
  assert.equal(maskCredentials('https://bob:s3cret@mirror.example:5000/v2'), 'https://bob:***@mirror.example:5000/v2')
  assert.equal(maskCredentials('http://token@proxy:3128'), 'http://***@proxy:3128')
})

test('NO_PROXY follows the daemon\'s rules: loopback never proxied, suffixes, CIDRs, ports', () => {
  assert.equal(bypassed('127.0.0.1', 5000, null), true)
  assert.equal(bypassed('registry.corp.example', 443, 'corp.example'), true)
  assert.equal(bypassed('corp.example', 443, '.corp.example'), false)
  assert.equal(bypassed('10.1.2.3', 443, '10.0.0.0/8'), true)
  assert.equal(bypassed('mirror.example', 443, 'mirror.example:5000'), false)
  assert.equal(bypassed('docker.elastic.co', 443, 'example.com'), false)
  assert.deepEqual(missingNoProxy('localhost,127.0.0.1', true), ['192.168.49.0/24'])
  assert.deepEqual(missingNoProxy('localhost,127.0.0.0/8,192.168.49.0/24', true), [])
})

test('proxy: a refusing proxy fails (masked), the shell\'s proxy the daemon lacks warns with the drop-in, NO_PROXY gaps are named', async (t) => {
  const refusing = await refusingPort()
  const dead = await proxy.run(await netContext(t, [], { env: { HTTPS_PROXY: `http://alice:hunter2@127.0.0.1:${refusing}` } }))
  assert.equal(dead.status, 'fail')
  assert.match(dead.summary, new RegExp(`the proxy http://alice:\\*\\*\\*@127\\.0\\.0\\.1:${refusing} \\(shell HTTPS_PROXY\\) does not accept connections \\(ECONNREFUSED\\)`))
  assert.ok(!JSON.stringify(dead).includes('hunter2'))

  const listening = await silentPort(t)
  const dir = await tempDir(t)
  await fakeExecutable(dir, 'minikube', 'exit 0')
  const gaps = await proxy.run(await netContext(t, [], { env: { PATH: dir, HTTPS_PROXY: `http://127.0.0.1:${listening}`, NO_PROXY: 'example.com' } }))
  assert.equal(gaps.status, 'warn')
  assert.match(gaps.summary, /NO_PROXY of the shell lacks localhost, 127\.0\.0\.1, 192\.168\.49\.0\/24/)
  assert.match(gaps.details!.join('\n'), /daemon \(docker info\): unknown: the Docker daemon does not answer/)

  const shellOnly: Outcome = judgeProxy({
    shell: { http: null, https: 'http://proxy.corp:3128', noProxy: 'localhost,127.0.0.1' },
    daemon: { answered: true, desktop: false, set: NO_PROXY_SET },
    config: null, minikube: false, refused: [], needed: false, platform: 'linux',
  })
  assert.equal(shellOnly.summary, "the shell has a proxy, the Docker daemon none: pulls ignore the shell's proxy")
  const fix = (await proxy.fix(makeContext(), { summary: shellOnly.summary } as never))!
  assert.match(fix.manual!, /\/etc\/systemd\/system\/docker\.service\.d\/http-proxy\.conf/)
  assert.match(fix.manual!, /systemctl restart docker/)
})

test('registries: a name in the host root\'s /etc/hosts resolves without asking DNS, as the daemon\'s resolver does', async (t) => {
  const ca = await makeCa(t)
  if (!ca) return
  const reg = await startRegistry(t, ca)
  const root = await tempDir(t)
  await put(join(root, 'etc/hosts'), '127.0.0.1 localhost\n# the team mirror\n127.0.0.1   registry.test   mirror\n')
  await trustIn(root, `registry.test:${reg.port}`, ca.caPem)
  const r = await registries.run(await netContext(t, [`registry.test:${reg.port}`], { root, resolve: undefined }))
  assert.equal(r.status, 'ok', r.summary)
  assert.equal(r.summary, `reachable: registry.test:${reg.port} (401)`)
})
