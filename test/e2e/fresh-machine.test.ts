// A real fresh machine: Debian 12 from `debootstrap --variant=minbase`, imported as an image and run
// with --network host (apt reaches the machine's configured mirror), this machine's node and a copy
// of the project mounted, and the host's Docker socket mounted in. `./setup.sh --yes --docker auto`
// runs there with https_proxy at a refusing loopback port: Docker's repository and the kubectl and
// minikube downloads fail by name without hanging, Docker comes from Debian's docker.io and talks
// to the mounted socket, and a second run plans nothing for what succeeded.
// The image is made by test/fresh-debian.ts (debootstrap, cached per day).

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { cp } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { freshImage, must, projectCopy, sh } from '../fresh-debian.js'
import { need } from '../gate.js'
import { projectRoot } from '../helpers.js'
import { refusingPort } from '../loopback.js'

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
