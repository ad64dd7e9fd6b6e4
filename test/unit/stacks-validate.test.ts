// The Kubernetes checks run before anything is written: the schema, and the rules it misses.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { validateObjects } from '../../lib/stacks/validate.js'
import { renderWith } from '../stacks.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const echo = async (...sets: string[]): Promise<any[]> => structuredClone((await renderWith('echo', 'k8s', sets)).objects)

test('a value of the wrong type is caught by the schema', async () => {
  const objs = await echo()
  objs[1].spec.replicas = '2'
  assert.match((await validateObjects(objs)).join('\n'), /Deployment\/sample-echo: .*replicas must be integer/)
})

test('a selector that does not match the Pod template is caught', async () => {
  const objs = await echo()
  objs[1].spec.selector.matchLabels['app.kubernetes.io/name'] = 'other'
  const problems = (await validateObjects(objs)).join('\n')
  assert.match(problems, /Deployment\/sample-echo: spec\.selector\.matchLabels app\.kubernetes\.io\/name=other does not match the Pod template's labels/)
})

test('a Service that selects no Pod in the manifest is caught', async () => {
  const objs = await echo()
  objs[2].spec.selector['app.kubernetes.io/instance'] = 'elsewhere'
  assert.match((await validateObjects(objs)).join('\n'), /Service\/sample-echo: its selector matches no Pod template/)
})

test('names, ports and NodePorts out of range are caught', async () => {
  const objs = await echo('serviceType=NodePort', 'nodePort=30080')
  objs[0].metadata.name = 'Bad_Name'
  objs[1].spec.template.spec.containers[0].ports[0].containerPort = 70000
  objs[2].spec.ports[0].nodePort = 8080
  const problems = (await validateObjects(objs)).join('\n')
  assert.match(problems, /ConfigMap\/Bad_Name: metadata\.name 'Bad_Name' is not a valid DNS-1123 name/)
  assert.match(problems, /containerPort 70000 is not a port/)
  assert.match(problems, /nodePort 8080 is outside the NodePort range 30000-32767/)
})

test('an ExternalName Service needs externalName and has no selector', async () => {
  const objs = await echo('serviceType=ExternalName', 'externalName=echo.example.org')
  const svc = objs.find((o) => o.kind === 'Service')
  delete svc.spec.externalName
  svc.spec.selector = { app: 'x' }
  const problems = (await validateObjects(objs)).join('\n')
  assert.match(problems, /an ExternalName Service needs spec\.externalName/)
  assert.match(problems, /an ExternalName Service has no selector/)
})

test('a kind without a schema here is reported, not waved through', async () => {
  assert.match((await validateObjects([{ apiVersion: 'v1', kind: 'Nonsense', metadata: { name: 'x' } }])).join(), /no schema for v1 Nonsense/)
})

test('names and labels the API server takes but its controllers cannot use are caught', async () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const objs: any[] = structuredClone((await renderWith('mongodb', 'k8s')).objects)
  const set = objs.find((o) => o.kind === 'StatefulSet')
  set.metadata.name = 'm'.repeat(53)
  set.spec.template.metadata.labels['app.kubernetes.io/instance'] = 'i'.repeat(64)
  set.metadata.labels['app.kubernetes.io/part-of'] = 'not ok'
  const problems = (await validateObjects(objs)).join('\n')
  assert.match(problems, /StatefulSet\/m{53}: metadata\.name 'm{53}' is 53 characters; a StatefulSet's name is at most 52 \(its Pods get the label controller-revision-hash=<name>-<10-character hash>, at most 63\)/)
  assert.match(problems, /spec\.template\.metadata\.labels app\.kubernetes\.io\/instance='i{64}' is 64 characters; a label value is at most 63/)
  assert.match(problems, /metadata\.labels app\.kubernetes\.io\/part-of='not ok' is not a label value/)
})
