// `shipshape render` as a user runs it: files written (0600 for secrets), passwords kept across
// re-renders, --force and its backup, bad input refused with exit 2 and nothing written, and the
// output read by the real kubectl and docker-compose on this machine.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { need } from '../gate.js'
import { cleanEnv, cliPath, runCli, runProcess, tempDir } from '../helpers.js'
import { readYaml11 } from '../stacks.js'
import { createProbe } from '../../lib/probe.js'

const envOf = (cwd: string) => cleanEnv({ HOME: cwd })

test('render writes the compose files, the .env with mode 0600, and prints no password', async (t) => {
  const cwd = await tempDir(t)
  const r = await runCli(['render', 'mongodb'], { cwd, env: envOf(cwd) })
  assert.equal(r.code, 0, r.stderr)
  const dir = join(cwd, 'shipshape/mongodb/compose')
  assert.deepEqual((await readdir(dir)).sort(), ['.env', '.shipshape-rendered.json', 'compose.yaml'])
  assert.equal((await stat(join(dir, '.env'))).mode & 0o777, 0o600)
  const password = /MONGO_INITDB_ROOT_PASSWORD=(\S+)/.exec(await readFile(join(dir, '.env'), 'utf8'))![1]
  assert.ok(!r.stdout.includes(password) && !r.stderr.includes(password))
  const shown = await runCli(['render', 'mongodb', '--show-secrets'], { cwd, env: envOf(cwd) })
  assert.match(shown.stdout, new RegExp(`MONGO_INITDB_ROOT_PASSWORD=${password}`))
})

test('render elasticsearch with security=false writes no password, no .env and says none', async (t) => {
  const cwd = await tempDir(t)
  for (const target of ['compose', 'k8s']) {
    const r = await runCli(['render', 'elasticsearch', '--target', target, '--set', 'security=false'], { cwd, env: envOf(cwd) })
    assert.equal(r.code, 0, r.stderr)
    assert.doesNotMatch(r.stdout, /passwords/)
    const dir = join(cwd, 'shipshape/elasticsearch', target)
    // Beside the render, the record of what was rendered (hashes, for re-rendering): no secret either.
    const files = (await readdir(dir)).sort()
    const rendered = target === 'compose' ? 'compose.yaml' : 'elasticsearch.yaml'
    assert.deepEqual(files, ['.shipshape-rendered.json', rendered])
    assert.equal((await stat(join(dir, rendered))).mode & 0o777, 0o644, 'nothing secret in it')
    assert.doesNotMatch(await readFile(join(dir, '.shipshape-rendered.json'), 'utf8'), /PASSWORD|password/)
  }
})

test('render --target k8s says which Pod Security profile the Pods meet and the label that enforces it', async (t) => {
  const cwd = await tempDir(t)
  const r = await runCli(['render', 'echo', '--target', 'k8s', '--set', 'podSecurity=restricted'], { cwd, env: envOf(cwd) })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^These Pods meet the "restricted" Pod Security profile\. A cluster admin enforces it on their namespace: kubectl label namespace <namespace> pod-security\.kubernetes\.io\/enforce=restricted$/m)
})

test('re-rendering keeps the passwords, even when other values change (with --force)', async (t) => {
  const cwd = await tempDir(t)
  for (const target of ['compose', 'k8s']) {
    assert.equal((await runCli(['render', 'elasticsearch', '--target', target], { cwd, env: envOf(cwd) })).code, 0)
    const file = join(cwd, `shipshape/elasticsearch/${target}`, target === 'compose' ? '.env' : 'elasticsearch.yaml')
    const before = await readFile(file, 'utf8')
    const again = await runCli(['render', 'elasticsearch', '--target', target, '--set', 'port=9201', '--force'], { cwd, env: envOf(cwd) })
    assert.equal(again.code, 0, again.stderr)
    const after = await readFile(file, 'utf8')
    const secretsOf = (text: string) => [...text.matchAll(/(?:PASSWORD=|-password: )(\S+)/g)].map((m) => m[1])
    assert.equal(secretsOf(before).length, 2)
    assert.deepEqual(secretsOf(after), secretsOf(before), target)
    assert.equal((await stat(file)).mode & 0o777, 0o600)
  }
})

test('an existing file that differs is not overwritten without --force: exit 2, nothing touched', async (t) => {
  const cwd = await tempDir(t)
  assert.equal((await runCli(['render', 'echo'], { cwd, env: envOf(cwd) })).code, 0)
  const dir = join(cwd, 'shipshape/echo/compose')
  await writeFile(join(dir, 'compose.yaml'), '# edited by hand\n')
  const template = await readFile(join(dir, 'default.conf.template'), 'utf8')
  const r = await runCli(['render', 'echo', '--set', 'port=8099'], { cwd, env: envOf(cwd) })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /compose\.yaml:1: edited by hand since the last render; nothing was written\. .*--force/)
  assert.equal(await readFile(join(dir, 'compose.yaml'), 'utf8'), '# edited by hand\n')
  assert.equal(await readFile(join(dir, 'default.conf.template'), 'utf8'), template)
  const forced = await runCli(['render', 'echo', '--set', 'port=8099', '--force'], { cwd, env: envOf(cwd) })
  assert.equal(forced.code, 0, forced.stderr)
  assert.match(await readFile(join(dir, 'compose.yaml'), 'utf8'), /127\.0\.0\.1:8099:80/)
  assert.equal(await readFile(join(dir, 'compose.yaml.bak'), 'utf8'), '# edited by hand\n')
})

