// `up` and `down --target k8s`. No API server exists here, so kubectl and minikube are fake
// executables that log their arguments and answer with the lines the real tools print; the manifest
// they are handed is the real render. Also the compose v2 path (`docker compose up --wait`), with a
// fake docker, since only v1 is installed here.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { need } from '../gate.js'
import { cleanEnv, fakeExecutable, fixturesDir, put, runCli, tempDir } from '../helpers.js'
import { freePort } from '../images.js'

// What `up` asks before it applies anything (the kubectl and kube-context checks): a client that
// answers with recorded output, and a cluster one minor ahead, so the checks pass and are not logged.
const versionKubectl = `[ "$1" = version ] && { [ "$2" = --client ] && cat '${join(fixturesDir, 'kubectl-version.client-1.32.json')}' || echo '{"clientVersion":{"major":"1","minor":"32+","gitVersion":"v1.32.4"},"serverVersion":{"major":"1","minor":"33","gitVersion":"v1.33.1"}}'; exit 0; }`
const kubeconfig = `apiVersion: v1
kind: Config
current-context: minikube
contexts: [{name: minikube, context: {cluster: minikube, user: minikube}}]
clusters: [{name: minikube, cluster: {server: "https://127.0.0.1:8443"}}]
users: [{name: minikube, user: {token: not-a-real-token}}]
`

async function fakes(t: import('node:test').TestContext, kubectl: string) {
  const cwd = await tempDir(t)
  const bin = join(cwd, 'bin')
  const log = join(cwd, 'calls.log')
  await put(join(cwd, '.kube/config'), kubeconfig)
  await fakeExecutable(bin, 'kubectl', `${versionKubectl}\necho "kubectl $*" >> '${log}'\n[ "$1" = apply ] || [ "$1" = delete ] && cat > '${cwd}/stdin.yaml' 2>/dev/null\n${kubectl}`)
  await fakeExecutable(bin, 'minikube', `echo "minikube $*" >> '${log}'\necho http://192.168.49.2:30080`)
  const env = cleanEnv({ HOME: cwd, PATH: `${bin}:${process.env.PATH}` })
  const calls = async () => (await readFile(log, 'utf8')).trim().split('\n')
  return { cwd, env, calls }
}

// Each answer is what kubectl 1.32 prints for that kind (fixtures README: kubectl's own format strings).
const happyKubectl = `case "$1" in
  apply) echo "configmap/sample-echo created"; echo "replicaset.apps/sample-echo created"; echo "service/sample-echo created" ;;
  rollout) case "$3" in
    statefulset/*) echo "statefulset rolling update complete 1 pods at revision \${3#statefulset/}-7c9d8b6f5d..." ;;
    *) echo "deployment \\"\${3#deployment/}\\" successfully rolled out" ;;
  esac ;;
  wait) case "$3" in job/*) echo "job.batch/\${3#job/} condition met" ;; *) echo "$3 condition met" ;; esac ;;
  get) printf 2 ;;
  delete) case "$2" in
    pvc) echo 'persistentvolumeclaim "data-mongodb-0" deleted' ;;
    *) echo 'secret "mongodb" deleted'; echo 'service "mongodb" deleted'; echo 'statefulset.apps "mongodb" deleted' ;;
  esac ;;
esac`

