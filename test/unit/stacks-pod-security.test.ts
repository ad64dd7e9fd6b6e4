// What a real cluster needs of the stacks' Kubernetes renders: every workload of every stack checked
// field by field against the Pod Security Standards' documented tables (test/pod-security-standards.ts;
// no API server here), the Elasticsearch StatefulSet's headless Service and volume ownership, the
// vm.max_map_count choices, the refusal of a privileged init container under a profile, the Namespace,
// and no password anywhere with security off.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readYaml11, renderWith, STACKS } from '../stacks.js'
import { ROWS } from '../bands.js'
import { podOf, violations, type Profile } from '../pod-security-standards.js'
import { validateObjects } from '../../lib/stacks/validate.js'
import type { K8sObject } from '../../lib/stacks/render.js'

// Every shape a stack's workloads take: echo's three workload kinds, Elasticsearch with and without security.
const VARIANTS: Array<{ stack: string; sets: string[] }> = [
  { stack: 'echo', sets: ['workload=deployment'] },
  { stack: 'echo', sets: ['workload=replicaset'] },
  { stack: 'echo', sets: ['workload=pod'] },
  { stack: 'elasticsearch', sets: [] },
  { stack: 'elasticsearch', sets: ['security=false'] },
  { stack: 'mongodb', sets: [] },
]

const workloads = (objects: K8sObject[]) => objects.filter((o) => podOf(o) !== null)

function assertMeets(objects: K8sObject[], profile: Profile, what: string) {
  const found = workloads(objects)
  assert.ok(found.length > 0, `${what}: no workload`)
  for (const o of found) assert.deepEqual(violations(podOf(o)!, profile), [], `${what}: ${o.kind}/${o.metadata.name} against ${profile}`)
}

for (const { stack, sets } of VARIANTS) {
  const what = [stack, ...sets].join(' ')
  test(`${what}: by default every workload meets the baseline profile, and none is privileged`, async () => {
    const r = await renderWith(stack, 'k8s', sets)
    assertMeets(r.objects, 'baseline', what)
    for (const o of workloads(r.objects)) {
      const { spec } = podOf(o)!
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) assert.notEqual(c.securityContext?.privileged, true, `${o.kind}/${o.metadata.name} ${c.name}`)
    }
    assert.match(r.files[0].text, /^# These Pods meet the "baseline" Pod Security profile\. .*kubectl label namespace <namespace> pod-security\.kubernetes\.io\/enforce=baseline$/m)
  })

  test(`${what}: with podSecurity=restricted every workload meets the restricted profile`, async () => {
    const r = await renderWith(stack, 'k8s', [...sets, 'podSecurity=restricted'])
    assertMeets(r.objects, 'restricted', what)
    assert.deepEqual(await validateObjects(r.objects), [])
  })
}

test('Elasticsearch and MongoDB meet the restricted profile even by default; only echo\'s stock nginx needs podSecurity=restricted', async () => {
  for (const stack of ['elasticsearch', 'mongodb']) assertMeets((await renderWith(stack, 'k8s')).objects, 'restricted', stack)
})

test('every Elasticsearch band renders workloads that meet the restricted profile', async () => {
  for (const { version } of ROWS) assertMeets((await renderWith('elasticsearch', 'k8s', [`version=${version}`, 'podSecurity=restricted'])).objects, 'restricted', version)
})

test('the checker fails what the profiles forbid: the sysctl init container fails baseline, root nginx fails restricted', async () => {
  const init = await renderWith('elasticsearch', 'k8s', ['kernelSettings=init'])
  const set = init.objects.find((o) => o.kind === 'StatefulSet')!
  assert.deepEqual(violations(podOf(set)!, 'baseline'), ['Privileged Containers: spec.initContainers[0].securityContext.privileged = true'])
  const echo = await renderWith('echo', 'k8s')
  const nginx = violations(podOf(echo.objects.find((o) => o.kind === 'Deployment'))!, 'restricted')
  assert.ok(nginx.includes('Running as Non-root: spec.securityContext.runAsNonRoot = undefined'), nginx.join('\n'))
  assert.ok(nginx.includes('Privilege Escalation: spec.containers[0].securityContext.allowPrivilegeEscalation = undefined'), nginx.join('\n'))
})