test('bad input exits 2 with the problem named and writes nothing', async (t) => {
  const cwd = await tempDir(t)
  await writeFile(join(cwd, 'bad.yaml'), 'replicas: [1,\n')
  const cases: Array<[string[], RegExp]> = [
    [['render', 'mongo-db'], /unknown stack 'mongo-db'\. Did you mean 'mongodb'\?/],
    [['render', 'echo', '--set', 'replicaz=2'], /unknown parameter 'replicaz' for stack echo\. Did you mean 'replicas'\?/],
    [['render', 'echo', '--set', 'port=http'], /parameter 'port': expected a whole number/],
    [['render', 'echo', '--values', 'bad.yaml'], /bad\.yaml:\d+:\d+: invalid YAML/],
    [['render', 'echo', '--set', 'name=Echo!'], /parameter 'name': expected a DNS-1123 name/],
    [['render', 'echo', '--target', 'k8s', '--set', 'serviceType=NodePort', '--set', 'nodePort=29999'], /outside the NodePort range 30000-32767/],
    [['render', 'echo', '--target', 'swarm'], /unknown target 'swarm'/],
    [['render', 'mongodb', '--target', 'k8s', '--out', '-'], /holds generated passwords; add --show-secrets/],
    [
      ['render', 'elasticsearch', '--target', 'k8s', '--set', 'kernelSettings=init', '--set', 'podSecurity=restricted'],
      /parameter 'kernelSettings': init runs a privileged init container \(sysctl -w vm\.max_map_count=262144\), which the Pod Security profile podSecurity=restricted does not admit/,
    ],
  ]
  for (const [args, message] of cases) {
    const r = await runCli(args, { cwd, env: envOf(cwd) })
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    assert.match(r.stderr, message)
  }
  assert.deepEqual(await readdir(cwd), ['bad.yaml'])
})

test('render --out - prints a multi-document stream that kubectl reads offline', async (t) => {
  const cwd = await tempDir(t)
  const r = await runCli(['render', 'echo', '--target', 'k8s', '--out', '-', '--set', 'workload=replicaset', '--set', 'name=no'], { cwd, env: envOf(cwd) })
  assert.equal(r.code, 0, r.stderr)
  assert.deepEqual(await readdir(cwd), [])
  const kinds = ((await readYaml11(r.stdout)) as Array<{ kind: string; metadata: { name: unknown } }>).map((d) => `${d.kind}/${d.metadata.name}`)
  assert.deepEqual(kinds, ['ConfigMap/no', 'ReplicaSet/no', 'Service/no'])
  // kubectl decodes each object into its Go type (YAML 1.1: an unquoted `no` would be a bool and fail).
  if (!(await need(t, 'kubectl'))) return
  const kubectl = await runProcess('kubectl', ['annotate', '--local', '-f', '-', 'checked=yes', '-o', 'name'], { input: r.stdout, env: cleanEnv({ KUBECONFIG: '/dev/null' }), timeoutMs: 30_000 })
  assert.equal(kubectl.code, 0, kubectl.stderr)
  assert.deepEqual(kubectl.stdout.trim().split('\n'), ['configmap/no', 'replicaset.apps/no', 'service/no'])
})

test('every stack written for k8s is read by the real kubectl, and for compose by docker-compose config', async (t) => {
  if (!(await need(t, 'kubectl', 'docker-compose'))) return
  const cwd = await tempDir(t)
  const probe = createProbe({ env: cleanEnv({ KUBECONFIG: '/dev/null' }) })
  for (const stack of ['echo', 'elasticsearch', 'mongodb']) {
    assert.equal((await runCli(['render', stack, '--target', 'k8s'], { cwd, env: envOf(cwd) })).code, 0)
    const k = await probe(['kubectl', 'annotate', '--local', '-f', join(cwd, 'shipshape', stack, 'k8s', `${stack}.yaml`), 'checked=yes', '-o', 'name'], { timeoutMs: 30_000 })
    assert.equal(k.ok, true, `${stack}: ${k.stderr}`)
    assert.equal((await runCli(['render', stack], { cwd, env: envOf(cwd) })).code, 0)
    const dir = join(cwd, 'shipshape', stack, 'compose')
    const c = await probe(['docker-compose', '--project-directory', dir, '-f', join(dir, 'compose.yaml'), 'config', '-q'], { timeoutMs: 30_000, cwd: dir })
    assert.equal(c.ok, true, `${stack}: ${c.stderr}`)
  }
})

test('render prints to a shell pipe by default, as in `shipshape render echo --target k8s | kubectl apply -f -`', async (t) => {
  const cwd = await tempDir(t)
  const line = `'${process.execPath}' '${cliPath}' render echo --target k8s | cat`
  const r = await runProcess('sh', ['-c', line], { cwd, env: envOf(cwd) })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^kind: Deployment$/m)
  assert.deepEqual(await readdir(cwd), [], 'nothing written when printing')
})

test('render --params lists every parameter with its type and default, and writes nothing', async (t) => {
  const cwd = await tempDir(t)
  const r = await runCli(['render', 'elasticsearch', '--params'], { cwd, env: envOf(cwd) })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^ {2}version +version +8\.\d+\.\d+ +Elasticsearch and Kibana version/m)
  assert.match(r.stdout, /^ {2}security +bool +true /m)
  assert.match(r.stdout, /^ {2}image +image +- /m)
  assert.deepEqual(await readdir(cwd), [])
})
