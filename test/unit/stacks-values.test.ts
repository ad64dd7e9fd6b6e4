// Values: the order they win in, and every bad input refused with a message that names where.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { parseConfig } from '../../lib/config.js'
import { UsageError } from '../../lib/errors.js'
import { loadStack } from '../../lib/stacks/catalog.js'
import { closest } from '../../lib/suggest.js'
import { applyRules } from '../../lib/stacks/rules.js'
import { resolveValues } from '../../lib/stacks/values.js'
import { debian12, put, tempDir } from '../helpers.js'

test('defaults < shipshape.yaml stacks.<name> < --values files in order < --set in order', async (t) => {
  const dir = await tempDir(t)
  const stack = await loadStack('echo')
  const config = await parseConfig('stacks:\n  echo:\n    port: 8001\n    replicas: 2\n    name: from-config\n', join(dir, 'shipshape.yaml'))
  await put(join(dir, 'a.yaml'), 'port: 8002\nreplicas: 3\n')
  await put(join(dir, 'b.yaml'), 'port: 8003\n')
  const v = await resolveValues(stack, { config, valuesFiles: ['a.yaml', 'b.yaml'], sets: ['port=8004', 'port=8005'], cwd: dir })
  assert.equal(v.port, 8005)
  assert.equal(v.replicas, 3)
  assert.equal(v.name, 'from-config')
  assert.equal(v.workload, 'deployment')
  assert.equal(v.nodePort, undefined)
})

async function refused(sets: string[], pattern: RegExp, stackName = 'echo') {
  const stack = await loadStack(stackName)
  await assert.rejects(
    async () => applyRules(stackName, await resolveValues(stack, { sets, cwd: process.cwd() }), debian12),
    (e: unknown) => e instanceof UsageError && pattern.test(e.message),
  )
}

test('a mistyped parameter is refused with the closest name', () => refused(['replica=2'], /--set replica=2: unknown parameter 'replica' for stack echo\. Did you mean 'replicas'\?/))
test('a value of the wrong type is refused, naming the parameter', () => refused(['replicas=two'], /--set replicas=two: parameter 'replicas': expected a whole number, got "two"/))
test('a bool must be true or false', () => refused(['security=yes'], /parameter 'security': expected true or false/, 'elasticsearch'))
test('a name that is not DNS-1123 is refused', () => refused(['name=Sample_Echo'], /parameter 'name': expected a DNS-1123 name/))
test('an enum value outside its list is refused', () => refused(['workload=daemonset'], /parameter 'workload': expected one of pod, replicaset, deployment/))
test('a port out of range is refused', () => refused(['port=70000'], /parameter 'port': expected a port from 1 to 65535/))
test('a NodePort outside 30000-32767 is refused', () => refused(['serviceType=NodePort', 'nodePort=8080'], /nodePort.*30000-32767/))
test('nodePort without serviceType=NodePort is refused', () => refused(['nodePort=30080'], /only a NodePort Service has one/))
test('ExternalName without externalName is refused', () => refused(['serviceType=ExternalName'], /needs externalName/))
test('a bad quantity is refused', () => refused(['memLimit=lots'], /parameter 'memLimit': expected a quantity/, 'mongodb'))
test('a bad image reference is refused', () => refused(['nginxImage=nginx:latest; rm -rf /'], /parameter 'nginxImage': expected an image reference/))
test('--set without = is refused', () => refused(['replicas'], /--set 'replicas': expected key=value/))
test('a heap larger than the memory limit is refused', () => refused(['heapMb=4096', 'memLimit=2Gi'], /heapMb.*does not fit in memLimit 2Gi/, 'elasticsearch'))
test('7.x as in the guides still renders, with security off before 7.8', async () => {
  const stack = await loadStack('elasticsearch')
  const v = applyRules('elasticsearch', await resolveValues(stack, { sets: ['version=7.5.2', 'security=false'], cwd: '.' }), debian12).values
  assert.equal(v.image, 'docker.elastic.co/elasticsearch/elasticsearch:7.5.2')
  await refused(['version=7.5.2'], /no kibana_system user/, 'elasticsearch')
})
test('an arm64 machine with an Elasticsearch that has no arm64 image is refused', async () => {
  const stack = await loadStack('elasticsearch')
  const values = await resolveValues(stack, { sets: ['version=7.5.2', 'security=false'], cwd: '.' })
  assert.throws(() => applyRules('elasticsearch', values, { ...debian12, arch: 'arm64' }), /no arm64 image \(arm64 images start at 7\.8\.0\)/)
  assert.doesNotThrow(() => applyRules('elasticsearch', { ...values, version: '7.17.0' }, { ...debian12, arch: 'arm64' }))
})
test('a host dataDir warns on macOS and WSL', async () => {
  const stack = await loadStack('mongodb')
  const values = await resolveValues(stack, { sets: ['dataDir=./db'], cwd: '.' })
  assert.match(applyRules('mongodb', values, { ...debian12, kind: 'macos' }).warnings.join(), /unreliable for MongoDB on macOS/)
  assert.deepEqual(applyRules('mongodb', values, debian12).warnings, [])
})

