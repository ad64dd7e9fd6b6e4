// ./setup.sh on a machine without shipshape built: it finds a Node new enough, installs dependencies
// once per lock file and builds once per change of the sources (a second run needs neither registry nor
// build), installs the `shipshape` command, and hands every argument to `shipshape setup`. Where Node
// must be downloaded and cannot be, or cannot be checked, it says so and installs nothing. Under sudo,
// shipshape's own files belong to the user. The real download, signature and checksum run in
// test/e2e/new-machine.test.ts, on a machine with no Node.

import assert from 'node:assert/strict'
import { copyFile, mkdir, readdir, readFile, stat, symlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { need } from '../gate.js'
import { fakeBinDir, fakeExecutable, pathWithout, projectRoot, put, runProcess, tempDir } from '../helpers.js'
import { refusingPort } from '../loopback.js'

/** Fake brew, apt-get, dpkg, sudo, npm… that log their argv (test/bin/provision). */
const provisionBin = join(fakeBinDir, 'provision')

// The built CLI, as a stub that shows what it was handed and by whom (self-install is logged apart, in
// the checkout's fake.log: sudo passes no SHIPSHAPE_FAKE_LOG on).
const STUB = `const [cmd, ...rest] = process.argv.slice(2)
if (cmd === 'self-install') require('fs').appendFileSync(__dirname + '/../../fake.log', 'self-install ' + process.getuid() + ' ' + rest.join(' ') + '\\n')
else { console.log('cli ' + [cmd, ...rest].join(' ')); process.exitCode = 7 }
`

async function checkout(t: import('node:test').TestContext) {
  const dir = await tempDir(t, 'shipshape-setup-sh-')
  await copyFile(join(projectRoot, 'setup.sh'), join(dir, 'setup.sh'))
  await put(join(dir, 'package-lock.json'), '{"lockfileVersion": 3}\n')
  await put(join(dir, 'lib/a.ts'), 'export const a = 1\n')
  await put(join(dir, 'dist/cli/shipshape.js'), STUB)
  await put(join(dir, 'dist/cli/package.json'), '{"type": "commonjs"}\n')
  return dir
}

const npmCalls = async (log: string) => (await readFile(log, 'utf8')).split('\n').filter((l) => l.startsWith('npm'))

test('setup.sh installs dependencies once per lock file, builds once per change, installs the command and passes the arguments on', async (t) => {
  const dir = await checkout(t)
  const log = join(dir, 'fake.log')
  const env = { PATH: `${provisionBin}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir, SHIPSHAPE_FAKE_LOG: log }
  const first = await runProcess('sh', [join(dir, 'setup.sh'), '--dry-run', '--docker', 'distro'], { env })
  assert.equal(first.code, 7, first.stderr)
  assert.equal(first.stdout.trim(), 'cli setup --dry-run --docker distro')
  assert.match(first.stderr, /a dry run still installs shipshape itself/)
  assert.deepEqual(await npmCalls(log), ['npm ci --ignore-scripts --no-audit --no-fund --loglevel=error', 'npm run --silent build'])
  assert.match(await readFile(log, 'utf8'), new RegExp(`^self-install \\d+ --node ${process.execPath}$`, 'm'), 'the command is installed with the node setup.sh found')

  const second = await runProcess('sh', [join(dir, 'setup.sh'), '--yes'], { env })
  assert.equal(second.stdout.trim(), 'cli setup --yes')
  assert.equal((await npmCalls(log)).length, 2, 'nothing installed or built again')
  assert.doesNotMatch(second.stderr, /installing dependencies|building/)

  await put(join(dir, 'lib/a.ts'), 'export const a = 2\n')
  await runProcess('sh', [join(dir, 'setup.sh')], { env })
  assert.deepEqual((await npmCalls(log)).slice(2), ['npm run --silent build'], 'a changed source builds again, without npm ci')
  await put(join(dir, 'package-lock.json'), '{"lockfileVersion": 3, "changed": true}\n')
  await runProcess('sh', [join(dir, 'setup.sh')], { env })
  assert.equal((await npmCalls(log)).filter((l) => l.startsWith('npm ci')).length, 2, 'a new lock file installs again')
})

test('setup.sh with a Node too old and the mirror unreachable: says why and what it tried, exit 1, nothing installed', async (t) => {
  if (!(await need(t, 'curl'))) return
  for (const old of ['v18.19.0', 'v20.5.1']) {
    const dir = await checkout(t)
    const bin = join(dir, 'bin')
    await fakeExecutable(bin, 'node', `echo ${old}`)
    const mirror = `http://127.0.0.1:${await refusingPort()}`
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, SHIPSHAPE_NODE_MIRROR: mirror }
    const r = await runProcess('sh', [join(dir, 'setup.sh')], { env })
    assert.equal(r.code, 1, old)
    assert.match(r.stderr, new RegExp(`node ${old.replaceAll('.', '\\.')} on PATH is older than 20\\.18: installing Node\\.js \\d+\\.\\d+\\.\\d+ for shipshape alone in ${dir}/\\.local/share/shipshape/node`))
    assert.match(r.stderr, /cannot download http:\/\/127\.0\.0\.1:\d+\/v[\d.]+\/node-v[\d.]+-linux-(x64|arm64)\.tar\.gz: curl: \(7\) .*; nothing was installed/)
    assert.deepEqual(await readdir(join(dir, '.local/share/shipshape/node')), [], 'no download left behind')
  }
})

