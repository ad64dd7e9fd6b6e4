// Elasticsearch and Kibana by version band: one row per band, with security on and off, checked on
// the rendered compose file and Kubernetes manifest alike (both read back as YAML 1.1). What each row
// expects is the cited fact (README "Elasticsearch and Kibana by version"), written out here again
// rather than read from lib/stacks/elastic-bands.ts, so a wrong table fails the test.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readYaml11, renderWith } from '../stacks.js'
import { validateObjects } from '../../lib/stacks/validate.js'
import { bandOf, bandRange, ELASTIC_BANDS } from '../../lib/stacks/elastic-bands.js'
import { applyRules } from '../../lib/stacks/rules.js'
import { loadStack } from '../../lib/stacks/catalog.js'
import { resolveValues } from '../../lib/stacks/values.js'
import { debian12 } from '../helpers.js'
import { ROWS } from '../bands.js'

const envList = (list: string[]) => Object.fromEntries(list.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]))
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const envMap = (list: any[]) => Object.fromEntries(list.filter((e) => 'value' in e).map((e) => [e.name, e.value]))

test('every band of the table is covered by a row here', () => {
  const covered = new Set(ROWS.map((r) => bandOf(r.version)))
  for (const band of ELASTIC_BANDS) assert.ok(covered.has(band), `no row for ${bandRange(band)}`)
})

for (const row of ROWS) {
  for (const security of [true, false]) {
    test(`Elasticsearch ${row.version} with security ${security ? 'on' : 'off'}: compose and Kubernetes wired for its band`, async () => {
      const sets = [`version=${row.version}`, `security=${security}`]
      const image = `docker.elastic.co/elasticsearch/${security ? row.secureImage : 'elasticsearch'}:${row.version}`
      const licence = security && row.trial ? 'trial' : 'basic'
      const status = security ? '401' : '200'
      const passwordPath = `${row.api}/user/${row.user}/_password`

      const compose = await renderWith('elasticsearch', 'compose', sets)
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const { services } = (await readYaml11(compose.files[0].text))[0] as { services: Record<string, any> }
      const es = envList(services.elasticsearch.environment)
      assert.equal(services.elasticsearch.image, image)
      // The setup service only gives Kibana's user its password: with security off there is none.
      assert.equal(services.setup?.image, security ? image : undefined)
      assert.equal(services.kibana.image, `docker.elastic.co/kibana/kibana:${row.version}`)
      assert.equal(es['xpack.security.enabled'], String(security))
      assert.equal(es['xpack.license.self_generated.type'], licence)
      assert.match(services.elasticsearch.healthcheck.test[1], new RegExp(`grep -q ' ${status} '`))
      if (security) assert.equal(envList(services.setup.environment).PASSWORD_URL, `http://elasticsearch:9200/${passwordPath}`)
      const kibana = envList(services.kibana.environment)
      assert.equal(kibana[row.esVariable], 'http://elasticsearch:9200')
      assert.equal(Object.keys(kibana).filter((k) => /^ELASTICSEARCH_(URL|HOSTS)$/.test(k)).length, 1, 'one address variable, the one this Kibana reads')
      assert.equal(kibana.ELASTICSEARCH_USERNAME, security ? row.user : undefined)
      assert.equal('platform' in services.elasticsearch, false, 'no platform forced on an x64 Linux machine')

      const k8s = await renderWith('elasticsearch', 'k8s', sets)
      assert.deepEqual(await validateObjects(k8s.objects), [])
      const byKind = (kind: string) => k8s.objects.find((o) => o.kind === kind)!
      const esPod = byKind('StatefulSet').spec.template.spec.containers[0]
      assert.equal(esPod.image, image)
      assert.equal(envMap(esPod.env)['xpack.license.self_generated.type'], licence)
      assert.equal(envMap(esPod.env)['xpack.security.enabled'], String(security))
      assert.equal(esPod.readinessProbe.exec.command[2], services.elasticsearch.healthcheck.test[1], 'the same health test in both')
      const job = k8s.objects.find((o) => o.kind === 'Job')?.spec.template.spec.containers[0]
      assert.equal(job?.image, security ? image : undefined)
      if (security) assert.equal(envMap(job.env).PASSWORD_URL, `http://elasticsearch:9200/${passwordPath}`)
      const kibanaPod = byKind('Deployment').spec.template.spec.containers[0]
      assert.equal(envMap(kibanaPod.env)[row.esVariable], 'http://elasticsearch:9200')
      assert.equal(envMap(kibanaPod.env).ELASTICSEARCH_USERNAME, security ? row.user : undefined)
    })
  }
}

