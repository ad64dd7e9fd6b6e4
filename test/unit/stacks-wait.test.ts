// When a compose stack counts as up (v1 has no --wait, so we judge docker inspect's states ourselves).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { judge, pollHealthy, type ContainerState } from '../../lib/stacks/wait.js'
import { replayProbe } from '../helpers.js'

const c = (over: Partial<ContainerState>): ContainerState => ({ id: 'x', service: 's', status: 'running', health: null, exitCode: 0, oneShot: false, ...over })

test('healthy and running containers, and a one-shot that exited 0, make a ready stack', () => {
  assert.deepEqual(judge([c({ health: 'healthy' }), c({}), c({ status: 'exited', oneShot: true })]), { ready: true })
})

test('a container still starting is waited for; an unhealthy one or a failed exit is a failure', () => {
  const starting = judge([c({ health: 'starting', service: 'es' })])
  assert.equal(starting.ready, false)
  assert.deepEqual(!starting.ready && starting.waitingFor.map((s) => s.service), ['es'])
  for (const bad of [c({ health: 'unhealthy' }), c({ status: 'exited', exitCode: 1, oneShot: true }), c({ status: 'exited', exitCode: 0 })]) {
    const v = judge([bad])
    assert.equal(!v.ready && v.failed.length, 1, JSON.stringify(bad))
  }
  assert.equal(judge([]).ready, false, 'no containers is not a running stack')
})

test('polling stops at the deadline with the last states', async () => {
  let clock = 0
  const probe = replayProbe({ 'docker inspect abc': { stdout: JSON.stringify([{ Id: 'abc', State: { Status: 'running', ExitCode: 0, Health: { Status: 'starting' } }, Config: { Labels: { 'com.docker.compose.service': 'kibana' } }, HostConfig: { RestartPolicy: { Name: 'unless-stopped' } } }]) } })
  const verdict = await pollHealthy({ probe, containerIds: async () => ['abc'], deadline: 5_000, intervalMs: 1_000, now: () => clock, sleep: async (ms) => void (clock += ms) })
  assert.equal(verdict.ready, false)
  assert.equal(probe.calls.length, 6)
  assert.deepEqual(!verdict.ready && verdict.waitingFor.map((s) => `${s.service} ${s.health}`), ['kibana starting'])
})