test('a values file that is not YAML is refused with file:line:column', async (t) => {
  const dir = await tempDir(t)
  const file = await put(join(dir, 'bad.yaml'), 'port: 8080\nreplicas: [1, 2\n')
  const stack = await loadStack('echo')
  await assert.rejects(resolveValues(stack, { valuesFiles: [file], cwd: dir }), (e: Error) => e instanceof UsageError && e.message.startsWith(`${file}:`) && /invalid YAML/.test(e.message) && /:\d+:\d+:/.test(e.message))
})

test('a wrong value in a values file names its line and column', async (t) => {
  const dir = await tempDir(t)
  const file = await put(join(dir, 'v.yaml'), '# team values\nport: 8080\nreplicas: many\n')
  const stack = await loadStack('echo')
  await assert.rejects(resolveValues(stack, { valuesFiles: [file], cwd: dir }), (e: Error) => e instanceof UsageError && e.message.startsWith(`${file}:3:1: parameter 'replicas'`))
})

test('an unknown parameter in shipshape.yaml names its place', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'shipshape.yaml')
  // Refused when the config is read, by the same check render makes, so every command refuses it.
  await assert.rejects(parseConfig('stacks:\n  mongodb:\n    pasword: x\n', file), (e: Error) => e instanceof UsageError && e.message.startsWith(`${file}:3:5:`) && /unknown parameter 'pasword' for stack mongodb/.test(e.message))
})

test('a values file that is missing is refused', async () => {
  const stack = await loadStack('echo')
  await assert.rejects(resolveValues(stack, { valuesFiles: ['/nonexistent/v.yaml'], cwd: '.' }), /\/nonexistent\/v\.yaml: cannot read the values file \(ENOENT\)/)
})

test('an unknown stack is refused with the closest name', async () => {
  await assert.rejects(loadStack('elasticsaerch'), (e: Error) => e instanceof UsageError && /unknown stack 'elasticsaerch'\. Did you mean 'elasticsearch'\?/.test(e.message))
  await assert.rejects(loadStack('postgres'), (e: Error) => e instanceof UsageError && !/Did you mean/.test(e.message) && /Stacks: echo, elasticsearch, mongodb/.test(e.message))
  assert.equal(closest('mongo', ['echo', 'elasticsearch', 'mongodb']), 'mongodb')
  assert.equal(closest('elastic', ['echo', 'elasticsearch', 'mongodb']), 'elasticsearch', 'a beginning beats a shorter name at a smaller edit distance')
})
test('an empty value is refused rather than rendered as an empty slot', () => refused(['dataDir='], /parameter 'dataDir': expected a value \(an empty one is not allowed\)/, 'mongodb'))
