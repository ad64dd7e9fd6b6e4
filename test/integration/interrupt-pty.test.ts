// Ctrl-C is a clean cancel, through the real CLI on a pseudo-terminal: at setup's question (Ctrl-C or
// Ctrl-D) it says so and exits 130 without a trace; mid-run, with `docker info` stuck on a loopback
// daemon that accepts and never answers, every probe is killed and the exit is 130, nothing left.

import assert from 'node:assert/strict'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { exists } from '../../lib/provision/files.js'
import { debianRoot, needDocker, projectRoot, tempDir } from '../helpers.js'
import { cliOnPty, processesWith, untilRunning } from '../pty.js'

for (const [key, name] of [['\x03', 'Ctrl-C'], ['\x04', 'Ctrl-D']] as const) {
  test(`${name} at setup's question: "Cancelled; nothing was changed.", exit 130, no trace`, async (t) => {
    const root = await debianRoot(t, { maxMapCount: 65530 })
    const home = await tempDir(t)
    const env = { PATH: process.env.PATH, HOME: home, SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_UID: '0', TERM: 'xterm' }
    const run = cliOnPty(['setup', '--only', 'max-map-count'], { env, cwd: home })
    await run.waitFor(/Run these 2 steps\? \[y\/N\] /)
    run.type(key)
    assert.equal(await run.exited, 130, run.output())
    assert.match(run.output(), /Cancelled; nothing was changed\./)
    assert.doesNotMatch(run.output(), /unexpected error|AbortError|at .*\.js:\d+/)
    assert.equal(await exists(join(root, 'etc/sysctl.d')), false, 'no sysctl file written')
    assert.equal(await exists(join(home, '.shipshape/logs')), false, 'no step log started')
  })
}

test("Ctrl-C at sudo's password question cancels the same way: exit 130, nothing changed", async (t) => {
  const root = await debianRoot(t, { maxMapCount: 65530 })
  const home = await tempDir(t)
  // The fake sudo (test/bin/provision) wants a password, as sudo without a ticket does.
  const env = { PATH: `${join(projectRoot, 'test/bin/provision')}:${process.env.PATH}`, HOME: home, USER: 'alice', SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_UID: '1000', FAKE_SUDO_REFUSE: '1', TERM: 'xterm' }
  const run = cliOnPty(['setup', '--only', 'max-map-count'], { env, cwd: home })
  await run.waitFor(/\[y\/N\] /)
  run.type('y\r')
  await run.waitFor(/password for alice/)
  run.type('\x03')
  assert.equal(await run.exited, 130, run.output())
  assert.match(run.output(), /Cancelled; nothing was changed\./)
  assert.doesNotMatch(run.output(), /unexpected error|AbortError/)
  assert.equal(await exists(join(root, 'etc/sysctl.d')), false, 'no sysctl file written')
})

/** A loopback "daemon" that accepts and never replies, so `docker info` waits for its bound. */
async function silentDaemon(t: TestContext): Promise<number> {
  const held: Socket[] = []
  const server = createServer((s) => void held.push(s))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    for (const s of held) s.destroy()
    server.close()
  })
  return (server.address() as AddressInfo).port
}

// doctor --fix is setup's own code path (setup has no --timeout of its own).
for (const args of [['doctor', '--only', 'docker-daemon'], ['doctor', '--fix', '--only', 'docker-daemon']]) {
  test(`Ctrl-C during \`${args.join(' ')}\` kills every probe: exit 130, no process left`, async (t) => {
    if (!(await needDocker(t))) return
    const port = await silentDaemon(t)
    const home = await tempDir(t)
    // The marker is only in the environment of what this run starts.
    const marker = `DOCKER_HOST=tcp://127.0.0.1:${port}`
    const env = { PATH: process.env.PATH, HOME: home, DOCKER_HOST: `tcp://127.0.0.1:${port}`, TERM: 'xterm' }
    const run = cliOnPty([...args, '--timeout', '120000'], { env, cwd: home })
    const probes = await untilRunning(marker, 'docker')
    assert.ok(probes.length > 0)
    run.type('\x03')
    assert.equal(await run.exited, 130, run.output())
    assert.deepEqual(await processesWith(marker, 'docker'), [], 'a probe outlived shipshape')
    assert.doesNotMatch(run.output(), /unexpected error/)
    // script's pty reports 0 rows and 0 columns: plain progress, no spinner redrawing the line.
    assert.doesNotMatch(run.output(), /\x1b\[2K|\x1b\[\d*G|\x1b\[\?25l/)
  })
}
