// The README's two commands on a fresh Debian 12 that has only Node and npm (no Docker, busybox,
// kubectl, shellcheck, git…) and no network at all: `npm ci && npx shipshape doctor`, then
// `npm test` with CI unset. Everything the machine lacks must skip by name; nothing may fail.
// npm installs offline from a copy of this machine's npm cache.

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { cp } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { freshImage, must, projectCopy, sh } from '../fresh-debian.js'
import { need, npmCacheDir, npmRegistry, primeNpmCache } from '../gate.js'
import { projectRoot, tempDir } from '../helpers.js'

test('a fresh Debian 12 with only Node: npm ci, npx shipshape doctor and npm test pass, skipping by name', { timeout: 60 * 60_000 }, async (t) => {
  if (!(await need(t, 'docker', 'debootstrap', 'root', 'npm-cache'))) return
  const image = await freshImage()
  const project = await projectCopy(t)
  const cache = await tempDir(t, 'shipshape-e2e-npm-cache-')
  await cp(join(await npmCacheDir(), '_cacache'), join(cache, '_cacache'), { recursive: true })
  await primeNpmCache(cache, join(projectRoot, 'package-lock.json'))
  const name = `shipshape-e2e-node-${randomBytes(4).toString('hex')}`
  const npmDir = join(dirname(process.execPath), '../lib/node_modules/npm')
  t.after(() => sh('docker', ['rm', '-f', name]).then(() => {}))
  await must('docker', ['run', '-d', '--name', name, '--network', 'none',
    '-v', `${process.execPath}:/usr/local/bin/node:ro`, '-v', `${npmDir}:/usr/local/lib/node_modules/npm:ro`,
    '-v', `${project}:/shipshape`, '-v', `${cache}:/npm-cache`,
    image, 'sleep', 'infinity'])
  // No CI variable: this is a developer's machine, where missing tools skip.
  const env = ['HOME=/root', 'npm_config_cache=/npm-cache', `npm_config_registry=${await npmRegistry()}`, 'npm_config_offline=true', 'npm_config_audit=false', 'npm_config_fund=false', 'npm_config_update_notifier=false']
  const exec = (args: string[], timeoutMs = 30 * 60_000) => sh('docker', ['exec', '-w', '/shipshape', ...env.flatMap((e) => ['-e', e]), name, ...args], timeoutMs)

  // Node's installers put npx beside npm (the image, cached for the day, may predate that link).
  await exec(['ln', '-sf', '../lib/node_modules/npm/bin/npx-cli.js', '/usr/local/bin/npx'])
  const ci = await exec(['npm', 'ci'])
  assert.equal(ci.code, 0, `${ci.stdout}\n${ci.stderr}`)
  const doctor = await exec(['npx', 'shipshape', 'doctor'], 5 * 60_000)
  assert.equal(doctor.code, 1, `no Docker here, so not ready: ${doctor.stdout}\n${doctor.stderr}`)
  assert.match(doctor.stdout, /\[✗\] Docker CLI: docker is not on PATH/)
  assert.match(doctor.stdout, /\nNot ready\./)

  const tests = await exec(['npm', 'test'])
  t.diagnostic(tests.stdout.split('\n').filter((l) => /# SKIP|^not ok|^# (tests|pass|fail|skipped)/.test(l)).join('\n'))
  assert.equal(tests.code, 0, `npm test failed on a machine with only Node:\n${tests.stdout.split('\n').filter((l) => /^not ok|^\s+(error|expected|actual):/.test(l)).join('\n')}\n${tests.stderr.slice(-3000)}`)
  assert.match(tests.stdout, /^# fail 0$/m)
  for (const missing of ['docker', 'busybox', 'kubectl', 'shellcheck']) assert.match(tests.stdout, new RegExp(`# SKIP .*needs ${missing}: `), `no test skipped for want of ${missing}`)
})
