// The network checks through the real CLI: `doctor --only registries,clock --format json` against a
// loopback registry with a CA made in the test, trusted through certs.d under a fixture host root (or
// not), whose Date is ten minutes ahead; and --offline in doctor, checklist and serve.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import type { Report } from '../../lib/types.js'
import { refusingPort } from '../loopback.js'
import { makeCa, startRegistry } from '../tls.js'
import { cleanEnv, put, runCli, serve, tempDir } from '../helpers.js'

test('doctor --only registries,clock: an untrusted registry fails with the CA fix; trusted through certs.d, its clock ten minutes off fails a stack in use', async (t) => {
  const ca = await makeCa(t)
  if (!ca) return
  const reg = await startRegistry(t, ca, 10 * 60_000)
  const name = `127.0.0.1:${reg.port}`
  const [cwd, root] = [await tempDir(t), await tempDir(t)]
  // A mirror no stack needs: its failure is reported and optional.
  await put(join(cwd, 'shipshape.yaml'), `network:\n  registries: ["https://ci:t0ken@${name}"]\n`)
  const env = cleanEnv({ SHIPSHAPE_HOST_ROOT: root, HOME: cwd })
  const untrusted = await runCli(['doctor', '--only', 'registries,clock', '--format', 'json'], { cwd, env, timeoutMs: 30_000 })
  const doc = JSON.parse(untrusted.stdout) as Report
  const byId = Object.fromEntries(doc.checks.map((c) => [c.id, c]))
  assert.deepEqual(doc.checks.map((c) => c.id), ['registries', 'clock'])
  assert.equal(byId.registries.status, 'fail')
  assert.equal(byId.registries.required, false)
  assert.match(byId.registries.summary, /certificate signed by unknown authority/)
  assert.match(byId.registries.fix!.manual!, new RegExp(`/etc/docker/certs\\.d/${name}/ca\\.crt`))
  assert.ok(!untrusted.stdout.includes('t0ken'), 'the mirror URL\'s credentials are never printed')
  assert.equal(byId.clock.status, 'skip')
  assert.equal(untrusted.code, 0, 'an optional failure does not change the exit code')
  assert.equal(doc.summary.exitCode, 0)

  // Trusted through certs.d, and a stack in use pulls from it: both checks are required now.
  await put(join(root, 'etc/docker/certs.d', name, 'ca.crt'), ca.caPem)
  await put(join(cwd, 'shipshape.yaml'), `stacks:\n  mongodb: {image: "${name}/team/mongo:8"}\n`)
  const trusted = await runCli(['doctor', '--only', 'registries,clock', '--format', 'json'], { cwd, env, timeoutMs: 30_000 })
  const doc2 = JSON.parse(trusted.stdout) as Report
  const byId2 = Object.fromEntries(doc2.checks.map((c) => [c.id, c]))
  assert.equal(byId2.registries.status, 'ok', byId2.registries.summary)
  assert.equal(byId2.registries.summary, `reachable: ${name} (401)`)
  assert.equal(byId2.clock.status, 'fail')
  assert.equal(byId2.clock.required, true)
  assert.match(byId2.clock.summary, new RegExp(`clock is (9 min 59|10 min [01]) s behind ${name}'s`))
  assert.deepEqual(byId2.clock.fix!.steps.map((s) => s.argv.join(' ')), ['timedatectl set-ntp true'])
  assert.equal(trusted.code, 1)
  assert.equal(reg.requests, 1, 'one GET /v2/ (the untrusted run never got that far), shared by both checks')
})

test('--offline: doctor, checklist and serve skip the network checks and say so', async (t) => {
  const cwd = await tempDir(t)
  await put(join(cwd, 'shipshape.yaml'), `stacks:\n  mongodb: {image: "127.0.0.1:${await refusingPort()}/mongo:8"}\n`)
  const env = cleanEnv({ HOME: cwd })
  const online = await runCli(['doctor', '--only', 'registries', '--format', 'json'], { cwd, env, timeoutMs: 30_000 })
  assert.equal(online.code, 1, 'the registry a stack in use pulls from refuses: a required failure')
  const doctor = await runCli(['doctor', '--only', 'registries,proxy,clock', '--format', 'json', '--offline'], { cwd, env, timeoutMs: 30_000 })
  const doc = JSON.parse(doctor.stdout) as Report
  assert.equal(doctor.code, 0)
  assert.deepEqual(doc.checks.map((c) => [c.id, c.status]), [['registries', 'skip'], ['proxy', 'skip'], ['clock', 'skip']])
  assert.match(doc.checks[0].summary, /^offline/)

  await put(join(cwd, 'offline.yaml'), 'network: {offline: true}\n')
  const fromConfig = await runCli(['doctor', '--only', 'registries', '--format', 'json', '--config', 'offline.yaml'], { cwd, env, timeoutMs: 30_000 })
  assert.match((JSON.parse(fromConfig.stdout) as Report).checks[0].summary, /^offline/)

  const checklist = await runCli(['checklist', '--only', 'registries', '--offline'], { cwd, env, timeoutMs: 30_000 })
  assert.equal(checklist.code, 0)
  assert.match(checklist.stdout, /Image registries.*offline/)

  const { url } = await serve(t, cwd, ['--only', 'registries', '--offline'], env)
  const res = await fetch(`${url}/healthz`)
  const served = (await res.json()) as Report
  assert.equal(res.status, 200)
  assert.deepEqual([served.checks[0].id, served.checks[0].status], ['registries', 'skip'])
})
