// Stopping needs only the engine to answer, and --offline on up, down and setup means what
// network.offline means: through the real CLI, against a recorded engine on a unix socket and a
// registry that refuses, so no test leaves the machine.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { engineRecording, serveEngine } from '../engine-socket.js'
import { need } from '../gate.js'
import { refusingPort } from '../loopback.js'
import { cleanEnv, pathWithout, put, runCli, tempDir } from '../helpers.js'

async function offlineMachine(t: import('node:test').TestContext) {
  const cwd = await tempDir(t)
  // A stack in use pulls from a registry that refuses: online, the registries check fails and is required.
  await put(join(cwd, 'shipshape.yaml'), `stacks:\n  mongodb: {image: "127.0.0.1:${await refusingPort()}/mongo:8"}\n`)
  const socket = await serveEngine(t, join(cwd, 'engine', 'docker.sock'), await engineRecording('docker-engine'))
  return { cwd, env: cleanEnv({ HOME: cwd, DOCKER_HOST: `unix://${socket}` }) }
}

test('down asks only that the engine answers: an unreachable registry does not hold it back', async (t) => {
  if (!(await need(t, 'docker-cli', 'docker-compose'))) return
  const { cwd, env } = await offlineMachine(t)
  const down = await runCli(['down', 'mongodb', '--project', 'nc-mongo', '--dry-run'], { cwd, env, timeoutMs: 60_000 })
  assert.doesNotMatch(down.stderr, /registries|ports|proxy|clock/, down.stderr)
  assert.doesNotMatch(down.stderr, /needs these checks/)
  assert.match(down.stdout, /nc-mongo/, 'the dry run shows the stop it would make')
  assert.equal(down.code, 0, `${down.stdout}\n${down.stderr}`)

  // With no docker, stopping is refused for the engine alone, and the help says "stop", not "start".
  const noDocker = await runCli(['down', 'mongodb', '--project', 'nc-mongo'], { cwd, env: { ...env, PATH: await pathWithout(t, ['docker']) }, timeoutMs: 60_000 })
  assert.equal(noDocker.code, 1)
  assert.match(noDocker.stderr, /not ok: docker-daemon \(skip\)/)
  assert.doesNotMatch(noDocker.stderr.split('\n')[0], /registries/)
  const help = await runCli(['down', '--help'], { cwd, env })
  assert.match(help.stdout, /--no-checks\s+stop without/)
  assert.match(help.stdout, /--offline/)
})

test('up --dry-run --offline lists the network checks as skipped, never as passed; setup takes --offline', async (t) => {
  if (!(await need(t, 'docker-cli', 'docker-compose'))) return
  const { cwd, env } = await offlineMachine(t)
  const online = await runCli(['up', 'mongodb', '--project', 'nc-mongo', '--dry-run'], { cwd, env, timeoutMs: 60_000 })
  assert.equal(online.code, 1, 'online, the refusing registry a stack pulls from stops up')
  assert.match(online.stderr, /not ok: .*registries \(fail\)/)
  const offline = await runCli(['up', 'mongodb', '--project', 'nc-mongo', '--dry-run', '--offline'], { cwd, env, timeoutMs: 60_000 })
  assert.equal(offline.code, 0, `${offline.stdout}\n${offline.stderr}`)
  const passed = /^# checks passed: (.*)$/m.exec(offline.stdout)?.[1] ?? ''
  assert.doesNotMatch(passed, /registries|proxy|clock/)
  assert.match(offline.stdout, /^# check skipped: registries \(offline/m)

  const setupOnline = await runCli(['setup', '--dry-run', '--only', 'registries'], { cwd, env, timeoutMs: 60_000 })
  assert.match(setupOnline.stdout, /registries: Something refuses the connection/)
  const setup = await runCli(['setup', '--offline', '--dry-run', '--only', 'registries'], { cwd, env, timeoutMs: 60_000 })
  assert.equal(setup.code, 0, setup.stderr)
  assert.doesNotMatch(setup.stdout, /registries/, 'offline, the registry is not asked, so nothing is left by hand for it')
})
