// shipshape.yaml as a contract, through the spawned CLI: every mistake is exit 2 with file:line:column
// and a suggestion in every command; `up` refuses by name before writing or starting anything when
// what the stack needs is not ok; a dry run exits as the real run does; printed output stands alone
// and printed passwords are stable.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { delimiter, join } from 'node:path'
import { need } from '../gate.js'
import { engineRecording, serveEngine } from '../engine-socket.js'
import { cleanEnv, fakeExecutable, needDocker, pathWithout, put, runCli, tempDir } from '../helpers.js'
import { freePort } from '../images.js'

const MISTAKES: Array<{ yaml: string; where: string; says: RegExp }> = [
  { yaml: 'checks:\n  minikub: {required: false}\n', where: '2:3', says: /unknown check id 'minikub'\. Did you mean 'minikube'\?/ },
  { yaml: 'stacks:\n  elastic: {}\n', where: '2:3', says: /unknown stack 'elastic'\. Did you mean 'elasticsearch'\?/ },
  { yaml: 'stacks:\n  mongodb: {prot: 18000}\n', where: '2:13', says: /stacks\.mongodb\.prot: unknown parameter 'prot' for stack mongodb\. Did you mean 'port'\?/ },
  { yaml: 'stacks:\n  mongodb: {port: "abc"}\n', where: '2:19', says: /stacks\.mongodb\.port: parameter 'port': expected a whole number, got "abc"/ },
  { yaml: 'stacks:\n  mongodb: {port: 99999}\n', where: '2:19', says: /parameter 'port': expected a port from 1 to 65535, got 99999/ },
  { yaml: 'stacks:\n  mongodb: {port: 0}\n', where: '2:19', says: /parameter 'port': expected a port from 1 to 65535, got 0/ },
  { yaml: 'timeoutMs: 5000\nstakcs: {}\n', where: '2:1', says: /unknown field 'stakcs'\. Did you mean 'stacks'\?/ },
  { yaml: 'network:\n  registries: [localhost:5000, "not a host"]\n', where: '2:32', says: /network\.registries\.1: expected host\[:port\]/ },
]

// Each command that reads shipshape.yaml, with arguments that would do nothing harmful were the config accepted.
const COMMANDS = [
  ['doctor', '--only', 'platform'],
  ['setup', '--dry-run'],
  ['checklist', '--output', 'ONBOARDING.md'],
  ['serve', '--port', '0'],
  ['schedule', 'install', '--dry-run'],
  ['render', 'echo'],
  ['up', 'echo', '--dry-run'],
  ['down', 'echo', '--dry-run'],
]

test('every shipshape.yaml mistake is exit 2 with file:line:column and a suggestion, in every command, and nothing is written', async (t) => {
  const cwd = await tempDir(t)
  const env = cleanEnv({ HOME: join(cwd, 'home') })
  for (const m of MISTAKES) {
    await writeFile(join(cwd, 'shipshape.yaml'), m.yaml)
    for (const args of COMMANDS) {
      const r = await runCli(args, { cwd, env })
      assert.equal(r.code, 2, `${args.join(' ')} with ${JSON.stringify(m.yaml)}: ${r.stderr}`)
      assert.ok(r.stderr.includes(`${join(cwd, 'shipshape.yaml')}:${m.where}: `), `${args[0]}: ${r.stderr}`)
      assert.match(r.stderr, m.says, args[0])
    }
  }
  assert.deepEqual(await readdir(cwd), ['shipshape.yaml'], 'nothing written or created')
})

test('--config FILE and --values FILE are reported the same way', async (t) => {
  const cwd = await tempDir(t)
  const env = cleanEnv({ HOME: cwd })
  await put(join(cwd, 'team.yaml'), 'stacks:\n  mongodb:\n    prot: 1\n')
  const doctor = await runCli(['doctor', '--config', 'team.yaml'], { cwd, env })
  assert.equal(doctor.code, 2)
  assert.match(doctor.stderr, /team\.yaml:3:5: stacks\.mongodb\.prot: unknown parameter 'prot' for stack mongodb\. Did you mean 'port'\?/)
  await put(join(cwd, 'values.yaml'), 'replicas: 2\nprot: 8081\n')
  const up = await runCli(['up', 'echo', '--values', 'values.yaml', '--dry-run'], { cwd, env })
  assert.equal(up.code, 2)
  assert.match(up.stderr, /values\.yaml:2:1: unknown parameter 'prot' for stack echo\. Did you mean 'port'\?/)
})

