// A typo is a usage error with a suggestion: exit 2, nothing run, "Did you mean …?" from the one
// suggester, for commands, check ids in --only and --skip, and setup's --skip step ids.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { exists } from '../../lib/provision/files.js'
import { cleanEnv, runCli, tempDir } from '../helpers.js'

const cases: [string[], RegExp][] = [
  [['doctr'], /unknown command 'doctr'\. Did you mean 'doctor'\?/],
  [['doctor', '--only', 'docker-deamon'], /unknown check id 'docker-deamon'\. Did you mean 'docker-daemon'\?/],
  [['doctor', '--skip', 'kubctl'], /unknown check id 'kubctl'\. Did you mean 'kubectl'\?/],
  [['setup', '--dry-run', '--only', 'minikub'], /unknown check id 'minikub'\. Did you mean 'minikube'\?/],
  [['setup', '--dry-run', '--skip', 'minikube-strt'], /--skip: no check or step named 'minikube-strt'\. Did you mean 'minikube-start'\?/],
  [['doctor', '--fix', '--skip', 'docker-grop'], /--skip: no check or step named 'docker-grop'\. Did you mean 'docker-group'\?/],
]

for (const [args, message] of cases) {
  test(`shipshape ${args.join(' ')}: exit 2 with a suggestion, nothing run`, async (t) => {
    const home = await tempDir(t)
    const r = await runCli(args, { env: cleanEnv({ HOME: home }), cwd: home })
    assert.equal(r.code, 2, r.stdout + r.stderr)
    assert.match(r.stderr, message)
    assert.equal(r.stdout, '', 'no report, no plan')
    assert.equal(await exists(join(home, '.shipshape')), false, 'nothing written')
  })
}

test('a step id that is real but not planned here is accepted by setup --skip', async (t) => {
  const home = await tempDir(t)
  const r = await runCli(['setup', '--dry-run', '--only', 'platform', '--skip', 'minikube-start'], { env: cleanEnv({ HOME: home }), cwd: home })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /minikube-start is not in this plan/)
})
