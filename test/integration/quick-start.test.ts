// The README's quick start, run the way a new team member runs it, twice: a fresh clone, then
// `./setup.sh --dry-run`, and again from a new clone at the same path; after each, `shipshape doctor`
// in a new terminal (an interactive bash that reads ~/.bashrc). The launcher setup.sh installs names
// the clone's path, so the second works only if the build leaves the CLI where the launcher looks.
// npm works offline from a copy of npm's own cache (no registry is contacted), with a HOME of its own
// that both runs share, as one person's machine would. (A machine with no Node: test/e2e/new-machine.)

import assert from 'node:assert/strict'
import { cp, mkdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { need, npmCacheDir, npmRegistry, primeNpmCache } from '../gate.js'
import { cleanEnv, projectRoot, runProcess, tempDir } from '../helpers.js'

/** A clone of this repository with the working tree's changes on top (what would be committed). */
async function freshClone(to: string): Promise<void> {
  await rm(to, { recursive: true, force: true })
  const cloned = await runProcess('git', ['clone', '-q', '--no-hardlinks', projectRoot, to], { env: cleanEnv(), timeoutMs: 120_000 })
  assert.equal(cloned.code, 0, cloned.stderr)
  const git = (args: string[]) => runProcess('git', ['-C', projectRoot, ...args], { env: cleanEnv(), timeoutMs: 60_000 })
  const changed = (await git(['ls-files', '-m', '-o', '--exclude-standard'])).stdout.split('\n').filter(Boolean)
  const deleted = new Set((await git(['ls-files', '-d'])).stdout.split('\n').filter(Boolean))
  for (const f of changed.filter((f) => !deleted.has(f))) {
    await mkdir(dirname(join(to, f)), { recursive: true })
    await cp(join(projectRoot, f), join(to, f))
  }
  for (const f of deleted) await rm(join(to, f), { force: true })
}

test('the quick start works twice from fresh clones at the same path', { timeout: 20 * 60_000 }, async (t) => {
  if (!(await need(t, 'git', 'npm-cache'))) return
  const dir = await tempDir(t)
  const cache = join(dir, 'npm-cache')
  await cp(join(await npmCacheDir(), '_cacache'), join(cache, '_cacache'), { recursive: true })
  await primeNpmCache(cache, join(projectRoot, 'package-lock.json'))
  const env = cleanEnv({
    HOME: join(dir, 'home'),
    npm_config_cache: cache,
    npm_config_registry: await npmRegistry(),
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  })
  await mkdir(env.HOME!, { recursive: true })
  const clone = join(dir, 'shipshape')
  for (const run of ['first', 'second']) {
    await freshClone(clone)
    const setup = await runProcess('./setup.sh', ['--dry-run'], { cwd: clone, env: { ...env, SHELL: '/bin/bash' }, timeoutMs: 10 * 60_000 })
    assert.equal(setup.code, 0, `${run} ./setup.sh --dry-run: ${setup.stdout}\n${setup.stderr}`)
    assert.match(setup.stdout, /^shipshape \d+\.\d+\.\d+ setup · /, 'the plan for this machine')
    assert.equal(setup.stderr.match(/building shipshape/g)?.length, 1, `${run} run builds once: ${setup.stderr}`)
    const doctor = await runProcess('bash', ['-ic', 'shipshape doctor'], { cwd: env.HOME, env, timeoutMs: 5 * 60_000 })
    assert.doesNotMatch(doctor.stderr, /Permission denied|not found/, `${run} run`)
    // doctor's own exit codes: 0 ready, 1 not ready (this machine may lack minikube); never the shell's 126/127.
    assert.ok(doctor.code === 0 || doctor.code === 1, `${run} run exited ${doctor.code}: ${doctor.stderr}`)
    assert.match(doctor.stdout, /^shipshape \d+\.\d+\.\d+ doctor · /)
    assert.match(doctor.stdout, /\[✓\] Platform: /)
    assert.match(doctor.stdout, doctor.code === 0 ? /\nReady\./ : /\nNot ready/)
  }
})
