// A real fresh machine: Debian 12 from `debootstrap --variant=minbase`, imported as an image and run
// with --network host (apt reaches the machine's configured mirror), this machine's node and a copy
// of the project mounted, and the host's Docker socket mounted in. `./setup.sh --yes --docker auto`
// runs there with https_proxy at a refusing loopback port: Docker's repository and the kubectl and
// minikube downloads fail by name without hanging, Docker comes from Debian's docker.io and talks
// to the mounted socket, and a second run plans nothing for what succeeded.
// The debootstrap tarball is cached per day under the temp folder; it is rebuilt from nothing when absent.

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile, chmod, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { need } from '../gate.js'
import { projectRoot, runProcess, tempDir, type CliResult } from '../helpers.js'
import { refusingPort } from '../loopback.js'

const DAY = new Date().toISOString().slice(0, 10)
const CACHE = join(tmpdir(), 'shipshape-e2e-cache')
const IMAGE = `shipshape-test/e2e-bookworm:${DAY}`

async function sh(cmd: string, args: string[], timeoutMs = 120_000, input?: string): Promise<CliResult> {
  return runProcess(cmd, args, { timeoutMs, input })
}

async function must(cmd: string, args: string[], timeoutMs?: number): Promise<string> {
  const r = await sh(cmd, args, timeoutMs)
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

/** The Debian mirror this machine's apt already uses (one-line or deb822 sources), read at run time. */
async function debianMirror(): Promise<string> {
  const files = ['/etc/apt/sources.list', ...(await readdir('/etc/apt/sources.list.d').catch(() => [] as string[])).map((f) => join('/etc/apt/sources.list.d', f))]
  for (const file of files.filter((f) => /\.(list|sources)$/.test(f))) {
    const text = await readFile(file, 'utf8').catch(() => '')
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = stanza.match(/^URIs:\s*(\S+)/m)?.[1]
      if (uri && /^Suites:.*\bbookworm\b/m.test(stanza) && !/security/.test(uri)) return uri
    }
    for (const line of text.split('\n')) {
      const m = line.match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/)
      if (m && !/security/.test(m[1])) return m[1]
    }
  }
  throw new Error('no Debian bookworm mirror in /etc/apt/sources.list*')
}