test('under restricted nginx runs its unprivileged image as uid 101 on 8081, apart from the echo server on 8080', async () => {
  const r = await renderWith('echo', 'k8s', ['podSecurity=restricted'])
  const [nginx, echo] = podOf(r.objects.find((o) => o.kind === 'Deployment'))!.spec.containers
  assert.equal(nginx.image, 'nginxinc/nginx-unprivileged:1.27-alpine')
  assert.equal(nginx.securityContext.runAsUser, 101)
  assert.deepEqual(nginx.ports, [{ name: 'http', containerPort: 8081 }])
  assert.deepEqual(nginx.env.find((e: { name: string }) => e.name === 'NGINX_PORT'), { name: 'NGINX_PORT', value: '8081' })
  assert.deepEqual(echo.ports.map((p: { containerPort: number }) => p.containerPort), [8080])
  assert.match(r.objects.find((o) => o.kind === 'ConfigMap')!.data['default.conf.template'], /listen \$\{NGINX_PORT\};/)
  // The Service still answers on its port and reaches nginx by the port's name.
  assert.equal(r.objects.find((o) => o.kind === 'Service')!.spec.ports[0].targetPort, 'http')
})

test('Elasticsearch: a headless Service is the StatefulSet\'s serviceName, beside the client Service of the chosen type', async () => {
  for (const type of ['ClusterIP', 'NodePort', 'LoadBalancer']) {
    const r = await renderWith('elasticsearch', 'k8s', [`serviceType=${type}`])
    const set = r.objects.find((o) => o.kind === 'StatefulSet')!
    const headless = r.objects.find((o) => o.kind === 'Service' && o.metadata.name === set.spec.serviceName)!
    assert.equal(headless.spec.clusterIP, 'None')
    assert.deepEqual(headless.spec.selector, set.spec.selector.matchLabels)
    const client = r.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'elasticsearch')!
    assert.notEqual(client.spec.clusterIP, 'None')
    assert.equal(client.spec.type, type)
    assert.equal(r.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'elasticsearch-kibana')!.spec.type, type)
    assert.deepEqual(await validateObjects(r.objects), [])
  }
})

test('volume ownership: fsGroup and runAsUser 1000 for Elasticsearch, Kibana and the setup Job, 999 for MongoDB', async () => {
  const es = await renderWith('elasticsearch', 'k8s')
  for (const kind of ['StatefulSet', 'Deployment', 'Job']) {
    const { spec } = podOf(es.objects.find((o) => o.kind === kind))!
    assert.equal(spec.securityContext.fsGroup, 1000, kind)
    assert.equal(spec.securityContext.runAsUser, 1000, kind)
  }
  const mongo = podOf((await renderWith('mongodb', 'k8s')).objects.find((o) => o.kind === 'StatefulSet'))!.spec
  assert.equal(mongo.securityContext.fsGroup, 999)
  assert.equal(mongo.securityContext.runAsUser, 999)
})

const envOf = (container: { env: Array<{ name: string; value?: string }> }) => Object.fromEntries(container.env.map((e) => [e.name, e.value]))

