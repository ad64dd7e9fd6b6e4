// Rendering: golden files for every stack and target (compared parsed and as text), the YAML 1.1
// traps, values that try to break out of their scalar, and the optional-parameter and variant rules.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fixturesDir } from '../helpers.js'
import { masked, readYaml11, renderWith, STACKS } from '../stacks.js'
import { validateObjects } from '../../lib/stacks/validate.js'

for (const stack of STACKS) {
  for (const target of ['compose', 'k8s'] as const) {
    test(`${stack} renders to ${target} as its golden file`, async () => {
      const text = masked(await renderWith(stack, target))
      const golden = join(fixturesDir, 'stacks', `${stack}.${target}.txt`)
      const expected = await readFile(golden, 'utf8').catch(() => null)
      // Golden files are reviewed fixtures. SHIPSHAPE_UPDATE_GOLDEN=1 rewrites one that differs after a
      // deliberate template change, and the test still fails: a person reads the diff and commits it.
      if (process.env.SHIPSHAPE_UPDATE_GOLDEN === '1' && expected !== text) {
        await writeFile(golden, text)
        assert.fail(`${golden} was rewritten: review it (git diff test/fixtures/stacks), commit it, and run the tests again without SHIPSHAPE_UPDATE_GOLDEN`)
      }
      assert.ok(expected !== null, `${golden} is missing: write it with SHIPSHAPE_UPDATE_GOLDEN=1, review it and commit it`)
      const yamlParts = (t: string) => t.split(/^#### /m).filter((p) => /^\S+\.yaml\n/.test(p))
      const parsed = async (t: string) => Promise.all(yamlParts(t).map((p) => readYaml11(p)))
      assert.deepEqual(await parsed(text), await parsed(expected), 'the parsed documents differ')
      assert.equal(text, expected)
    })
  }
}

test('every stack renders to Kubernetes objects that pass the schema and the extra rules', async () => {
  for (const stack of STACKS) {
    const r = await renderWith(stack, 'k8s')
    assert.deepEqual(await validateObjects(r.objects), [], stack)
  }
})

test('YAML 1.1 traps come out quoted, so kubectl and docker-compose v1 read strings', async () => {
  for (const trap of ['no', 'on', 'y', 'off', 'yes', '0755', '22:22', '1e3', 'null', '~', '=', '<<', '.inf', '2001-12-14']) {
    const r = await renderWith('mongodb', 'k8s', [`rootUser=${trap}`])
    const secret = (await readYaml11(r.files[0].text))[0] as { stringData: { username: unknown } }
    assert.equal(secret.stringData.username, trap, `rootUser=${trap} must stay the string '${trap}'`)
    const compose = await renderWith('mongodb', 'compose', [`rootUser=${trap}`])
    const doc = (await readYaml11(compose.files[0].text))[0] as { services: { mongodb: { environment: Record<string, unknown> } } }
    assert.equal(doc.services.mongodb.environment.MONGO_INITDB_ROOT_USERNAME, trap)
  }
})

test('a value with ": ", "#" or "---" stays one scalar and adds no key or document; a newline is refused', async () => {
  const evil = 'a: b # not a comment --- kind: Secret c: d #e'
  const r = await renderWith('elasticsearch', 'k8s', [`clusterName=${evil}`])
  const docs = (await readYaml11(r.files[0].text)) as Array<{ kind: string; spec?: any }> // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(docs.map((d) => d.kind), ['Secret', 'Service', 'Service', 'StatefulSet', 'Job', 'Deployment', 'Service'])
  const env = docs[3].spec.template.spec.containers[0].env as Array<{ name: string; value: string }>
  assert.equal(env.find((e) => e.name === 'cluster.name')?.value, evil)
  const compose = await renderWith('elasticsearch', 'compose', [`clusterName=${evil}`])
  const doc = (await readYaml11(compose.files[0].text))[0] as { services: Record<string, { environment: string[] }> }
  assert.ok(doc.services.elasticsearch.environment.includes(`cluster.name=${evil}`))
  assert.deepEqual(Object.keys(doc.services), ['elasticsearch', 'setup', 'kibana'])
  await assert.rejects(renderWith('elasticsearch', 'k8s', ['clusterName=a: b\n---\nkind: Secret']), /parameter 'clusterName': control characters are not allowed \(found U\+000A\)/)
})

test("a '$' in a value is escaped for compose, which would otherwise interpolate it", async () => {
  const r = await renderWith('mongodb', 'compose', ['rootUser=ad$min${HOME}'])
  assert.match(r.files[0].text, /MONGO_INITDB_ROOT_USERNAME: ad\$\$min\$\$\{HOME\}/)
  const k8s = await renderWith('mongodb', 'k8s', ['rootUser=ad$min'])
  assert.match(k8s.files[0].text, /username: ad\$min\n/)
})

test('long strings are not folded', async () => {
  const long = 'x'.repeat(300) + ' ' + 'y '.repeat(100).trim()
  const r = await renderWith('elasticsearch', 'k8s', [`clusterName=${long}`])
  assert.ok(r.files[0].text.split('\n').some((line) => line.includes(long)))
})

test('comments of the templates are kept', async () => {
  const r = await renderWith('echo', 'compose')
  assert.match(r.files[0].text, /^# nginx in front of the echo server\./m)
})

test('workload picks the Kubernetes object; an unset nodePort leaves no key', async () => {
  for (const workload of ['pod', 'replicaset', 'deployment']) {
    const r = await renderWith('echo', 'k8s', [`workload=${workload}`])
    assert.deepEqual(r.objects.map((o) => o.kind), ['ConfigMap', { pod: 'Pod', replicaset: 'ReplicaSet', deployment: 'Deployment' }[workload], 'Service'])
    assert.deepEqual(await validateObjects(r.objects), [])
  }
  const clusterIp = await renderWith('echo', 'k8s')
  assert.equal('nodePort' in clusterIp.objects[2].spec.ports[0], false)
  const nodePort = await renderWith('echo', 'k8s', ['serviceType=NodePort', 'nodePort=30080'])
  assert.equal(nodePort.objects[2].spec.ports[0].nodePort, 30080)
  assert.equal(nodePort.objects[2].spec.type, 'NodePort')
})

test('serviceType ExternalName renders a Service without selector, pointing at externalName', async () => {
  const r = await renderWith('echo', 'k8s', ['serviceType=ExternalName', 'externalName=echo.example.org'])
  const svc = r.objects.find((o) => o.kind === 'Service')!
  assert.equal(svc.spec.externalName, 'echo.example.org')
  assert.equal(svc.spec.selector, undefined)
  assert.deepEqual(await validateObjects(r.objects), [])
})

test('quantities become bytes for compose and stay quantities for Kubernetes', async () => {
  const compose = await renderWith('mongodb', 'compose', ['memLimit=512Mi'])
  assert.match(compose.files[0].text, /mem_limit: 536870912\n/)
  const k8s = await renderWith('mongodb', 'k8s', ['memLimit=512Mi'])
  assert.equal(k8s.objects[2].spec.template.spec.containers[0].resources.limits.memory, '512Mi')
})

test('compose ports are published on 127.0.0.1 unless bind says otherwise', async () => {
  const r = await renderWith('echo', 'compose', ['port=8081'])
  assert.match(r.files[0].text, /- 127\.0\.0\.1:8081:80\n/)
  const open = await renderWith('echo', 'compose', ['bind=0.0.0.0'])
  assert.match(open.files[0].text, /- 0\.0\.0\.0:8080:80\n/)
})

test('mongodb uses a named volume by default and a host dataDir when given', async () => {
  const named = await renderWith('mongodb', 'compose')
  assert.match(named.files[0].text, /- mongo-data:\/data\/db\n/)
  const dir = await renderWith('mongodb', 'compose', ['dataDir=./data'])
  assert.match(dir.files[0].text, /- \.\/data:\/data\/db\n/)
})

test('secrets are generated fresh, long and different, unless known ones are handed in', async () => {
  const a = await renderWith('elasticsearch', 'compose')
  const b = await renderWith('elasticsearch', 'compose')
  assert.notEqual(a.secrets.ELASTIC_PASSWORD, b.secrets.ELASTIC_PASSWORD)
  assert.notEqual(a.secrets.ELASTIC_PASSWORD, a.secrets.KIBANA_PASSWORD)
  assert.ok(a.secrets.ELASTIC_PASSWORD.length >= 32)
  const kept = await renderWith('elasticsearch', 'compose', [], { env: a.secrets, k8s: {} })
  assert.deepEqual(kept.secrets, a.secrets)
  const env = kept.files.find((f) => f.path === '.env')!
  assert.equal(env.mode, 0o600)
  assert.match(env.text, new RegExp(`^ELASTIC_PASSWORD=${a.secrets.ELASTIC_PASSWORD}$`, 'm'))
})

test('the mongodb health check asks the image for mongosh and falls back to the legacy mongo shell (4.4 and older)', async () => {
  for (const version of ['4.4', '8.0']) {
    const compose = await renderWith('mongodb', 'compose', [`version=${version}`])
    const test = ((await readYaml11(compose.files[0].text))[0] as any).services.mongodb.healthcheck.test // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(test[0], 'CMD-SHELL')
    assert.match(test[1], /command -v mongosh .* then exec mongosh --quiet .* else exec mongo --quiet /)
    const k8s = await renderWith('mongodb', 'k8s', [`version=${version}`])
    const probe = k8s.objects[2].spec.template.spec.containers[0].readinessProbe.exec.command
    assert.deepEqual(probe, ['sh', '-c', test[1]], 'compose and Kubernetes run the same check')
  }
})