/** The fresh-machine image: cached for the day, built from debootstrap when missing. */
async function freshImage(): Promise<string> {
  if ((await sh('docker', ['image', 'inspect', IMAGE])).code === 0) return IMAGE
  await mkdir(CACHE, { recursive: true })
  const tarball = join(CACHE, `bookworm-minbase-${DAY}.tar`)
  if (!(await stat(tarball).then(() => true, () => false))) {
    const root = join(CACHE, `rootfs-${randomBytes(4).toString('hex')}`)
    try {
      await must('debootstrap', ['--variant=minbase', 'bookworm', root, await debianMirror()], 15 * 60_000)
      // No service may start inside: the Docker daemon here is the host's, shared through its socket.
      await writeFile(join(root, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n')
      await chmod(join(root, 'usr/sbin/policy-rc.d'), 0o755)
      // The host's npm is mounted at /usr/local/lib/node_modules/npm; this puts it on PATH.
      await mkdir(join(root, 'usr/local/bin'), { recursive: true })
      await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm'))
      await must('tar', ['-C', root, '-cf', `${tarball}.tmp`, '.'], 5 * 60_000)
      await rename(`${tarball}.tmp`, tarball)
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  }
  await must('docker', ['import', tarball, IMAGE], 5 * 60_000)
  return IMAGE
}

/** The project as a fresh clone would have it: tracked and new files, no node_modules or dist. */
async function projectCopy(t: TestContext): Promise<string> {
  const dir = await tempDir(t, 'shipshape-e2e-project-')
  const files = (await must('git', ['-C', projectRoot, 'ls-files', '-co', '--exclude-standard'])).split('\n').filter(Boolean)
  for (const f of files) {
    const from = join(projectRoot, f)
    if (!(await stat(from).then((s) => s.isFile(), () => false))) continue
    await mkdir(dirname(join(dir, f)), { recursive: true })
    await cp(from, join(dir, f), { preserveTimestamps: true })
  }
  return dir
}

test('a fresh Debian 12 gets Docker from setup.sh; unreachable downloads fail by name; a second run plans nothing for what worked', { timeout: 40 * 60_000 }, async (t) => {
  if (!(await need(t, 'docker', 'debootstrap', 'root'))) return
  const image = await freshImage()
  const project = await projectCopy(t)
  const name = `shipshape-e2e-${randomBytes(4).toString('hex')}`
  const npmDir = join(dirname(process.execPath), '../lib/node_modules/npm')
  // The dependencies come from this checkout (the container has no registry it may use): setup.sh
  // finds them installed for this lock file and goes on to build. Its npm ci path has its own test.
  await cp(join(projectRoot, 'node_modules'), join(project, 'node_modules'), { recursive: true, verbatimSymlinks: true })
  await cp(join(projectRoot, 'package-lock.json'), join(project, 'node_modules/.shipshape-installed-lock.json'))
  t.after(() => sh('docker', ['rm', '-f', name]).then(() => {}))
  await must('docker', ['run', '-d', '--name', name, '--network', 'host',
    '-v', `${process.execPath}:/usr/local/bin/node:ro`, '-v', `${npmDir}:/usr/local/lib/node_modules/npm:ro`,
    '-v', `${project}:/shipshape`, '-v', '/var/run/docker.sock:/var/run/docker.sock',
    image, 'sleep', 'infinity'])

  const proxy = `http://127.0.0.1:${await refusingPort()}`
  const env = ['HOME=/root', `https_proxy=${proxy}`, `HTTPS_PROXY=${proxy}`]
  const exec = (args: string[], timeoutMs = 20 * 60_000) => sh('docker', ['exec', '-w', '/shipshape', ...env.flatMap((e) => ['-e', e]), name, ...args], timeoutMs)

  const first = await exec(['./setup.sh', '--yes', '--docker', 'auto'])
  const out = `${first.stdout}\n${first.stderr}`
  t.diagnostic(out.slice(-4000))
  assert.match(out, /Docker's repository cannot be reached \(cannot download https:\/\/download\.docker\.com\/linux\/debian\/gpg \(through the https proxy\): ECONNREFUSED\)/)
  assert.match(out, /✓ Install Docker from debian's packages \(docker\.io\)/)
  assert.match(out, /cannot download https:\/\/pkgs\.k8s\.io\/core:\/stable:\/v1\.\d+\/deb\/Release\.key \(through the https proxy\): ECONNREFUSED/)
  assert.match(out, /cannot download https:\/\/storage\.googleapis\.com\/minikube\/releases\/latest\/minikube_latest_amd64\.deb\.sha256 \(through the https proxy\): ECONNREFUSED/)
  assert.equal(first.code, 1, 'steps failed, so setup says so')
  assert.match(out, /Log: \/root\/\.shipshape\/logs\/.*\.log/)

  const version = await exec(['docker', 'version', '--format', '{{.Server.Version}}'], 60_000)
  assert.equal(version.code, 0, version.stderr)
  assert.match(version.stdout.trim(), /^\d+\.\d+/, 'the docker installed inside reaches the host daemon through the mounted socket')

  const second = await exec(['./setup.sh', '--dry-run', '--format', 'json', '--docker', 'auto'])
  assert.equal(second.code, 0, second.stderr)
  const plan = JSON.parse(second.stdout) as { steps: { id: string }[] }
  const planned = plan.steps.map((s) => s.id)
  for (const id of ['apt-update', 'docker-engine', 'docker-service', 'docker-group']) assert.ok(!planned.includes(id), `${id} planned again: ${planned}`)
  assert.ok(planned.includes('kubernetes-apt-key') || planned.includes('kubectl'), 'what failed is planned again')
})