test('kernelSettings: mmapOff (default) turns mmap off; init adds the privileged sysctl init container; none does neither', async () => {
  const esOf = async (sets: string[]) => podOf((await renderWith('elasticsearch', 'k8s', sets)).objects.find((o) => o.kind === 'StatefulSet'))!.spec
  const mmapOff = await esOf([])
  assert.equal(envOf(mmapOff.containers[0])['node.store.allow_mmap'], 'false')
  assert.equal(mmapOff.initContainers, undefined)
  const init = await esOf(['kernelSettings=init'])
  assert.equal(init.initContainers.length, 1)
  assert.deepEqual(init.initContainers[0].command, ['sh', '-c', 'sysctl -w vm.max_map_count=262144'])
  assert.equal(init.initContainers[0].securityContext.privileged, true)
  assert.equal(init.initContainers[0].securityContext.runAsUser, 0)
  assert.equal('node.store.allow_mmap' in envOf(init.containers[0]), false)
  const none = await esOf(['kernelSettings=none'])
  assert.equal(none.initContainers, undefined)
  assert.equal('node.store.allow_mmap' in envOf(none.containers[0]), false)
  // 6.x has no node.store.allow_mmap (it would refuse to start with it): left out, and the manifest says what the node needs.
  const old = await renderWith('elasticsearch', 'k8s', ['version=6.8.23'])
  assert.equal('node.store.allow_mmap' in envOf(podOf(old.objects.find((o) => o.kind === 'StatefulSet'))!.spec.containers[0]), false)
  assert.match(old.files[0].text, /^# Elasticsearch 6\.8\.23 has no node\.store\.allow_mmap .*vm\.max_map_count=262144/m)
})

test('kernelSettings=init with either Pod Security profile is refused, saying why', async () => {
  for (const profile of ['baseline', 'restricted']) {
    await assert.rejects(
      renderWith('elasticsearch', 'k8s', ['kernelSettings=init', `podSecurity=${profile}`]),
      new RegExp(`parameter 'kernelSettings': init runs a privileged init container .*podSecurity=${profile} does not admit`),
    )
  }
  const r = await renderWith('elasticsearch', 'k8s', ['kernelSettings=init'])
  assert.match(r.files[0].text, /^# These Pods need the "privileged" Pod Security profile .*enforce=privileged$/m)
})

test('namespace: a Namespace enforcing the profile leads the manifest and every object is in it', async () => {
  for (const stack of STACKS) {
    const r = await renderWith(stack, 'k8s', ['namespace=team-a', 'podSecurity=restricted'])
    const [ns, ...rest] = r.objects
    assert.deepEqual([ns.kind, ns.metadata.name, ns.metadata.labels['pod-security.kubernetes.io/enforce']], ['Namespace', 'team-a', 'restricted'], stack)
    for (const o of rest) assert.equal(o.metadata.namespace, 'team-a', `${stack} ${o.kind}/${o.metadata.name}`)
    assert.deepEqual(await validateObjects(r.objects), [])
    const without = await renderWith(stack, 'k8s')
    assert.equal(without.objects.some((o) => o.kind === 'Namespace' || o.metadata.namespace !== undefined), false, stack)
  }
  await assert.rejects(renderWith('echo', 'k8s', ['namespace=kube-system']), /parameter 'namespace': 'kube-system' starts with kube-, which Kubernetes reserves/)
})

test('security=false renders no password, no Secret, no setup and no .env, for compose and Kubernetes', async () => {
  for (const target of ['compose', 'k8s'] as const) {
    const r = await renderWith('elasticsearch', target, ['security=false'])
    assert.deepEqual(r.secrets, {}, target)
    assert.deepEqual(r.files.map((f) => f.path), [target === 'compose' ? 'compose.yaml' : 'elasticsearch.yaml'])
    assert.equal(r.files[0].secret, false)
    // Comments aside (the compose file says what security on would add).
    assert.doesNotMatch(r.files[0].text.replace(/^\s*#.*$/gm, ''), /PASSWORD|password|USERNAME|credentials/, target)
  }
  const k8s = await renderWith('elasticsearch', 'k8s', ['security=false'])
  assert.deepEqual(k8s.objects.map((o) => o.kind), ['Service', 'Service', 'StatefulSet', 'Deployment', 'Service'])
  const compose = (await readYaml11((await renderWith('elasticsearch', 'compose', ['security=false'])).files[0].text))[0] as { services: Record<string, { depends_on?: object }> }
  assert.deepEqual(Object.keys(compose.services), ['elasticsearch', 'kibana'])
  assert.deepEqual(Object.keys(compose.services.kibana.depends_on ?? {}), ['elasticsearch'])
})
