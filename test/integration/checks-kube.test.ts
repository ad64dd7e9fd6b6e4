// kube-context with the real kubectl against a loopback HTTP server answering /version with a
// recorded-shape server version (reachable, skewed), a closed port and a server that never answers;
// minikube through fake executables replaying minikube's real status JSON, and truly absent.

import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { readFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { after, test, type TestContext } from 'node:test'
import { need } from '../gate.js'
import { cleanEnv, fakeBinDir, pathWithout, put, runCli, runProcess, tempDir } from '../helpers.js'

// Keep the tests' version cache out of the developer's own.
const cacheHome = mkdtempSync(join(tmpdir(), 'shipshape-checks-cache-'))
after(() => rmSync(cacheHome, { recursive: true, force: true }))

async function kubectlMinor(t: TestContext): Promise<number | null> {
  if (!(await need(t, 'kubectl'))) return null
  const r = await runProcess('kubectl', ['version', '--client', '-o', 'json'], { env: cleanEnv() })
  assert.equal(r.code, 0, r.stderr)
  return Number.parseInt(JSON.parse(r.stdout).clientVersion.minor, 10)
}

/** What an API server's /version returns (k8s.io/apimachinery version.Info). */
function serverVersion(minor: number) {
  return { major: '1', minor: String(minor), gitVersion: `v1.${minor}.3`, gitCommit: '6fee5fd9e3f2f1b5ae4d5a10d0ce6b94c61be4a2', gitTreeState: 'clean', buildDate: '2025-03-11T19:52:18Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64' }
}

async function listenOn(t: TestContext, server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  t.after(() => server.close())
  return (server.address() as { port: number }).port
}

async function kubeconfig(t: TestContext, server: string, context = 'team-dev'): Promise<string> {
  const dir = await tempDir(t)
  return put(join(dir, 'config'), `apiVersion: v1
kind: Config
clusters:
- name: dev-cluster
  cluster:
    server: ${server}
contexts:
- name: ${context}
  context: {cluster: dev-cluster, user: dev}
current-context: ${context}
users:
- name: dev
  user: {token: not-a-real-token}
`)
}

async function kubeCheck(env: NodeJS.ProcessEnv, extra: string[] = []) {
  const r = await runCli(['doctor', '--format', 'json', '--only', 'kube-context', ...extra], { env: cleanEnv({ XDG_CACHE_HOME: cacheHome, ...env }) })
  const doc = JSON.parse(r.stdout)
  // The exit code is the one the document summarises (kube-context is optional: 0 unless --strict).
  assert.equal(r.code, doc.summary.exitCode, r.stderr)
  return { check: doc.checks.find((c: { id: string }) => c.id === 'kube-context'), code: r.code }
}

function versionServer(minor: number): Server {
  return createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    if (req.url?.startsWith('/version')) res.end(JSON.stringify(serverVersion(minor)))
    else res.writeHead(404).end('{}')
  })
}

test('kube-context: a reachable cluster reports its version', async (t) => {
  const minor = await kubectlMinor(t)
  if (minor === null) return
  const port = await listenOn(t, versionServer(minor))
  const { check } = await kubeCheck({ KUBECONFIG: await kubeconfig(t, `http://127.0.0.1:${port}`) })
  assert.equal(check.status, 'ok')
  assert.equal(check.summary, `context 'team-dev' (http://127.0.0.1:${port}): Kubernetes v1.${minor}.3`)
})

test('kube-context: a server far from kubectl\'s version warns about the skew', async (t) => {
  const minor = await kubectlMinor(t)
  if (minor === null) return
  // Version-matching wrappers (Cloud SDK's kubectl dispatcher) ship clients back to 1.27 and pick
  // the nearest, so an old server is skewed from any of them; an old plain kubectl gets a newer one.
  const port = await listenOn(t, versionServer(minor >= 24 ? 20 : minor + 3))
  const { check } = await kubeCheck({ KUBECONFIG: await kubeconfig(t, `http://127.0.0.1:${port}`) })
  assert.equal(check.status, 'warn')
  assert.match(check.summary, /Kubernetes v1\.\d+\.3, but kubectl is v1\.\d+.*: a skew of (?:[2-9]|\d{2,}) minor versions \(kubectl supports one\)/)
})

test('kube-context: a closed port is unreachable, naming context and server', async (t) => {
  if ((await kubectlMinor(t)) === null) return
  const probe = createTcpServer()
  const port = await new Promise<number>((r) => probe.listen(0, '127.0.0.1', () => r((probe.address() as { port: number }).port)))
  await new Promise((r) => probe.close(r))
  const { check } = await kubeCheck({ KUBECONFIG: await kubeconfig(t, `https://127.0.0.1:${port}`) })
  assert.equal(check.status, 'fail')
  assert.match(check.summary, new RegExp(`^context 'team-dev' \\(https://127\\.0\\.0\\.1:${port}\\) is unreachable: .*refused`))
})

test('kube-context: a server that accepts and never answers is reported within the bound', async (t) => {
  if ((await kubectlMinor(t)) === null) return
  const port = await listenOn(t, createTcpServer(() => {}))
  // The bound is the check's own; runCli's generous timeout fails the test if it hangs instead.
  const { check } = await kubeCheck({ KUBECONFIG: await kubeconfig(t, `http://127.0.0.1:${port}`) })
  assert.equal(check.status, 'timeout')
  assert.match(check.summary, new RegExp(`^context 'team-dev' \\(http://127\\.0\\.0\\.1:${port}\\)`))
})

