// Hints carry the values of the run that printed them, and advice knows root: through the real CLI.

import assert from 'node:assert/strict'
import { createServer, type AddressInfo } from 'node:net'
import { delimiter, join } from 'node:path'
import { test } from 'node:test'
import { need } from '../gate.js'
import { refusingPort } from '../loopback.js'
import { cleanEnv, debianRoot, fakeExecutable, projectRoot, put, runCli, tempDir } from '../helpers.js'
import { removeProject, suffix } from '../images.js'

interface JsonStep { id: string; argv: string[]; sudo: boolean; command: string }

test('the ports fix names the parameter that moves the port: stacks.echo.port', async (t) => {
  const cwd = await tempDir(t)
  const holder = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => holder.once('listening', resolve))
  t.after(() => holder.close())
  const port = (holder.address() as AddressInfo).port
  await put(join(cwd, 'shipshape.yaml'), `stacks:\n  echo: {port: ${port}}\n`)
  const r = await runCli(['doctor', '--only', 'ports', '--format', 'json'], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 30_000 })
  const ports = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'ports')
  assert.equal(ports.status, 'fail', ports.summary)
  assert.match(ports.fix.manual, /\(stacks\.echo\.port\)/)
  assert.doesNotMatch(ports.fix.manual, /<name>/)
})

test('the registry fix asks the resolver about the very host that did not resolve', async (t) => {
  const cwd = await tempDir(t)
  const root = await debianRoot(t)
  // Nobody answers DNS here: the name cannot resolve, and no query leaves the machine.
  await put(join(root, 'etc/resolv.conf'), 'nameserver 127.0.0.1\n')
  await put(join(cwd, 'shipshape.yaml'), 'network:\n  registries: ["mirror.shipshape-test.invalid"]\n')
  const r = await runCli(['doctor', '--only', 'registries'], { cwd, env: cleanEnv({ HOME: cwd, SHIPSHAPE_HOST_ROOT: root }), timeoutMs: 30_000 })
  assert.match(r.stdout, /`getent hosts mirror\.shipshape-test\.invalid`/, r.stdout)
  assert.doesNotMatch(r.stdout, /<registry>/)
})

for (const [who, uid, sudo] of [['root', '0', false], ['a user with sudo', '1000', true]] as const) {
  test(`setup --format json as ${who}: "sudo": ${sudo}, and no step has an empty argv`, async (t) => {
    const root = await debianRoot(t, { maxMapCount: 65530 })
    const home = await tempDir(t)
    const env = { PATH: join(projectRoot, 'test/bin/provision'), HOME: home, USER: 'alice', SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_UID: uid }
    const setup = await runCli(['setup', '--dry-run', '--format', 'json', '--only', 'max-map-count'], { env, cwd: home })
    const steps = (JSON.parse(setup.stdout) as { steps: JsonStep[] }).steps
    assert.deepEqual(steps.map((s) => [s.id, s.sudo]), [['max-map-count-now', sudo], ['max-map-count-boot', sudo]])
    assert.deepEqual(steps[1].argv, ['shipshape', 'setup', '--only', 'max-map-count'], 'a step shipshape performs names the command that performs it')
    for (const s of steps) assert.equal(/\bsudo\b/.test(s.command), sudo, s.command)
  })
}

test('schedule install as root: cron and the textfile folder are advised without sudo', async (t) => {
  const [home, bin] = [await tempDir(t), await tempDir(t)]
  await fakeExecutable(bin, 'crontab', 'case " $* " in *" -l "*) exit 0 ;; esac\ncat > /dev/null')
  await fakeExecutable(bin, 'pgrep', 'exit 1')
  await fakeExecutable(bin, 'systemctl', 'exit 1')
  await fakeExecutable(bin, 'sudo', 'exit 1')
  const env = cleanEnv({ HOME: home, PATH: [bin, process.env.PATH].join(delimiter), SHIPSHAPE_UID: '0' })
  const install = await runCli(['schedule', 'install', '--via', 'cron', '--every', '15m', '--only', 'platform'], { cwd: home, env, timeoutMs: 30_000 })
  assert.equal(install.code, 0, install.stderr)
  assert.match(install.stdout, /cron is not running.*`service cron start`/)
  assert.doesNotMatch(install.stdout, /sudo/)
  const missing = await runCli(['schedule', 'install', '--via', 'cron', '--textfile-dir', join(home, 'nope')], { cwd: home, env, timeoutMs: 30_000 })
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /does not exist\. Create it for \S+: install -d -o /)
  assert.doesNotMatch(missing.stderr, /sudo/)
  const user = await runCli(['schedule', 'install', '--via', 'cron', '--textfile-dir', join(home, 'nope')], { cwd: home, env: { ...env, SHIPSHAPE_UID: '1000' }, timeoutMs: 30_000 })
  assert.match(user.stderr, /Create it for \S+: sudo install -d -o /, 'a user with sudo gets it')
})

test('a failed up names the down that stops this very project', async (t) => {
  if (!(await need(t, 'docker'))) return
  const [cwd, project] = [await tempDir(t), `nc-echo-${suffix()}`]
  t.after(() => removeProject(project))
  // An image from a registry that refuses: the pull fails at once, with nothing leaving the machine.
  const image = `127.0.0.1:${await refusingPort()}/shipshape-test/missing:1`
  const up = await runCli(['up', 'echo', '--project', project, '--no-checks', '--timeout', '60000', '--set', `nginxImage=${image}`, '--set', `echoImage=${image}`], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 120_000 })
  assert.equal(up.code, 1)
  assert.match(up.stderr, new RegExp(`\`shipshape down echo --project ${project}\` removes them`), up.stderr)
  // The pull failed: how to get the images here, with this stack's image parameters.
  assert.match(up.stderr, /An image could not be pulled \(127\.0\.0\.1:\d+\/shipshape-test\/missing:1/)
  assert.match(up.stderr, /docker load -i IMAGE\.tar/)
  assert.match(up.stderr, /network\.registries/)
  assert.match(up.stderr, /--set nginxImage=… --set echoImage=…/)
})

test('the --rotate-secrets warning of up names the down of this very project', async (t) => {
  const cwd = await tempDir(t)
  const r = await runCli(['up', 'mongodb', '--project', 'nc-mongo', '--rotate-secrets', '--dry-run', '--no-checks'], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 60_000 })
  assert.match(r.stderr, /\(shipshape down mongodb --project nc-mongo --volumes, which deletes the data\)/, r.stderr)
})
