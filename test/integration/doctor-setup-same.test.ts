// doctor's fix for a check is exactly what `setup --only <check>` plans (one source), minus what is
// already done, in the same words: so doctor never offers a step setup then calls "Already done".

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { debianRoot, projectRoot, runCli, tempDir } from '../helpers.js'

interface JsonStep { id: string; command: string }

for (const [who, uid, pathOf] of [['root', '0', 'empty'], ['a user without sudo', '1000', 'empty'], ['a user with sudo', '1000', 'fake-sudo']] as const) {
  test(`as ${who}: doctor's max-map-count fix is setup's plan for it, step for step, line for line`, async (t) => {
    const root = await debianRoot(t, { maxMapCount: 65530 })
    const home = await tempDir(t)
    const PATH = pathOf === 'empty' ? await tempDir(t) : join(projectRoot, 'test/bin/provision')
    const env = { PATH, HOME: home, USER: 'alice', SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_UID: uid }
    const doctor = await runCli(['doctor', '--format', 'json', '--only', 'max-map-count'], { env, cwd: home })
    const fix = (JSON.parse(doctor.stdout) as { checks: { id: string; fix: { steps: JsonStep[] } }[] }).checks.find((c) => c.id === 'max-map-count')!.fix
    const setup = await runCli(['setup', '--dry-run', '--format', 'json', '--only', 'max-map-count'], { env, cwd: home })
    assert.equal(setup.code, 0, setup.stderr)
    const plan = JSON.parse(setup.stdout) as { steps: JsonStep[]; satisfied: JsonStep[] }
    assert.deepEqual(fix.steps.map((s) => [s.id, s.command]), plan.steps.map((s) => [s.id, s.command]))
    assert.deepEqual(plan.steps.map((s) => s.id), ['max-map-count-now', 'max-map-count-boot'])
    const sudo = fix.steps.filter((s) => /\bsudo\b/.test(s.command)).length
    assert.equal(sudo, pathOf === 'fake-sudo' ? 2 : 0)
    if (who === 'a user without sudo') assert.ok(fix.steps.every((s) => s.command.startsWith("su -c '")))
  })
}

test('DOCKER_HOST set only in the environment: doctor offers no rc-file step, and setup has none to call done', async (t) => {
  const home = await tempDir(t)
  const env = { PATH: process.env.PATH, HOME: home, SHELL: '/bin/bash', DOCKER_HOST: 'tcp://10.0.0.5:2375' }
  const doctor = await runCli(['doctor', '--format', 'json', '--only', 'docker-host'], { env, cwd: home })
  const check = (JSON.parse(doctor.stdout) as { checks: { id: string; status: string; fix: { steps: JsonStep[]; manual?: string } | null }[] }).checks.find((c) => c.id === 'docker-host')!
  assert.equal(check.status, 'fail')
  assert.deepEqual(check.fix?.steps ?? [], [])
  assert.match(check.fix?.manual ?? '', /unset DOCKER_HOST/)
  const setup = await runCli(['setup', '--dry-run', '--only', 'docker-host'], { env, cwd: home })
  assert.doesNotMatch(setup.stdout, /Already done: .*docker-host-rc/)
  assert.match(setup.stdout, /Nothing to install or change\./)
})
