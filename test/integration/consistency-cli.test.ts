// One suggester for every name a person types, `help <command>`, statuses in words, bad flags as
// exit 2, and a first (uncached) version probe with room to start: through the real CLI.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { cliOnPty } from '../pty.js'
import { cleanEnv, fakeExecutable, pathWithout, put, runCli, tempDir } from '../helpers.js'

test('"Did you mean" for a subcommand\'s action, an option, an option\'s value, a target and a config key', async (t) => {
  const cwd = await tempDir(t)
  const env = cleanEnv({ HOME: cwd })
  const cases: Array<[string[], RegExp]> = [
    [['schedule', 'instal'], /unknown action 'instal'\. Did you mean 'install'\?/],
    [['--verison'], /unknown option '--verison'\. Did you mean '--version'\?/],
    [['doctor', '--verbos'], /unknown option '--verbos'.*Did you mean '--verbose'\?/],
    [['doctor', '--format', 'jsn'], /argument 'jsn' is invalid\..* Did you mean 'json'\?/],
    [['render', 'echo', '--target', 'kube'], /unknown target 'kube'\. Did you mean 'k8s'\?/],
    [['help', 'doctr'], /Did you mean 'doctor'\?/],
  ]
  for (const [args, says] of cases) {
    const r = await runCli(args, { cwd, env })
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    assert.match(r.stderr, says)
  }
  await put(join(cwd, 'shipshape.yaml'), 'versions:\n  docker-compose: ">=2.20"\n')
  const config = await runCli(['doctor'], { cwd, env })
  assert.equal(config.code, 2)
  assert.match(config.stderr, /unknown tool 'docker-compose'\. Did you mean 'compose'\?/)
})

test('help <command> is that command\'s help; an empty section of shipshape.yaml is no entries; serve --host that names nothing is exit 2', async (t) => {
  const cwd = await tempDir(t)
  const env = cleanEnv({ HOME: cwd })
  const help = await runCli(['help', 'doctor'], { cwd, env })
  assert.equal(help.code, 0)
  assert.match(help.stdout, /^Usage: shipshape doctor /)
  await put(join(cwd, 'shipshape.yaml'), 'checks:\nstacks:\n')
  const empty = await runCli(['doctor', '--only', 'platform'], { cwd, env })
  assert.equal(empty.code, 0, empty.stderr)
  const serve = await runCli(['serve', '--host', '0.0.0.0x', '--port', '0', '--only', 'platform'], { cwd, env, timeoutMs: 30_000 })
  assert.equal(serve.code, 2, serve.stderr)
  assert.match(serve.stderr, /--host '0\.0\.0\.0x' is not an address of this machine/)
})

test('a first version probe, with nothing cached, has a longer bound than a warm one; a timeout reads "timed out"', async (t) => {
  const [home, bin] = [await tempDir(t), await tempDir(t)]
  // A docker CLI that takes 4 s to say its version, as a first start on a busy machine does.
  await fakeExecutable(bin, 'docker', 'sleep 4; echo "Docker version 28.2.2, build e6534b4"')
  const env = cleanEnv({ HOME: home, PATH: [bin, await pathWithout(t, ['docker'])].join(':') })
  const cold = await runCli(['doctor', '--only', 'docker-cli'], { cwd: home, env, timeoutMs: 60_000 })
  assert.match(cold.stdout, /^\[✓\] Docker CLI: Docker CLI 28\.2\.2$/m, cold.stdout)
  // Warm: the cache holds an answer, but this binary changed since; its probe gets the usual bound.
  await fakeExecutable(bin, 'docker', 'sleep 4; echo "Docker version 28.3.0, build 38b7060"')
  const warm = await runCli(['doctor', '--only', 'docker-cli'], { cwd: home, env, timeoutMs: 60_000 })
  assert.match(warm.stdout, /^\[✗\] Docker CLI: timed out: no answer within 3000 ms$/m, warm.stdout)
})

test('on a terminal, checks are listed in registry order, as piped output is, whatever order they finish in', async (t) => {
  const [home, bin] = [await tempDir(t), await tempDir(t)]
  // docker-cli comes before kubectl in the registry, and here finishes after it.
  await fakeExecutable(bin, 'docker', 'sleep 2; echo "Docker version 28.2.2, build e6534b4"')
  await fakeExecutable(bin, 'kubectl', 'echo \'{"clientVersion":{"major":"1","minor":"32","gitVersion":"v1.32.4"}}\'')
  const env = { ...cleanEnv({ HOME: home, PATH: [bin, await pathWithout(t, ['docker', 'kubectl'])].join(':') }), TERM: 'xterm' }
  const run = cliOnPty(['doctor', '--only', 'kubectl,docker-cli', '--no-cache'], { env, cwd: home })
  assert.equal(await run.exited, 0, run.output())
  const out = run.output()
  assert.ok(out.includes('kubectl v1.32.4') && out.indexOf('Docker CLI 28.2.2') < out.indexOf('kubectl v1.32.4'), out)
})