async function rulesFor(sets: string[]) {
  const stack = await loadStack('elasticsearch')
  return applyRules('elasticsearch', await resolveValues(stack, { sets, cwd: '.' }), debian12)
}

test('a trial licence is said at render time, with when it ends and what to do then', async () => {
  for (const version of ['6.2.4', '6.5.4', '7.0.1']) {
    assert.match((await rulesFor([`version=${version}`])).warnings.join('\n'), /trial licence: it expires 30 days after first start; then set security=false or buy a licence/, version)
    assert.deepEqual((await rulesFor([`version=${version}`, 'security=false'])).warnings, [], `${version} without security needs no trial`)
  }
  assert.deepEqual((await rulesFor(['version=6.8.23'])).warnings, [])
  assert.deepEqual((await rulesFor(['version=7.1.0'])).warnings, [])
})

test('a major newer than the table renders with the newest band and a note', async () => {
  const { values, warnings } = await rulesFor(['version=10.1.0'])
  assert.equal(values.kibanaUser, 'kibana_system')
  assert.equal(values.passwordPath, '_security/user/kibana_system/_password')
  assert.match(warnings.join('\n'), /Elasticsearch 10\.1\.0 is newer than the versions shipshape knows \(up to 9\.x\); rendered as 9\.x/)
  const r = await renderWith('elasticsearch', 'k8s', ['version=10.1.0'])
  assert.deepEqual(await validateObjects(r.objects), [])
})

test('the band ranges read as the facts say them', () => {
  assert.deepEqual(ELASTIC_BANDS.map(bandRange), ['6.0.0–6.2.x', '6.3.0–6.6.0', '6.6.1–6.7.x', '6.8.0–6.x', '7.0.0–7.0.x', '7.1.0–7.7.x', '7.8.0–7.x', '8.0.0–8.x', '9.0.0 and later'])
})

test('an Elasticsearch before 7.8 rendered on Apple Silicon runs Elasticsearch, setup and Kibana as linux/amd64; a user-set image is left alone', async () => {
  const stack = await loadStack('elasticsearch')
  const mac = { ...debian12, kind: 'macos' as const, arch: 'arm64', distro: null, macos: { version: '15.1' } }
  const { renderStack } = await import('../../lib/stacks/render.js')
  const render = async (sets: string[]) => {
    const values = applyRules('elasticsearch', await resolveValues(stack, { sets, cwd: '.' }), mac).values
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return ((await readYaml11((await renderStack(stack, 'compose', values, { env: {}, k8s: {} })).files[0].text))[0] as any).services
  }
  const old = await render(['version=6.8.23'])
  assert.deepEqual([old.elasticsearch.platform, old.setup.platform, old.kibana.platform], ['linux/amd64', 'linux/amd64', 'linux/amd64'])
  const current = await render(['version=8.19.10'])
  assert.deepEqual([current.elasticsearch.platform, current.kibana.platform], [undefined, undefined])
  const own = await render(['version=6.8.23', 'image=registry.example/team/es:6.8.23-arm64'])
  assert.deepEqual([own.elasticsearch.platform, own.kibana.platform], [undefined, 'linux/amd64'])
})

test('raiseLimits=false leaves out the ulimits and the memory lock, for engines that may not raise them', async () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const services = async (sets: string[]) => ((await readYaml11((await renderWith('elasticsearch', 'compose', sets)).files[0].text))[0] as any).services
  const raised = await services([])
  assert.deepEqual(raised.elasticsearch.ulimits, { memlock: -1, nofile: 65536 })
  assert.ok(raised.elasticsearch.environment.includes('bootstrap.memory_lock=true'))
  const plain = await services(['raiseLimits=false'])
  assert.deepEqual(plain.elasticsearch.ulimits, {})
  assert.ok(plain.elasticsearch.environment.includes('bootstrap.memory_lock=false'))
})