test('setup.sh where no signature can be checked (a Mac without gpg) refuses a mirror without TLS before downloading', async (t) => {
  const dir = await checkout(t)
  const bin = join(dir, 'bin')
  await fakeExecutable(bin, 'uname', 'case "$1" in -s) echo Darwin ;; -m) echo arm64 ;; esac')
  const path = `${bin}:${await pathWithout(t, ['gpgv', 'sqv', 'gpg', 'node', 'apt-get'], '/usr/bin:/bin')}`
  const env = { PATH: path, HOME: dir, SHIPSHAPE_NODE_MIRROR: `http://127.0.0.1:${await refusingPort()}` }
  const r = await runProcess('sh', [join(dir, 'setup.sh')], { env })
  assert.equal(r.code, 1, r.stderr)
  assert.match(r.stderr, /no node on PATH: installing Node\.js [\d.]+/)
  assert.match(r.stderr, /no gpgv, sqv or gpg here to check Node's signature, and http:\/\/127\.0\.0\.1:\d+ is not HTTPS: refusing an unchecked download/)
  assert.doesNotMatch(r.stderr, /downloading/)
})

test('sudo ./setup.sh installs shipshape as the user who ran sudo; only the plan runs as root', async (t) => {
  if (!(await need(t, 'root', 'sudo'))) return
  const user = 'shipshape-sudo'
  if ((await runProcess('id', ['-u', user])).code !== 0) assert.equal((await runProcess('useradd', ['-m', user])).code, 0)
  const uid = Number((await runProcess('id', ['-u', user])).stdout.trim())
  const home = (await runProcess('sh', ['-c', `getent passwd ${user} | cut -d: -f6`])).stdout.trim()
  const dir = await checkout(t)
  const bin = join(dir, 'bin')
  await mkdir(bin, { recursive: true })
  await symlink(join(provisionBin, 'npm'), join(bin, 'npm'))
  const log = join(dir, 'fake.log')
  await put(log, '')
  assert.equal((await runProcess('chown', ['-R', `${user}:`, dir])).code, 0)
  const env = { PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: '/root', SUDO_USER: user, SHIPSHAPE_FAKE_LOG: log }
  const r = await runProcess('sh', [join(dir, 'setup.sh'), '--dry-run'], { env })
  assert.equal(r.code, 7, r.stderr)
  assert.match(r.stderr, /installing shipshape as shipshape-sudo; only the machine's plan runs as root/)
  assert.equal(r.stdout.trim(), 'cli setup --dry-run', 'the plan runs as root')
  assert.match(await readFile(log, 'utf8'), new RegExp(`^self-install ${uid} --node `, 'm'), 'the command is installed by the user')
  for (const made of ['node_modules/.shipshape-installed-lock.json', 'dist/.shipshape-built-from']) {
    assert.equal((await stat(join(dir, made))).uid, uid, `${made} belongs to the user`)
  }
  const rootOwned = await runProcess('find', [home, '-uid', '0'])
  assert.equal(rootOwned.stdout.trim(), '', `nothing in ${home} is root's`)
})

test('setup.sh is POSIX sh and shellcheck-clean', async (t) => {
  if (!(await need(t, 'shellcheck'))) return
  const r = await runProcess('shellcheck', ['--shell=sh', join(projectRoot, 'setup.sh')], {})
  assert.equal(r.code, 0, r.stdout)
})
