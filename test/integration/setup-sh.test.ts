// ./setup.sh on a machine without shipshape built: it checks Node, installs dependencies once per
// lock file (a second run needs no registry), builds, and hands every argument to `shipshape setup`;
// with a Node too old and a distribution that offers nothing newer it says what to do and stops.

import assert from 'node:assert/strict'
import { copyFile, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { need } from '../gate.js'
import { fakeBinDir, fakeExecutable, projectRoot, put, runProcess, tempDir } from '../helpers.js'

/** Fake brew, apt-get, dpkg, sudo, curl… that log their argv (test/bin/provision). */
const provisionBin = join(fakeBinDir, 'provision')

async function checkout(t: import('node:test').TestContext) {
  const dir = await tempDir(t, 'shipshape-setup-sh-')
  await copyFile(join(projectRoot, 'setup.sh'), join(dir, 'setup.sh'))
  await put(join(dir, 'package-lock.json'), '{"lockfileVersion": 3}\n')
  // The built CLI, as a stub that shows what it was handed.
  await put(join(dir, 'dist/cli/shipshape.js'), 'console.log("cli " + process.argv.slice(2).join(" ")); process.exitCode = 7\n')
  return dir
}

test('setup.sh installs dependencies once per lock file, builds, and passes the arguments on', async (t) => {
  const dir = await checkout(t)
  const log = join(dir, 'fake.log')
  const env = { PATH: `${provisionBin}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir, SHIPSHAPE_FAKE_LOG: log }
  const first = await runProcess('sh', [join(dir, 'setup.sh'), '--dry-run', '--docker', 'distro'], { env })
  assert.equal(first.code, 7, first.stderr)
  assert.equal(first.stdout.trim(), 'cli setup --dry-run --docker distro')
  assert.deepEqual((await readFile(log, 'utf8')).split('\n').filter((l) => l.startsWith('npm')), ['npm ci --no-audit --no-fund --loglevel=error', 'npm run --silent build'])

  const second = await runProcess('sh', [join(dir, 'setup.sh'), '--yes'], { env })
  assert.equal(second.stdout.trim(), 'cli setup --yes')
  assert.equal((await readFile(log, 'utf8')).split('\n').filter((l) => l.startsWith('npm ci')).length, 1, 'no second npm ci')

  await put(join(dir, 'package-lock.json'), '{"lockfileVersion": 3, "changed": true}\n')
  await runProcess('sh', [join(dir, 'setup.sh')], { env })
  assert.equal((await readFile(log, 'utf8')).split('\n').filter((l) => l.startsWith('npm ci')).length, 2, 'a new lock file installs again')
})

test('setup.sh with Node 18, or a Node 20 older than 20.18, where the distribution offers nothing newer: a clear instruction, exit 1', async (t) => {
  for (const old of ['v18.19.0', 'v20.5.1']) {
    const dir = await checkout(t)
    const bin = join(dir, 'bin')
    await fakeExecutable(bin, 'node', `echo ${old}`)
    const log = join(dir, 'fake.log')
    const env = { PATH: `${bin}:${provisionBin}:/usr/bin:/bin`, HOME: dir, SHIPSHAPE_FAKE_LOG: log }
    const r = await runProcess('sh', [join(dir, 'setup.sh')], { env })
    assert.equal(r.code, 1, old)
    assert.match(r.stderr, /Node\.js >= 20\.18 is needed and the distribution offers nodejs 18\.19\.0\+dfsg-6~deb12u2\. Install it from https:\/\/nodejs\.org/)
    assert.doesNotMatch(await readFile(log, 'utf8'), /apt-get install/)
  }
})

test('setup.sh is POSIX sh and shellcheck-clean', async (t) => {
  if (!(await need(t, 'shellcheck'))) return
  const r = await runProcess('shellcheck', ['--shell=sh', join(projectRoot, 'setup.sh')], {})
  assert.equal(r.code, 0, r.stdout)
})
