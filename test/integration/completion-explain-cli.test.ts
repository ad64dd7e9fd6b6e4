// `shipshape completion bash|zsh|fish` and `shipshape explain <check-id>` through the real CLI: the
// bash script parses, and completing through it (the function bash calls, with COMP_WORDS) asks this
// shipshape for commands, check ids, stacks and parameters; explain says the four parts.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { cleanEnv, cliPath, fakeExecutable, pathWithout, runCli, runProcess, tempDir } from '../helpers.js'

test('completion bash passes bash -n, and shipshape doc<TAB> completes to doctor; ids, stacks and parameters come from shipshape', async (t) => {
  const [dir, bin] = [await tempDir(t), await tempDir(t)]
  const script = await runCli(['completion', 'bash'])
  assert.equal(script.code, 0, script.stderr)
  await fakeExecutable(dir, 'shipshape.bash', script.stdout)
  assert.equal((await runProcess('bash', ['-n', join(dir, 'shipshape.bash')])).code, 0)
  // `shipshape` on PATH, as an installed one is.
  await fakeExecutable(bin, 'shipshape', `exec '${process.execPath}' '${cliPath}' "$@"`)
  const complete = async (...words: string[]) => {
    const line = `source '${join(dir, 'shipshape.bash')}'; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _shipshape; printf '%s\\n' "\${COMPREPLY[@]}"`
    const r = await runProcess('bash', ['-c', line], { env: cleanEnv({ PATH: `${bin}:${process.env.PATH}` }), timeoutMs: 30_000 })
    return r.stdout.split('\n').filter(Boolean)
  }
  assert.deepEqual(await complete('shipshape', 'doc'), ['doctor'])
  assert.deepEqual(await complete('shipshape', 'doctor', '--only', 'kube'), ['kubectl', 'kube-context'])
  assert.deepEqual(await complete('shipshape', 'up', 'mon'), ['mongodb'])
  assert.ok((await complete('shipshape', 'render', 'echo', '--set', 'por')).includes('port='))
  assert.deepEqual(await complete('shipshape', 'doctor', '--format', 'ju'), ['junit'])
  assert.deepEqual(await complete('shipshape', 'explain', 'max'), ['max-map-count'])
  for (const shell of ['zsh', 'fish']) assert.match((await runCli(['completion', shell])).stdout, /shipshape completion complete --/)
  const bad = await runCli(['completion', 'bsh'])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /Did you mean 'bash'\?/)
})

test('explain docker-daemon prints what it looks at, why, each status, and the fix it would propose here', async (t) => {
  const home = await tempDir(t)
  // No docker here: the fix it proposes is this machine's.
  const r = await runCli(['explain', 'docker-daemon'], { env: cleanEnv({ HOME: home, PATH: await pathWithout(t, ['docker']) }), timeoutMs: 30_000 })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^Docker daemon \(docker-daemon\): required; runs after docker-cli$/m)
  assert.match(r.stdout, /^What it looks at: the engine docker talks to/m)
  assert.match(r.stdout, /^Why it matters: /m)
  for (const s of ['ok', 'warn', 'fail', 'skip', 'timeout', 'error']) assert.match(r.stdout, new RegExp(`^  ${s} +\\S`, 'm'))
  assert.match(r.stdout, /^On this machine: skip: skipped: docker-cli failed$/m)
  assert.match(r.stdout, /^The fix it proposes here: first what it needs: docker-cli \(shipshape explain docker-cli\)\.$/m)
  const cli = await runCli(['explain', 'docker-cli'], { env: cleanEnv({ HOME: home, PATH: await pathWithout(t, ['docker']) }), timeoutMs: 30_000 })
  assert.match(cli.stdout, /^On this machine: fail: /m)
  assert.match(cli.stdout, /^The fix it proposes here:\n {2}\S/m, 'the steps setup would plan on this machine')
  const unknown = await runCli(['explain', 'docker-deamon'])
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /Did you mean 'docker-daemon'\?/)
})

test("a team's own check completes and is explained from its description, as the built-in ones are", async (t) => {
  const dir = await tempDir(t)
  const env = cleanEnv({ HOME: join(dir, 'home') })
  const init = await runCli(['init'], { cwd: dir, env })
  assert.equal(init.code, 0, init.stderr)
  const ids = await runCli(['completion', 'complete', '--', 'doctor', '--only', 'exa'], { cwd: dir, env })
  assert.deepEqual(ids.stdout.split('\n').filter(Boolean), ['example'])
  const explained = await runCli(['explain', 'example', '--offline'], { cwd: dir, env })
  assert.equal(explained.code, 0, explained.stderr)
  assert.match(explained.stdout, /^Work git email \(example\): optional/)
  assert.match(explained.stdout, /What it looks at: .+/)
  assert.match(explained.stdout, /Why it matters: your team's own check \(shipshape\.yaml\)/)
  assert.match(explained.stdout, /On this machine: warn: not allowed yet: read .*, then run `shipshape allow`/)
})