test('a valid port in shipshape.yaml reaches the ports check as that port (never an error)', async (t) => {
  const cwd = await tempDir(t)
  const port = await freePort()
  await writeFile(join(cwd, 'shipshape.yaml'), `stacks:\n  mongodb: {port: "${port}"}\n`)
  const r = await runCli(['doctor', '--only', 'ports', '--format', 'json'], { cwd, env: cleanEnv({ HOME: cwd }) })
  const ports = (JSON.parse(r.stdout) as { checks: Array<{ id: string; status: string; summary: string }> }).checks.find((c) => c.id === 'ports')!
  assert.equal(ports.status, 'ok', ports.summary)
  assert.match(ports.summary, new RegExp(`^${port} free`))
})

// A host root whose vm.max_map_count is Linux's default: single-node Elasticsearch starts, and warns.
async function lowMapCount(cwd: string): Promise<string> {
  const root = join(cwd, 'root')
  await put(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')
  await put(join(root, 'proc/sys/vm/max_map_count'), '65530\n')
  return root
}

test('up elasticsearch with a low vm.max_map_count warns with what it costs and does not refuse for it', async (t) => {
  if (!(await need(t, 'docker-cli', 'docker-compose'))) return
  const [cwd, bin] = [await tempDir(t), await tempDir(t)]
  // A recorded engine on a socket and a Compose v1 (a warning up runs with): only vm.max_map_count is low.
  const socket = await serveEngine(t, join(cwd, 'engine', 'docker.sock'), await engineRecording('docker-engine'))
  await fakeExecutable(bin, 'docker-compose', 'echo 1.29.2')
  const path = [bin, await pathWithout(t, ['docker-compose'])].join(delimiter)
  const env = cleanEnv({ HOME: cwd, SHIPSHAPE_HOST_ROOT: await lowMapCount(cwd), DOCKER_HOST: `unix://${socket}`, PATH: path })
  const r = await runCli(['up', 'elasticsearch', '--dry-run', '--offline', '--set', `port=${await freePort()}`, '--set', `kibanaPort=${await freePort()}`], { cwd, env, timeoutMs: 60_000 })
  assert.match(r.stderr, /^shipshape: warning: max-map-count: 65530 is below 262144: Elasticsearch starts .*out of memory maps under load/m)
  assert.doesNotMatch(r.stderr, /needs these checks/)
  assert.match(r.stdout, /^# checks passed: .*max-map-count/m)
  assert.equal(r.code, 0, r.stderr)
})

const unreachable = (port: number) => `apiVersion: v1
kind: Config
current-context: dev
contexts: [{name: dev, context: {cluster: dev, user: dev}}]
clusters: [{name: dev, cluster: {server: "https://127.0.0.1:${port}"}}]
users: [{name: dev, user: {}}]
`

test('up and down --target k8s with no reachable cluster refuse on kube-context before kubectl apply/delete; dry runs agree', async (t) => {
  // The real kubectl: only the cluster may be what stops it.
  if (!(await need(t, 'kubectl'))) return
  const cwd = await tempDir(t)
  const port = await freePort() // nothing listens: connection refused
  await put(join(cwd, 'kubeconfig'), unreachable(port))
  for (const kubeconfig of [join(cwd, 'kubeconfig'), join(cwd, 'no-such-kubeconfig')]) {
    const env = cleanEnv({ HOME: cwd, KUBECONFIG: kubeconfig })
    for (const args of [['up', 'echo', '--target', 'k8s', '--dry-run'], ['up', 'echo', '--target', 'k8s'], ['down', 'echo', '--target', 'k8s', '--dry-run'], ['down', 'echo', '--target', 'k8s']]) {
      const r = await runCli(args, { cwd, env, timeoutMs: 60_000 })
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`)
      assert.match(r.stderr.split('\n')[0], /^shipshape: echo \(k8s\) needs these checks to be ok .*kube-context \((fail|warn|timeout)\)/, args.join(' '))
      assert.doesNotMatch(r.stderr, /openapi|kubectl apply|kubectl delete/)
      assert.doesNotMatch(r.stdout, /kubectl (apply|delete)/)
    }
  }
  assert.ok(!(await readdir(cwd)).includes('shipshape'), 'nothing rendered')
})

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen({ host: '127.0.0.1', port }, () => resolve(server))
    server.once('error', reject)
  })
}

test("up is held back by its own port only, with its values, never by another stack's port in shipshape.yaml", async (t) => {
  if (!(await needDocker(t))) return
  const cwd = await tempDir(t)
  const env = cleanEnv({ HOME: cwd })
  const [busy, free] = [await freePort(), await freePort()]
  const server = await listen(busy)
  t.after(() => server.close())
  // Offline: this is about ports; the images are not here and no registry can be reached.
  await writeFile(join(cwd, 'shipshape.yaml'), `stacks:\n  mongodb: {port: ${busy}}\n  echo: {port: ${free}}\nnetwork: {offline: true}\n`)
  const ok = await runCli(['up', 'echo', '--dry-run'], { cwd, env, timeoutMs: 60_000 })
  assert.equal(ok.code, 0, ok.stderr)
  assert.match(ok.stdout, /^# checks passed: .*ports/m)
  const held = await runCli(['up', 'echo', '--dry-run', '--set', `port=${busy}`], { cwd, env, timeoutMs: 60_000 })
  assert.equal(held.code, 1, held.stderr)
  assert.match(held.stderr, new RegExp(`not ok: ports \\(fail\\)`))
  assert.match(held.stderr, new RegExp(`${busy} \\(echo nginx\\) is taken`))
})

test('up --dry-run refuses a differing file with exit 2, as the real run does, and --no-checks is the escape hatch', async (t) => {
  const cwd = await tempDir(t)
  const env = cleanEnv({ HOME: cwd, SHIPSHAPE_HOST_ROOT: await lowMapCount(cwd) })
  assert.equal((await runCli(['render', 'echo'], { cwd, env })).code, 0)
  const file = join(cwd, 'shipshape/echo/compose/compose.yaml')
  await writeFile(file, '# edited by hand\n')
  for (const args of [['--dry-run'], []]) {
    const r = await runCli(['up', 'echo', '--set', 'port=8099', ...args], { cwd, env })
    assert.equal(r.code, 2, `${args}: ${r.stderr}`)
    assert.match(r.stderr, /compose\.yaml:1: edited by hand since the last render; nothing was written\. .*--force/)
  }
  assert.equal(await readFile(file, 'utf8'), '# edited by hand\n')
  const forced = await runCli(['up', 'elasticsearch', '--dry-run', '--no-checks'], { cwd, env })
  assert.equal(forced.code, 0, forced.stderr)
  assert.match(forced.stdout, /^# would write \S+compose\.yaml$/m)
})

test('render echo --out - is refused (its compose file needs the nginx template beside it), and nothing is written', async (t) => {
  const cwd = await tempDir(t)
  const r = await runCli(['render', 'echo', '--out', '-'], { cwd, env: cleanEnv({ HOME: cwd }) })
  assert.equal(r.code, 2)
  assert.equal(r.stdout, '')
  assert.match(r.stderr, /needs default\.conf\.template beside compose\.yaml.*--out DIR/)
  assert.deepEqual(await readdir(cwd), [])
})

test('printed passwords are stable: kept in the default folder (0600) on first print, changed only by --rotate-secrets', async (t) => {
  const cwd = await tempDir(t)
  const env = cleanEnv({ HOME: cwd })
  const print = (...extra: string[]) => runCli(['render', 'mongodb', '--target', 'k8s', '--show-secrets', '--out', '-', ...extra], { cwd, env })
  const passwordOf = (text: string) => /^ {2}password: (\S+)$/m.exec(text)?.[1]
  const first = await print()
  assert.equal(first.code, 0, first.stderr)
  const second = await print()
  assert.ok(passwordOf(first.stdout))
  assert.equal(passwordOf(second.stdout), passwordOf(first.stdout))
  const store = join(cwd, 'shipshape/mongodb/k8s/mongodb.yaml')
  assert.equal((await stat(store)).mode & 0o777, 0o600)
  // What render writes there later is what was printed.
  const written = await runCli(['render', 'mongodb', '--target', 'k8s'], { cwd, env })
  assert.match(written.stdout, /^unchanged /m)
  const rotated = await print('--rotate-secrets')
  assert.equal(rotated.code, 0, rotated.stderr)
  assert.notEqual(passwordOf(rotated.stdout), passwordOf(first.stdout))
  assert.match(rotated.stderr, /a data volume keeps the password it was first started with/)
  assert.equal(passwordOf((await print()).stdout), passwordOf(rotated.stdout))

  // compose: the printed file carries the kept password itself, so it needs no .env beside it.
  const compose = await runCli(['render', 'mongodb', '--show-secrets', '--out', '-'], { cwd, env })
  assert.equal(compose.code, 0, compose.stderr)
  const kept = /MONGO_INITDB_ROOT_PASSWORD=(\S+)/.exec(await readFile(join(cwd, 'shipshape/mongodb/compose/.env'), 'utf8'))![1]
  assert.match(compose.stdout, new RegExp(`MONGO_INITDB_ROOT_PASSWORD: ${kept}$`, 'm'))
  assert.doesNotMatch(compose.stdout, /\$\{/)
})
