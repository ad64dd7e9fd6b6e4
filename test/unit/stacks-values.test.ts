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
test('7.x as in the guides renders with security on too, as the band before 7.8 has it', async () => {
  const stack = await loadStack('elasticsearch')
  const v = applyRules('elasticsearch', await resolveValues(stack, { sets: ['version=7.5.2'], cwd: '.' }), debian12).values
  assert.equal(v.image, 'docker.elastic.co/elasticsearch/elasticsearch:7.5.2')
  assert.equal(v.kibanaUser, 'kibana')
  await refused(['version=5.6.16'], /parameter 'version': Elasticsearch 5\.6\.16 is older than shipshape knows; choose 6\.0\.0 or later/, 'elasticsearch')
})
test('Elasticsearch before 7.8 on Apple Silicon runs as linux/amd64 under Rosetta; another arm64 machine is refused', async () => {
  const stack = await loadStack('elasticsearch')
  const values = await resolveValues(stack, { sets: ['version=7.5.2'], cwd: '.' })
  const mac = { ...debian12, kind: 'macos' as const, arch: 'arm64', distro: null, macos: { version: '15.1' } }
  const old = applyRules('elasticsearch', values, mac)
  assert.equal(old.values.platform, 'linux/amd64')
  assert.equal(old.values.kibanaPlatform, 'linux/amd64')
  assert.match(old.warnings.join('\n'), /run as linux\/amd64 under Rosetta.*Docker Desktop's "Use Rosetta for x86_64\/amd64 emulation on Apple Silicon" setting must be on/)
  const current = applyRules('elasticsearch', { ...values, version: '7.17.0' }, mac)
  assert.equal(current.values.platform, undefined, 'an image with an arm64 build is not forced')
  assert.deepEqual(current.warnings, [])
  assert.equal(applyRules('elasticsearch', values, { ...mac, arch: 'x64' }).values.platform, undefined, 'an Intel Mac runs amd64 natively')
  assert.throws(() => applyRules('elasticsearch', values, { ...debian12, arch: 'arm64' }), /no arm64 image \(arm64 images start at 7\.8\.0\)/)
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

test('values that the engine or the cluster would refuse later are refused now, naming the parameter and the limit', async () => {
  await refused(['bind=999.999.999.999'], /parameter 'bind': expected an IPv4 address \(four numbers 0-255, such as 127\.0\.0\.1\) or an IPv6 literal/)
  await refused(['bind=127.0.0.256'], /parameter 'bind': expected an IPv4 address/, 'mongodb')
  await refused(['bind=localhost'], /parameter 'bind': expected an IPv4 address/, 'elasticsearch')
  await refused(['dataDir=/var/lib:/data'], /parameter 'dataDir': expected a host path without ':'/, 'mongodb')
  await refused(['serviceType=ExternalName', `externalName=${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.org`], /parameter 'externalName': expected a DNS name of at most 253 characters \(255 given\)/)
  await refused(['serviceType=ExternalName', `externalName=${'a'.repeat(64)}.example.org`], /parameter 'externalName': expected a DNS name whose labels .* at most 63/)
  await refused(['serviceType=ExternalName', 'externalName=not_a_host'], /parameter 'externalName': expected a DNS name/)
  await refused([`name=${'e'.repeat(53)}`], /parameter 'name': expected at most 52 characters \(53 given\)/, 'elasticsearch')
  await refused([`name=${'m'.repeat(53)}`], /parameter 'name': expected at most 52 characters \(53 given\)/, 'mongodb')
  await refused([`name=${'s'.repeat(64)}`], /parameter 'name': expected at most 63 characters \(64 given\)/)
  for (const bad of ['a\tb', 'a\u001b[31mred', 'a\u007fb', 'a\u0085b']) await refused([`rootUser=${bad}`], /parameter 'rootUser': control characters are not allowed \(found U\+00(09|1B|7F|85)\)/, 'mongodb')
})

test('what is within the limits renders: 52-character names, IPv6 binds, DNS names of 253', async () => {
  const stack = await loadStack('mongodb')
  const ok = await resolveValues(stack, { sets: [`name=${'m'.repeat(52)}`, 'bind=::1', 'dataDir=./data'], cwd: '.' })
  assert.equal(ok.name, 'm'.repeat(52))
  assert.equal(ok.bind, '::1')
  const echo = await loadStack('echo')
  const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`
  assert.equal(long.length, 253)
  assert.equal((await resolveValues(echo, { sets: ['serviceType=ExternalName', `externalName=${long}`], cwd: '.' })).externalName, long)
})

test('a control character in a values file is refused with its line', async (t) => {
  const dir = await tempDir(t)
  const file = await put(join(dir, 'v.yaml'), 'port: 27018\nrootUser: "ad\\tmin"\n')
  const stack = await loadStack('mongodb')
  await assert.rejects(resolveValues(stack, { valuesFiles: [file], cwd: dir }), (e: Error) => e instanceof UsageError && e.message.startsWith(`${file}:2:1: parameter 'rootUser': control characters`))
})