test('up --target k8s applies the rendered manifest and waits per kind, each within the timeout', async (t) => {
  const { cwd, env, calls } = await fakes(t, happyKubectl)
  const r = await runCli(['up', 'echo', '--target', 'k8s', '--set', 'workload=replicaset', '--set', 'replicas=2', '--set', 'serviceType=NodePort', '--timeout', '60000'], { cwd, env })
  assert.equal(r.code, 0, r.stderr)
  const log = await calls()
  assert.equal(log[0], `kubectl apply -f ${join(cwd, 'shipshape/echo/k8s/echo.yaml')}`)
  assert.equal(log[1], 'kubectl get replicaset/sample-echo -o jsonpath={.status.readyReplicas}')
  assert.equal(log[2], 'minikube service sample-echo --url')
  assert.match(r.stdout, /sample-echo: http:\/\/192\.168\.49\.2:30080/)

  const es = await runCli(['up', 'elasticsearch', '--target', 'k8s', '--timeout', '60000'], { cwd, env })
  assert.equal(es.code, 0, es.stderr)
  const waits = (await calls()).slice(3).filter((l) => !l.includes(' apply '))
  assert.equal(waits.length, 3)
  assert.match(waits[0], /^kubectl rollout status statefulset\/elasticsearch --timeout=(59|60)s$/)
  assert.match(waits[1], /^kubectl wait --for=condition=complete job\/elasticsearch-setup --timeout=\d+s$/)
  assert.match(waits[2], /^kubectl rollout status deployment\/elasticsearch-kibana --timeout=\d+s$/)
  assert.match(es.stdout, /kubectl port-forward service\/elasticsearch 9200:9200/)
  assert.match(es.stdout, /then kibana: http:\/\/127\.0\.0\.1:5601\//)
  const mongo = await runCli(['up', 'mongodb', '--target', 'k8s'], { cwd, env })
  assert.match(mongo.stdout, /then mongodb: mongodb:\/\/root@127\.0\.0\.1:27017\/\?authSource=admin/)
  assert.doesNotMatch(mongo.stdout, /password/i)
})

test('a rollout that does not finish fails with exit 1 and the Pods\' last log lines', async (t) => {
  const { cwd, env, calls } = await fakes(t, `case "$1" in
  rollout) echo 'error: timed out waiting for the condition' >&2; exit 1 ;;
  logs) echo '[emerg] host not found in upstream "localhost:8080"' ;;
esac`)
  const r = await runCli(['up', 'echo', '--target', 'k8s', '--set', 'workload=pod', '--timeout', '5000'], { cwd, env })
  assert.equal(r.code, 0, 'a Pod is waited for with kubectl wait, which the fake answers')
  const bad = await runCli(['up', 'echo', '--target', 'k8s', '--timeout', '5000', '--force'], { cwd, env })
  assert.equal(bad.code, 1)
  assert.match(bad.stderr, /Deployment\/sample-echo did not become ready: error: timed out waiting for the condition/)
  assert.match(bad.stderr, /host not found in upstream/)
  assert.ok((await calls()).includes('kubectl logs -l app.kubernetes.io/name=echo,app.kubernetes.io/instance=sample-echo --all-containers --tail=20'))
})

test('down --target k8s deletes the objects and keeps volume claims unless --volumes', async (t) => {
  const { cwd, env, calls } = await fakes(t, happyKubectl)
  const down = await runCli(['down', 'mongodb', '--target', 'k8s'], { cwd, env })
  assert.equal(down.code, 0, down.stderr)
  assert.equal(down.stdout, 'mongodb is down in Kubernetes; volume claims are kept (--volumes removes them).\n')
  assert.deepEqual(await calls(), ['kubectl delete --ignore-not-found --timeout=120s -f -'])
  const handed = await readFile(join(cwd, 'stdin.yaml'), 'utf8')
  for (const kind of ['Secret', 'Service', 'StatefulSet']) assert.match(handed, new RegExp(`^kind: ${kind}$`, 'm'))
  const withVolumes = await runCli(['down', 'mongodb', '--target', 'k8s', '--volumes'], { cwd, env })
  assert.equal(withVolumes.code, 0, withVolumes.stderr)
  assert.equal(withVolumes.stdout, 'mongodb is down in Kubernetes; its volume claims were removed.\n')
  assert.equal((await calls())[2], 'kubectl delete pvc --ignore-not-found -l app.kubernetes.io/name=mongodb,app.kubernetes.io/instance=mongodb')
})

test('down --target k8s whose delete fails exits 1 naming the command and kubectl\'s message', async (t) => {
  const { cwd, env } = await fakes(t, `[ "$1" = delete ] && { cat '${join(fixturesDir, 'kubectl-version.refused-127.0.0.1-8443.stderr.txt')}' >&2; exit 1; }`)
  const r = await runCli(['down', 'mongodb', '--target', 'k8s'], { cwd, env })
  assert.equal(r.code, 1)
  assert.match(r.stderr, /kubectl delete --ignore-not-found --timeout=120s -f - exited 1:\nThe connection to the server 127\.0\.0\.1:8443 was refused - did you specify the right host or port\?/)
  assert.doesNotMatch(r.stdout, /is down/)
})

test('with compose v2, up uses --wait with --wait-timeout in seconds', async (t) => {
  // up checks the Docker daemon itself (over its socket) before it hands anything to compose.
  if (!(await need(t, 'docker'))) return
  const cwd = await tempDir(t)
  const log = join(cwd, 'calls.log')
  await fakeExecutable(join(cwd, 'bin'), 'docker', `echo "docker $*" >> '${log}'\ncase "$*" in "compose version --short") echo 2.29.7 ;; esac`)
  const env = cleanEnv({ HOME: cwd, PATH: `${join(cwd, 'bin')}:${process.env.PATH}` })
  // Offline: the images are not here and no registry answers; this test is about compose's flags.
  await writeFile(join(cwd, 'shipshape.yaml'), 'network: {offline: true}\n')
  const r = await runCli(['up', 'echo', '--timeout', '45500', '--project', 'shipshape-test-v2', '--set', `port=${await freePort()}`], { cwd, env })
  assert.equal(r.code, 0, r.stderr)
  const dir = join(cwd, 'shipshape/echo/compose')
  const calls = (await readFile(log, 'utf8')).trim().split('\n')
  assert.ok(calls.includes(`docker compose -p shipshape-test-v2 --project-directory ${dir} -f ${dir}/compose.yaml up -d --wait --wait-timeout 46`), calls.join('\n'))
})

test('a published port held by another program stops up before compose runs', async (t) => {
  // up asks the real daemon (docker-daemon) before the ports; only the port may be what stops it.
  if (!(await need(t, 'docker'))) return
  const cwd = await tempDir(t)
  const log = join(cwd, 'calls.log')
  await fakeExecutable(join(cwd, 'bin'), 'docker', `echo "docker $*" >> '${log}'\ncase "$*" in "compose version --short") echo 2.29.7 ;; esac`)
  const env = cleanEnv({ HOME: cwd, PATH: `${join(cwd, 'bin')}:${process.env.PATH}` })
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  const port = (server.address() as { port: number }).port
  const r = await runCli(['up', 'echo', '--set', `port=${port}`], { cwd, env })
  assert.equal(r.code, 1)
  // The ports check, with this stack's values, says it first (and the fix), before compose could.
  assert.match(r.stderr, /needs these checks to be ok .*not ok: ports \(fail\)/)
  assert.match(r.stderr, new RegExp(`${port} \\(echo nginx\\) is taken by a process outside Docker`))
  assert.ok(!(await readFile(log, 'utf8')).includes(' up '), 'compose up never ran')
})

test('up --target k8s with an unreachable cluster stops at the checks: exit 1, the report on stderr, nothing applied', async (t) => {
  const { cwd, env } = await fakes(t, happyKubectl)
  // kubectl answers for itself but cannot reach the API server: the real kubectl's output, recorded
  // against the kubeconfig's server (127.0.0.1:8443) with nothing listening there.
  await fakeExecutable(join(cwd, 'bin'), 'kubectl', `echo "kubectl $*" >> '${join(cwd, 'calls.log')}'
[ "$1" = version ] && [ "$2" = --client ] && { cat '${join(fixturesDir, 'kubectl-version.client-1.32.json')}'; exit 0; }
[ "$1" = version ] && { cat '${join(fixturesDir, 'kubectl-version.refused-127.0.0.1-8443.stdout.json')}'; cat '${join(fixturesDir, 'kubectl-version.refused-127.0.0.1-8443.stderr.txt')}' >&2; exit 1; }
exit 0`)
  const r = await runCli(['up', 'echo', '--target', 'k8s', '--timeout', '10000'], { cwd, env })
  assert.equal(r.code, 1)
  assert.match(r.stderr, /^shipshape: echo \(k8s\) needs these checks to be ok before shipshape can start it; not ok: kube-context \(fail\)/)
  assert.match(r.stderr, /\[✗\] Kubernetes cluster: .*127\.0\.0\.1:8443/)
  assert.doesNotMatch(await readFile(join(cwd, 'calls.log'), 'utf8'), /kubectl apply/)
})

test('with namespace=, up applies the Namespace with the rest and waits in it; down keeps the Namespace', async (t) => {
  const { cwd, env, calls } = await fakes(t, happyKubectl)
  const up = await runCli(['up', 'mongodb', '--target', 'k8s', '--set', 'namespace=db', '--timeout', '60000'], { cwd, env })
  assert.equal(up.code, 0, up.stderr)
  const log = await calls()
  assert.equal(log[0], `kubectl apply -f ${join(cwd, 'shipshape/mongodb/k8s/mongodb.yaml')}`)
  assert.match(log[1], /^kubectl --namespace db rollout status statefulset\/mongodb --timeout=\d+s$/)
  assert.match(up.stdout, /mongodb: kubectl --namespace db port-forward service\/mongodb 27017:27017/)
  const down = await runCli(['down', 'mongodb', '--target', 'k8s', '--set', 'namespace=db', '--volumes'], { cwd, env })
  assert.equal(down.code, 0, down.stderr)
  // Deleting the Namespace would take everything in it along, volume claims included.
  const handed = await readFile(join(cwd, 'stdin.yaml'), 'utf8')
  assert.doesNotMatch(handed, /^kind: Namespace$/m)
  for (const kind of ['Secret', 'Service', 'StatefulSet']) assert.match(handed, new RegExp(`^kind: ${kind}$`, 'm'))
  assert.ok((await calls()).includes('kubectl --namespace db delete pvc --ignore-not-found -l app.kubernetes.io/name=mongodb,app.kubernetes.io/instance=mongodb'))
  assert.match(down.stdout, /its volume claims were removed\. The namespace db is kept \(`kubectl delete namespace db` removes it and all in it\)\.\n$/)
})

test('an Elasticsearch up lists its client Service to forward, not the StatefulSet\'s headless one', async (t) => {
  const { cwd, env } = await fakes(t, happyKubectl)
  const r = await runCli(['up', 'elasticsearch', '--target', 'k8s', '--timeout', '60000'], { cwd, env })
  assert.equal(r.code, 0, r.stderr)
  assert.doesNotMatch(r.stdout, /headless/)
  assert.match(r.stdout, /elasticsearch: kubectl port-forward service\/elasticsearch 9200:9200/)
})
