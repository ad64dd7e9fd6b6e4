// Checks judged from files and recorded facts: vm.max_map_count under a fixture host root (and what
// the stacks in use make of it), resources, the docker-cli fix per platform, and a port held by a
// process outside Docker.

import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { dockerCli } from '../../checks/docker-cli.js'
import { maxMapCount } from '../../checks/max-map-count.js'
import { isListening, judgePorts, ports, publishes } from '../../checks/ports.js'
import { judgeResources } from '../../checks/resources.js'
import { emptyConfig } from '../../lib/config.js'
import { classify } from '../../lib/docker-facts.js'
import type { Platform } from '../../lib/types.js'
import { debian12, fixture, makeContext, put, tempDir } from '../helpers.js'

const macos: Platform = { kind: 'macos', arch: 'arm64', wsl: null, distro: null, macos: { version: '14.5' }, evidence: [] }

async function mapCount(t: import('node:test').TestContext, value: string, stacks: string[]) {
  const root = await tempDir(t)
  await put(join(root, 'proc/sys/vm/max_map_count'), `${value}\n`)
  const config = emptyConfig()
  for (const s of stacks) config.data.stacks[s] = {}
  const ctx = makeContext({ hostRoot: root, config, env: { PATH: '', HOME: root } })
  const outcome = await maxMapCount.run(ctx)
  return { ...outcome, fix: (await maxMapCount.fix(ctx, outcome as never))! }
}

test('max-map-count: below 262144 warns (required when the elasticsearch stack is in use), saying what it costs; the fix is sysctl', async (t) => {
  const used = await mapCount(t, '65530', ['elasticsearch'])
  assert.deepEqual([used.status, used.required], ['warn', true])
  assert.match(used.summary, /^65530 is below 262144: Elasticsearch starts \(single-node, its bootstrap checks only warn\) but may run out of memory maps under load .*\(the elasticsearch stack is in use\)$/)
  assert.deepEqual(used.fix.steps.map((s) => [s.argv, s.sudo]), [[['sysctl', '-w', 'vm.max_map_count=262144'], true], [[], true]])
  assert.match(used.fix.steps[1].title, /after reboots \(\/etc\/sysctl\.d\//)
  assert.equal((await mapCount(t, '65530', ['mongodb'])).status, 'warn')
  const ok = await mapCount(t, '262144', ['elasticsearch'])
  assert.deepEqual([ok.status, ok.version], ['ok', '262144'])
})

test('max-map-count: an unreadable value is a skip that says why', async (t) => {
  const root = await tempDir(t)
  const r = await maxMapCount.run(makeContext({ hostRoot: root, env: { PATH: '', HOME: root } }))
  assert.equal(r.status, 'skip')
  assert.match(r.summary, /cannot read .*proc\/sys\/vm\/max_map_count: ENOENT/)
})

test('resources: low memory and disk are named with what needs them', () => {
  const GiB = 1024 ** 3
  const low = judgeResources({ cpus: 1, memory: 2 * GiB, dockerRoot: '/var/lib/docker', dockerFree: 5 * GiB, minikubeDir: '/home/a/.minikube', minikubeFree: 5 * GiB, inVm: null })
  assert.equal(low.status, 'warn')
  assert.match(low.summary, /1 CPU \(minikube needs 2\); 2\.0 GiB of memory for Docker \(Elasticsearch wants 4\.0 GiB\); 5\.0 GiB free under \/var\/lib\/docker/)
  assert.match(low.summary, /for \/home\/a\/\.minikube \(minikube wants 20 GB\)/)
  const fine = judgeResources({ cpus: 8, memory: 16 * GiB, dockerRoot: '/var/lib/docker', dockerFree: null, minikubeDir: '/h/.minikube', minikubeFree: 100 * GiB, inVm: "Docker Desktop's VM" })
  assert.equal(fine.status, 'ok')
  assert.match(fine.details!.join('\n'), /not on this machine's disk/)
})

test('docker-cli: absent, it fails; the fix is the platform\'s installer', async (t) => {
  const dir = await tempDir(t)
  // An empty host root and home: no docker in any folder an installer uses either.
  const ctx = makeContext({ env: { PATH: dir, HOME: dir }, home: dir, hostRoot: dir, platform: macos })
  const r = await dockerCli.run(ctx)
  assert.deepEqual([r.status, r.summary], ['fail', 'docker is not on PATH'])
  const macFix = (await dockerCli.fix(ctx, { ...r, id: 'docker-cli' } as never))!
  assert.ok(macFix.steps.some((s) => /\/bin\/brew install --cask docker-desktop$/.test(s.argv.join(' '))), JSON.stringify(macFix.steps))
  const debianFix = (await dockerCli.fix(makeContext({ platform: debian12 }), { ...r, id: 'docker-cli' } as never))!
  assert.ok(debianFix.steps.some((s) => s.title.includes('https://download.docker.com/linux/debian/gpg')))
  assert.ok(debianFix.steps.some((s) => s.title.includes('/etc/apt/sources.list.d/docker.sources')))
})

test('docker daemon errors are classified from the CLI\'s own words (recorded stderr)', async () => {
  const denied = classify(await fixture('docker-info.permission-denied.stderr.txt'), false, 'x')
  assert.deepEqual([denied.problem, denied.endpoint], ['no-access', 'unix:///var/run/docker.sock'])
  const down = classify(await fixture('docker-info.no-daemon.stderr.txt'), false, 'x')
  assert.deepEqual([down.problem, down.endpoint], ['not-running', 'tcp://127.0.0.1:1'])
  assert.equal(classify('', true, 'tcp://127.0.0.1:9').problem, 'not-answering')
})

test('ports: a port held outside Docker is named as such, with how to find the process', async (t) => {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  t.after(() => server.close())
  const port = (server.address() as { port: number }).port
  assert.equal(await isListening('127.0.0.1', port), true)
  const wanted = [{ stack: 'mongodb', port, what: 'MongoDB' }]
  const r = judgePorts(wanted, wanted, [], false)
  assert.equal(r.status, 'warn')
  assert.equal(r.summary, `${port} (MongoDB) is taken by a process outside Docker`)
  assert.match(r.details!.join('\n'), new RegExp(`ss -ltnp 'sport = :${port}'`))
  const gone = createServer()
  await new Promise<void>((r) => gone.listen(0, '127.0.0.1', () => r()))
  const freePort = (gone.address() as { port: number }).port
  await new Promise((r) => gone.close(r))
  assert.equal(await isListening('127.0.0.1', freePort), false)
  assert.equal(publishes('0.0.0.0:9200->9200/tcp, :::9200->9200/tcp', 9200), true)
  assert.equal(publishes('0.0.0.0:19200->9200/tcp', 9200), false)
})

test('ports: only the stacks in use are checked', async () => {
  const config = emptyConfig()
  config.data.stacks.custom = {}
  const r = await ports.run(makeContext({ config }))
  assert.deepEqual([r.status, r.summary], ['ok', 'no host ports known for the stacks in use (custom)'])
})