test('kube-context: no current context is a warning with the way to get one', async (t) => {
  if ((await kubectlMinor(t)) === null) return
  const home = await tempDir(t)
  const { check } = await kubeCheck({ HOME: home })
  assert.equal(check.status, 'warn')
  assert.equal(check.summary, `no current context (looked in ${join(home, '.kube/config')})`)
  assert.match(check.fix.manual, /minikube start/)
})

/** As an ordinary user unless `env` says otherwise (CI runs as root, where minikube start is not planned). */
async function minikubeCheck(t: TestContext, scenario: string | null, profileDriver?: string, env: NodeJS.ProcessEnv = {}) {
  const home = await tempDir(t)
  if (profileDriver) await put(join(home, '.minikube/profiles/minikube/config.json'), JSON.stringify({ Name: 'minikube', Driver: profileDriver }))
  // A real minikube on this machine is never reached: PATH holds the scenario's fake, or none at all.
  const path = [scenario ? join(fakeBinDir, 'minikube-scenarios', scenario) : null, await pathWithout(t, ['minikube'])].filter(Boolean).join(delimiter)
  const log = join(home, 'minikube-calls.log')
  const r = await runCli(['doctor', '--format', 'json', '--only', 'minikube'], { env: cleanEnv({ PATH: path, HOME: home, MINIKUBE_FAKE_LOG: log, SHIPSHAPE_UID: '1000', ...env }) })
  const doc = JSON.parse(r.stdout)
  // minikube is required: a fail is exit 1, a warn exit 0, in the document and the process alike.
  assert.equal(r.code, doc.summary.exitCode, r.stderr)
  assert.equal(r.code, doc.checks.some((c: { status: string }) => c.status === 'fail') ? 1 : 0)
  const check = doc.checks.find((c: { id: string }) => c.id === 'minikube')
  return Object.assign(check, { code: r.code, calls: (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean).sort() })
}

test('minikube: a running single-node cluster is ok, with version and driver', async (t) => {
  const check = await minikubeCheck(t, 'running', 'kvm2')
  assert.equal(check.status, 'ok')
  assert.equal(check.version, '1.34.0')
  assert.equal(check.summary, "minikube v1.34.0: cluster 'minikube' running on the kvm2 driver (1 node)")
  // The state is read as JSON, never scraped from text.
  assert.deepEqual(check.calls, ['status -o json', 'version --output=json'])
})

test('minikube: several nodes with one stopped names that node (exit code 3 with valid JSON)', async (t) => {
  const check = await minikubeCheck(t, 'multinode-one-stopped')
  assert.equal(check.status, 'warn')
  assert.match(check.summary, /1 of 3 nodes not running: minikube-m03 \(host Stopped, kubelet Stopped\)$/)
  assert.deepEqual(check.fix.steps.map((s: { argv: string[] }) => s.argv), [['minikube', 'start']])
})

test('minikube: as root with no user to go back to, minikube start is not planned; the fix says what to do instead', async (t) => {
  const check = await minikubeCheck(t, 'stopped', undefined, { USER: 'root', SHIPSHAPE_UID: '0' })
  assert.equal(check.status, 'warn')
  assert.deepEqual(check.fix.steps, [])
  assert.match(check.fix.manual, /log in as your own user and run: minikube start/)
  assert.doesNotMatch(check.fix.manual, /sudo/)
})

test('minikube: a stopped cluster is a warning with minikube start', async (t) => {
  const check = await minikubeCheck(t, 'stopped')
  assert.equal(check.status, 'warn')
  assert.equal(check.summary, "minikube v1.34.0: cluster 'minikube' is stopped")
  assert.deepEqual(check.fix.steps.map((s: { argv: string[] }) => s.argv), [['minikube', 'start']])
})

test('minikube: no cluster yet is a warning with minikube start', async (t) => {
  const check = await minikubeCheck(t, 'no-cluster')
  assert.equal(check.status, 'warn')
  assert.equal(check.summary, "minikube v1.34.0; no cluster 'minikube' yet")
  assert.deepEqual(check.fix.steps.map((s: { argv: string[] }) => s.argv), [['minikube', 'start']])
})

test('minikube: the docker driver as root is a warning; as a user it is fine', async (t) => {
  const asUser = await minikubeCheck(t, 'running', 'docker')
  assert.equal(asUser.status, 'ok', asUser.summary)
  const check = await minikubeCheck(t, 'running', 'docker', { SHIPSHAPE_UID: '0' })
  assert.equal(check.status, 'warn')
  assert.match(check.summary, /the docker driver refuses to run as root/)
  assert.match(check.fix.manual, /Run minikube as your own user/)
})

test('minikube: truly absent here, it fails with the install command', async (t) => {
  const check = await minikubeCheck(t, null)
  assert.equal(check.status, 'fail')
  assert.equal(check.code, 1)
  assert.equal(check.summary, 'minikube is not installed')
  const titles = check.fix.steps.map((s: { title: string }) => s.title)
  assert.ok(titles.some((a: string) => /minikube_latest_(amd64|arm64)\.deb, checked against its published sha256/.test(a)), titles.join('\n'))
})
