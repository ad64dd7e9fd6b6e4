// setup.sh on a machine with no Node at all: a fresh Debian 12 (debootstrap minbase, nothing of this
// machine mounted but the project) where setup.sh must install curl with apt, download Node from a
// mirror, check the signature and the checksum, and install the `shipshape` command. The mirror is a
// loopback server in nodejs.org's layout (test/node-mirror.ts) whose SHASUMS256.txt is signed by a
// key made in the test; the project's copy carries that key in place of the Node.js release keys.
// Scenarios, in one container so they share one build: a tampered tarball, a bad signature and the
// mirror down are refused with nothing installed; then a dry run installs Node and the command; then
// with Debian's Node 18 on PATH and the mirror gone, a second run uses what is there.

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { cp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { freshImage, must, projectCopy, sh } from '../fresh-debian.js'
import { need } from '../gate.js'
import { projectRoot } from '../helpers.js'
import { refusingPort } from '../loopback.js'
import { nodeMirror } from '../node-mirror.js'

test('setup.sh on a Debian 12 with no Node: a verified Node of its own, refusals that install nothing, and shipshape on PATH', { timeout: 40 * 60_000 }, async (t) => {
  if (!(await need(t, 'docker', 'debootstrap', 'root', 'gpg'))) return
  const [image, mirror, project] = await Promise.all([freshImage(), nodeMirror(t), projectCopy(t)])
  const v = mirror.version
  await writeFile(join(project, 'keys/node-release-keys.gpg'), mirror.keyring)
  // The dependencies come from this checkout (npm ci has its own test): setup.sh finds them
  // installed for this lock file and builds once, with the Node it installed.
  await cp(join(projectRoot, 'node_modules'), join(project, 'node_modules'), { recursive: true, verbatimSymlinks: true })
  await cp(join(projectRoot, 'package-lock.json'), join(project, 'node_modules/.shipshape-installed-lock.json'))

  const name = `shipshape-e2e-nonode-${randomBytes(4).toString('hex')}`
  t.after(() => sh('docker', ['rm', '-f', name]).then(() => {}))
  await must('docker', ['run', '-d', '--name', name, '--network', 'host', '-v', `${project}:/shipshape`, image, 'sleep', 'infinity'])
  const exec = (args: string[], env: string[] = [], timeoutMs = 20 * 60_000) =>
    sh('docker', ['exec', '-w', '/shipshape', ...['HOME=/root', ...env].flatMap((e) => ['-e', e]), name, ...args], timeoutMs)
  // The day's image links npm to where other tests mount the host's: this machine has none of it.
  await exec(['rm', '-f', '/usr/local/bin/npm', '/usr/local/bin/npx'])
  for (const tool of ['node', 'npm', 'curl', 'wget']) assert.notEqual((await exec(['sh', '-c', `command -v ${tool}`])).code, 0, `${tool} is already there`)

  const setup = (mirrorUrl: string) => exec(['./setup.sh', '--dry-run'], [`SHIPSHAPE_NODE_MIRROR=${mirrorUrl}`])
  const nothingInstalled = async (what: string) => {
    const left = await exec(['sh', '-c', 'ls -A /root/.local/share/shipshape/node 2>/dev/null; ls /root/.local/bin/shipshape 2>/dev/null; true'])
    assert.equal(left.stdout.trim(), '', `${what} left ${left.stdout}`)
  }
  const tarball = `node-v${v}-linux-x64.tar.gz`
  const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

  mirror.serve('tampered')
  const tampered = await setup(mirror.url)
  t.diagnostic(tampered.stderr.slice(-2000))
  assert.equal(tampered.code, 1)
  assert.match(tampered.stderr, /installing curl ca-certificates( gpgv)? libatomic1 with apt/)
  assert.match(tampered.stderr, new RegExp(`no node on PATH: installing Node\\.js ${esc(v)} for shipshape alone`))
  assert.match(tampered.stderr, new RegExp(`refusing ${esc(tarball)}: its SHA-256 is [0-9a-f]{64}, and the signed SHASUMS256\\.txt says [0-9a-f]{64}; nothing was installed`))
  await nothingInstalled('a tampered tarball')

  mirror.serve('bad-signature')
  const forged = await setup(mirror.url)
  assert.equal(forged.code, 1)
  assert.match(forged.stderr, new RegExp(`refusing Node\\.js ${esc(v)}: SHASUMS256\\.txt\\.asc is not signed by a Node\\.js release key in keys/node-release-keys\\.gpg \\(.+\\); nothing was installed`))
  await nothingInstalled('a bad signature')

  const down = `http://127.0.0.1:${await refusingPort()}`
  const unreachable = await setup(down)
  assert.equal(unreachable.code, 1)
  assert.match(unreachable.stderr, new RegExp(`cannot download ${esc(`${down}/v${v}/${tarball}`)}: curl: \\(7\\) .*; nothing was installed`))
  await nothingInstalled('an unreachable mirror')

  mirror.serve('release')
  const first = await setup(mirror.url)
  t.diagnostic(first.stderr.slice(-3000))
  assert.equal(first.code, 0, `${first.stdout}\n${first.stderr}`)
  assert.match(first.stderr, /a dry run still installs shipshape itself/)
  assert.match(first.stderr, new RegExp(`verified ${esc(tarball)} \\(SHA-256 [0-9a-f]{64}\\)`))
  assert.match(first.stderr, /building shipshape/)
  assert.match(first.stderr, /installed \/root\/\.local\/bin\/shipshape \(runs \/shipshape\/dist\/cli\/shipshape\.js with \/root\/\.local\/share\/shipshape\/node\/current\/bin\/node\)/)
  assert.match(first.stdout, /shipshape setup|plan|Plan/i, 'the plan for the machine follows')
  assert.equal((await exec(['readlink', '/root/.local/share/shipshape/node/current'])).stdout.trim(), `node-v${v}-linux-x64`)
  const login = await exec(['bash', '-lc', 'shipshape --version'])
  assert.equal(login.code, 0, `a new login shell finds shipshape: ${login.stderr}`)
  assert.match(login.stdout, /^\d+\.\d+\.\d+\n$/)

  // Debian's own Node 18, too old, on PATH; the mirror gone. What is installed is used, and nothing is built again.
  const apt = await exec(['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'nodejs'], ['DEBIAN_FRONTEND=noninteractive'])
  assert.equal(apt.code, 0, apt.stderr)
  const again = await setup(down)
  assert.equal(again.code, 0, again.stderr)
  assert.match(again.stderr, new RegExp(`node v18\\.[\\d.]+ on PATH is older than 20\\.18: using shipshape's own Node\\.js ${esc(v)}`))
  assert.doesNotMatch(again.stderr, /downloading|installing dependencies|building shipshape|installed \/root/)
  const stillThere = await exec(['bash', '-lc', 'node --version && shipshape --version'])
  assert.match(stillThere.stdout, /^v18\.[\d.]+\n\d+\.\d+\.\d+\n$/, 'the system node is left alone; shipshape runs on its own')
})
