// The plan `shipshape setup --dry-run` makes on each platform shipshape supports, built from fixture
// host roots (SHIPSHAPE_HOST_ROOT, SHIPSHAPE_ARCH) and fake brew/apt-get/dpkg/sudo/curl that log
// their argv: the right installer for each, nothing run that changes the machine, and nothing
// planned where everything is already in place.

import assert from 'node:assert/strict'
import { mkdir, readdir, readFile, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createContext } from '../../lib/context.js'
import { DOCKER_PACKAGES } from '../../lib/provision/docker-apt.js'
import type { DockerChoice } from '../../lib/provision/docker.js'
import { provisionFix } from '../../lib/provision/fixes.js'
import { buildPlan, type Plan } from '../../lib/provision/plan.js'
import { fixLines, stepText } from '../../lib/report/fix-text.js'
import type { Finding, Status } from '../../lib/types.js'
import { cleanEnv, fakeBinDir, put, runCli, tempDir } from '../helpers.js'
import { writeDockerContext } from '../engine-socket.js'

/** Fake brew, apt-get, dpkg, sudo, curl… that log their argv (test/bin/provision). */
const provisionBin = join(fakeBinDir, 'provision')

type Fixture = 'macos' | 'wsl1' | 'wsl2' | 'wsl2-desktop' | 'ubuntu-22.04' | 'ubuntu-24.04' | 'debian-12'

const OS_RELEASE: Record<string, string> = {
  'ubuntu-22.04': 'NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\nVERSION_CODENAME=jammy\nUBUNTU_CODENAME=jammy\n',
  'ubuntu-24.04': 'NAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\nVERSION_CODENAME=noble\nUBUNTU_CODENAME=noble\n',
  'debian-12': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n',
}

/** A host root that reads like the named platform. */
async function hostRoot(t: TestContext, kind: Fixture): Promise<string> {
  const root = await tempDir(t, 'shipshape-host-')
  if (kind === 'macos') {
    await put(join(root, 'System/Library/CoreServices/SystemVersion.plist'), '<plist><dict><key>ProductName</key><string>macOS</string><key>ProductVersion</key><string>14.5</string></dict></plist>\n')
    return root
  }
  const wsl = kind.startsWith('wsl')
  await put(join(root, 'etc/os-release'), wsl ? OS_RELEASE['ubuntu-24.04'] : OS_RELEASE[kind])
  const kernel = kind === 'wsl1' ? '4.4.0-19041-Microsoft' : wsl ? '5.15.153.1-microsoft-standard-WSL2' : '6.1.0-27-amd64'
  await put(join(root, 'proc/version'), `Linux version ${kernel} (gcc) #1 SMP\n`)
  await put(join(root, 'proc/sys/kernel/osrelease'), `${kernel}\n`)
  await put(join(root, 'proc/sys/vm/max_map_count'), '65530\n')
  if (wsl) await put(join(root, 'proc/sys/fs/binfmt_misc/WSLInterop'), 'enabled\n')
  if (kind === 'wsl2-desktop') await mkdir(join(root, 'mnt/wsl/docker-desktop/shared-sockets'), { recursive: true })
  if (!wsl) await mkdir(join(root, 'run/systemd/system'), { recursive: true })
  return root
}

const CHECKS = ['docker-cli', 'docker-host', 'kubectl', 'minikube', 'kube-context', 'max-map-count']
const finding = (id: string, status: Status = 'fail'): Finding => ({ id, title: id, required: true, status, summary: status === 'fail' ? `${id} is missing` : 'fine', version: null, details: [], durationMs: 1, fix: null })

interface PlanRun {
  plan: Plan
  notes: string[]
  lines: string[]
  fakeLog: () => Promise<string>
}

interface PlanOpts { checks?: string[]; arch?: string; docker?: DockerChoice; path?: string; status?: Status; env?: Record<string, string>; leftovers?: boolean; context?: string }

async function planOn(t: TestContext, kind: Fixture, opts: PlanOpts = {}): Promise<PlanRun> {
  const root = await hostRoot(t, kind)
  const home = await tempDir(t, 'shipshape-home-')
  if (opts.leftovers) {
    // What an older guide leaves behind: a one-line docker.list, docker.io, a DOCKER_HOST in .bashrc.
    await put(join(root, 'etc/apt/sources.list.d/docker.list'), 'deb [arch=amd64] https://download.docker.com/linux/debian bookworm stable\n')
    await put(join(home, '.bashrc'), 'export DOCKER_HOST=tcp://localhost:2375\n')
    opts.env = { FAKE_DPKG_INSTALLED: 'docker.io', ...opts.env }
  }
  // The docker context an engine's installer made current (colima, orbstack…), pointing into HOME.
  if (opts.context) await writeDockerContext(home, opts.context, `unix://${home}/.${opts.context}/default/docker.sock`)
  const log = join(home, 'fake.log')
  const env = {
    SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_ARCH: opts.arch ?? 'x64', PATH: opts.path ?? `${provisionBin}:/usr/bin:/bin`,
    HOME: home, USER: 'alice', SHELL: '/bin/bash', SHIPSHAPE_UID: '1000', SHIPSHAPE_FAKE_LOG: log,
    ...(kind.startsWith('wsl') ? { WSL_DISTRO_NAME: 'Ubuntu-24.04' } : {}), ...opts.env,
  }
  const ctx = await createContext({ env, cwd: home })
  const findings = (opts.checks ?? CHECKS).map((id) => finding(id, opts.status))
  const notes: string[] = []
  for (const f of findings) {
    if (f.status === 'ok') continue
    f.fix = await provisionFix(f.id, ctx, f, { docker: opts.docker ?? 'auto', probeNetwork: false })
    if (f.fix?.note) notes.push(f.fix.note)
  }
  const plan = await buildPlan(ctx, findings)
  return { plan, notes, lines: plan.steps.map((s) => `${s.id}: ${s.argv.length ? stepText(s) : '(shipshape)'}`), fakeLog: () => readFile(log, 'utf8').catch(() => '') }
}

/** Nothing a dry run asks may change the machine: only read-only questions reach the fakes. */
async function onlyQuestions(run: PlanRun) {
  for (const line of (await run.fakeLog()).trim().split('\n').filter(Boolean)) {
    assert.match(line, /^(dpkg-query -W|brew list|id -nG|systemctl is-active)/, `a dry run ran '${line}'`)
  }
}

test('macOS on Apple Silicon with Homebrew: Docker Desktop cask, kubectl and minikube from /opt/homebrew', async (t) => {
  const run = await planOn(t, 'macos', { arch: 'arm64' })
  assert.deepEqual(run.lines, [
    'docker-desktop: /opt/homebrew/bin/brew install --cask docker-desktop',
    'kubectl: /opt/homebrew/bin/brew install kubectl',
    'minikube: /opt/homebrew/bin/brew install minikube',
    'minikube-start: minikube start --driver=docker',
  ])
  assert.ok(run.plan.steps.every((s) => !s.sudo), 'nothing on macOS runs as root')
  assert.ok(run.plan.manual.some((m) => m.includes("Docker Desktop's VM holds the setting")))
  await onlyQuestions(run)
})

test('macOS on Intel without Homebrew: its official installer first, its shellenv line, then brew from /usr/local', async (t) => {
  const run = await planOn(t, 'macos', { arch: 'x64', path: '/nonexistent' })
  assert.equal(run.lines[0], 'homebrew: (shipshape)')
  assert.equal(run.lines[1], 'homebrew-shellenv: (shipshape)')
  assert.equal(run.lines[2], 'docker-desktop: /usr/local/bin/brew install --cask docker-desktop')
  for (const s of run.plan.steps.filter((s) => s.argv[0]?.endsWith('brew'))) assert.deepEqual(s.needs, ['homebrew'])
  assert.match(run.plan.steps[0].title, /raw\.githubusercontent\.com\/Homebrew\/install\/HEAD\/install\.sh/)
})

test('macOS with --docker colima: colima and the docker CLI, then colima start', async (t) => {
  const run = await planOn(t, 'macos', { arch: 'arm64', docker: 'colima' })
  assert.deepEqual(run.lines.slice(0, 2), ['colima: /opt/homebrew/bin/brew install colima docker', 'colima-start: /opt/homebrew/bin/colima start'])
})

test('macOS with --docker orbstack: the OrbStack cask, then orb start; --docker podman: podman and its machine', async (t) => {
  const orb = await planOn(t, 'macos', { arch: 'arm64', docker: 'orbstack' })
  assert.deepEqual(orb.lines.slice(0, 2), ['orbstack: /opt/homebrew/bin/brew install --cask orbstack', 'orbstack-start: /opt/homebrew/bin/orb start'])
  const podman = await planOn(t, 'macos', { arch: 'arm64', docker: 'podman' })
  assert.deepEqual(podman.lines.slice(0, 3), [
    'podman: /opt/homebrew/bin/brew install podman docker',
    'podman-machine-init: /opt/homebrew/bin/podman machine init',
    'podman-machine-start: /opt/homebrew/bin/podman machine start',
  ])
  for (const run of [orb, podman]) assert.ok(!run.lines.some((l) => /docker-desktop/.test(l)), run.lines.join('\n'))
})

test('macOS with colima as the docker context: auto keeps colima, and vm.max_map_count is set in its VM', async (t) => {
  const run = await planOn(t, 'macos', { arch: 'arm64', context: 'colima' })
  assert.deepEqual(run.lines.slice(0, 2), ['colima: /opt/homebrew/bin/brew install colima docker', 'colima-start: /opt/homebrew/bin/colima start'])
  assert.ok(!run.lines.some((l) => /docker-desktop/.test(l)), run.lines.join('\n'))
  assert.match(run.notes.join('\n'), /colima is the engine in use/)
  assert.ok(run.plan.manual.some((m) => m.includes("colima's VM holds the setting: colima ssh -- sudo sysctl -w vm.max_map_count=262144")), run.plan.manual.join('\n'))
})

test('Linux with rootless Docker as the context: the CLI without the docker group or the root service', async (t) => {
  const run = await planOn(t, 'debian-12', { context: 'rootless' })
  const ids = run.plan.steps.map((s) => s.id)
  assert.ok(ids.includes('docker-engine'), ids.join(' '))
  assert.ok(!ids.includes('docker-group') && !ids.includes('docker-service'), ids.join(' '))
})

test('a Docker.app installed by hand counts as installed', async (t) => {
  const run = await planOn(t, 'macos', { arch: 'arm64' })
  const withApp = await hostRoot(t, 'macos')
  await mkdir(join(withApp, 'Applications/Docker.app'), { recursive: true })
  const ctx = await createContext({ env: { SHIPSHAPE_HOST_ROOT: withApp, SHIPSHAPE_ARCH: 'arm64', PATH: provisionBin }, cwd: '/' })
  const step = run.plan.steps.find((s) => s.id === 'docker-desktop')!
  assert.equal(await step.done!(ctx), true)
})

for (const [kind, distro, codename] of [['ubuntu-22.04', 'ubuntu', 'jammy'], ['ubuntu-24.04', 'ubuntu', 'noble'], ['debian-12', 'debian', 'bookworm']] as const) {
  test(`${kind}: Docker's apt repository with a verified key, kubectl from pkgs.k8s.io, minikube's .deb, sysctl`, async (t) => {
    const run = await planOn(t, kind, { leftovers: true })
    assert.deepEqual(run.plan.steps.map((s) => s.id), [
      'apt-keyrings-dir', 'docker-apt-key', 'docker-apt-old-sources', 'docker-apt-source', 'docker-apt-update', 'docker-conflicts-remove', 'docker-engine',
      'docker-service', 'docker-group', 'docker-host-rc', 'kubernetes-apt-key', 'kubernetes-apt-source', 'kubernetes-apt-update', 'kubectl',
      'minikube', 'minikube-start', 'max-map-count-now', 'max-map-count-boot',
    ])
    const line = (id: string) => run.lines.find((l) => l.startsWith(`${id}:`))
    assert.equal(line('docker-engine'), `docker-engine: sudo apt-get install -y --no-install-recommends ${DOCKER_PACKAGES.join(' ')}`)
    assert.equal(line('docker-group'), 'docker-group: sudo usermod -aG docker alice')
    assert.equal(line('docker-service'), 'docker-service: sudo systemctl enable --now docker.service containerd.service')
    assert.equal(line('max-map-count-now'), 'max-map-count-now: sudo sysctl -w vm.max_map_count=262144')
    assert.match(run.plan.steps.find((s) => s.id === 'docker-apt-key')!.title, /9DC8 5822 9FC7 DD38 854A {2}E2D8 8D81 803C 0EBF CD88/)
    assert.match(run.plan.steps.find((s) => s.id === 'kubernetes-apt-source')!.title, /Kubernetes 1\.\d+/)
    assert.match(run.plan.steps.find((s) => s.id === 'minikube')!.title, /minikube_latest_amd64\.deb, checked against its published sha256/)
    assert.match(run.notes.join('\n'), /Docker's repository/)
    assert.ok(!(await run.fakeLog()).includes('curl'), 'nothing calls curl')
    // Only the conflicting package seen installed (docker.io) is removed, and the step names it.
    assert.equal(line('docker-conflicts-remove'), 'docker-conflicts-remove: sudo apt-get remove -y docker.io')
    assert.match(run.plan.steps.find((s) => s.id === 'docker-conflicts-remove')!.title, /^Remove docker\.io \(installed here/)
    // doctor's fix text: what shipshape does itself, as the commands a person could paste (download, check, put in place).
    const text = fixLines({ steps: run.plan.steps })
    assert.equal(text[1], `curl -fsSL -o /tmp/docker.asc https://download.docker.com/linux/${distro}/gpg && gpg --show-keys /tmp/docker.asc | grep -q 9DC858229FC7DD38854AE2D88D81803C0EBFCD88 && sudo install -m 0644 /tmp/docker.asc /etc/apt/keyrings/docker.asc`)
    assert.equal(text[2], 'sudo mv -f /etc/apt/sources.list.d/docker.list /etc/apt/sources.list.d/docker.list.shipshape.disabled')
    assert.match(text[3], new RegExp(`^printf '%s\\\\n' 'Types: deb' 'URIs: https://download\\.docker\\.com/linux/${distro}' .* \\| sudo tee /etc/apt/sources\\.list\\.d/docker\\.sources$`))
    const minikube = text[run.plan.steps.findIndex((s) => s.id === 'minikube')]
    assert.match(minikube, /^curl -fsSL -o \/tmp\/minikube_latest_amd64\.deb https:\/\/\S+ && curl -fsSL https:\/\/\S+\.sha256 \| awk .* \| sha256sum -c && sudo dpkg -i \/tmp\/minikube_latest_amd64\.deb$/)
    assert.match(text[run.plan.steps.findIndex((s) => s.id === 'max-map-count-boot')], /\| sudo tee \/etc\/sysctl\.d\/99-shipshape-max-map-count\.conf$/)
    assert.match(run.plan.steps.find((s) => s.id === 'kubernetes-apt-key')!.title, /DE15 B144 86CD 377B 9E87 {2}6E1A 2346 54DA 9A29 6436/)
    assert.equal(text[0], 'sudo install -m 0755 -d /etc/apt/keyrings')
    await onlyQuestions(run)
    const ctx = await createContext({ env: { SHIPSHAPE_HOST_ROOT: await hostRoot(t, kind), SHIPSHAPE_ARCH: 'x64', SHIPSHAPE_UID: '0' }, cwd: '/' })
    await mkdir(join(ctx.hostRoot, 'etc/apt/sources.list.d'), { recursive: true })
    await run.plan.steps.find((s) => s.id === 'docker-apt-source')!.perform!(ctx)
    assert.equal(await readFile(join(ctx.hostRoot, 'etc/apt/sources.list.d/docker.sources'), 'utf8'),
      `Types: deb\nURIs: https://download.docker.com/linux/${distro}\nSuites: ${codename}\nComponents: stable\nArchitectures: amd64\nSigned-By: /etc/apt/keyrings/docker.asc\n`)
  })
}

test("--docker distro on Debian 12 and Ubuntu uses the distribution's packages and its Compose", async (t) => {
  const debian = await planOn(t, 'debian-12', { docker: 'distro' })
  assert.equal(debian.lines.find((l) => l.startsWith('docker-engine')), 'docker-engine: sudo apt-get install -y --no-install-recommends docker.io docker-compose')
  assert.ok(debian.lines.indexOf('apt-update: sudo apt-get update') < debian.lines.findIndex((l) => l.startsWith('docker-engine')))
  assert.ok(!debian.plan.steps.some((s) => s.id.startsWith('docker-apt')))
  const ubuntu = await planOn(t, 'ubuntu-24.04', { docker: 'distro' })
  assert.match(ubuntu.lines.find((l) => l.startsWith('docker-engine'))!, /docker\.io docker-compose-v2$/)
})

test("Compose v2 where only v1 is: Ubuntu's docker-compose-v2, elsewhere Docker's plugin package", async (t) => {
  const ubuntu = await planOn(t, 'ubuntu-24.04', { checks: ['docker-compose'] })
  assert.deepEqual(ubuntu.lines, ['apt-update: sudo apt-get update', 'docker-compose: sudo apt-get install -y --no-install-recommends docker-compose-v2'])
  const debian = await planOn(t, 'debian-12', { checks: ['docker-compose'], env: { FAKE_DPKG_INSTALLED: 'docker.io docker-compose' } })
  assert.deepEqual(debian.plan.steps.map((s) => s.id), ['apt-keyrings-dir', 'docker-apt-key', 'docker-apt-source', 'docker-apt-update', 'docker-compose'])
  assert.equal(debian.lines.at(-1), 'docker-compose: sudo apt-get install -y --no-install-recommends docker-compose-plugin')
})

test('WSL 2 with Docker Desktop: nothing installed for Docker, the integration to turn on, .wslconfig by hand', async (t) => {
  const run = await planOn(t, 'wsl2-desktop')
  assert.ok(!run.plan.steps.some((s) => s.id.startsWith('docker-') && s.id !== 'docker-host-rc'), run.lines.join('\n'))
  assert.ok(run.plan.manual.some((m) => /WSL integration → turn on Ubuntu-24\.04/.test(m)))
  assert.ok(run.plan.manual.some((m) => /\.wslconfig[\s\S]*kernelCommandLine = "sysctl\.vm\.max_map_count=262144"/.test(m)))
  assert.ok(!run.plan.steps.some((s) => s.id.startsWith('max-map-count')))
  assert.ok(run.plan.steps.some((s) => s.id === 'kubectl'))
})

test('WSL 2 without Docker Desktop or systemd: the native engine, and systemd turned on in wsl.conf', async (t) => {
  const run = await planOn(t, 'wsl2')
  const ids = run.plan.steps.map((s) => s.id)
  assert.ok(ids.includes('docker-engine') && ids.includes('docker-apt-key'))
  assert.ok(ids.includes('wsl-systemd') && !ids.includes('docker-service'))
  assert.ok(run.plan.manual.some((m) => m.includes('wsl.exe --shutdown')))
})

test('WSL 1: the docker CLI and DOCKER_HOST for Docker Desktop, with the security warning and WSL 2 advice', async (t) => {
  const run = await planOn(t, 'wsl1')
  assert.deepEqual(run.plan.steps.slice(0, 3).map((s) => s.id), ['apt-update', 'docker-engine', 'docker-host-rc'])
  assert.match(run.plan.steps.find((s) => s.id === 'docker-host-rc')!.title, /DOCKER_HOST=tcp:\/\/localhost:2375 in .*\.bashrc/)
  const manual = run.plan.manual.join('\n')
  assert.match(manual, /control Docker, which is root/)
  assert.match(manual, /wsl --set-version <distro> 2/)
})

test('an already provisioned machine plans nothing', async (t) => {
  const allOk = await planOn(t, 'debian-12', { status: 'ok' })
  assert.deepEqual(allOk.plan.steps, [])
  // And where a check still asks, steps whose work is already on disk are left out.
  const run = await planOn(t, 'debian-12', {
    env: { FAKE_DPKG_INSTALLED: `${DOCKER_PACKAGES.join(' ')} kubectl minikube`, FAKE_GROUPS: 'alice docker', FAKE_DOCKER_ACTIVE: 'active' },
  })
  const left = run.plan.steps.map((s) => s.id)
  for (const id of ['docker-engine', 'docker-conflicts-remove', 'docker-group', 'docker-service', 'kubectl', 'minikube', 'docker-host-rc']) assert.ok(!left.includes(id), `${id} was planned again: ${left}`)
})

test('shipshape setup --dry-run --format json prints the platform and the plan document, and rejects an unknown --docker', async (t) => {
  const root = await hostRoot(t, 'macos')
  const home = await tempDir(t)
  // A Mac with nothing installed: PATH holds node and sh only, so this machine's own tools do not count.
  const bin = await tempDir(t)
  await symlink(process.execPath, join(bin, 'node'))
  await symlink('/bin/sh', join(bin, 'sh'))
  // As the Mac's user (uid 501): brew refuses root, so as root these steps are rightly not planned.
  const env = cleanEnv({ PATH: bin, HOME: home, SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_ARCH: 'arm64', SHIPSHAPE_UID: '501' })
  const r = await runCli(['setup', '--dry-run', '--format', 'json'], { env, cwd: home })
  assert.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout)
  assert.equal(doc.platform.kind, 'macos')
  assert.equal(doc.platform.arch, 'arm64')
  // Homebrew first, then everything through Apple silicon's brew, none of it as root. A step shipshape
  // performs itself has, as its argv, the shipshape command that performs it.
  assert.deepEqual(doc.steps.map((s: { id: string; argv: string[]; sudo: boolean }) => [s.id, s.argv.join(' '), s.sudo]), [
    ['homebrew', 'shipshape setup --only docker-cli,kubectl,minikube', false],
    ['homebrew-shellenv', 'shipshape setup --only docker-cli,kubectl,minikube', false],
    ['docker-desktop', '/opt/homebrew/bin/brew install --cask docker-desktop', false],
    ['kubectl', '/opt/homebrew/bin/brew install kubectl', false],
    ['minikube', '/opt/homebrew/bin/brew install minikube', false],
  ])
  assert.ok(doc.manual.some((m: string) => /^docker-cli: Open Docker Desktop once \(open -a Docker\)/.test(m)), doc.manual.join('\n'))
  assert.deepEqual(doc.notes, ['Docker: Docker Desktop is the default on macOS.'])
  assert.deepEqual(await readdir(home), [], 'a dry run writes nothing')
  const bad = await runCli(['setup', '--docker', 'lima'], { env, cwd: home })
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /--docker.*lima.*(auto|choices)/s)
})

test('--docker orbstack or podman on Linux is a usage error: they install through Homebrew on macOS', async (t) => {
  const root = await hostRoot(t, 'debian-12')
  const home = await tempDir(t)
  const r = await runCli(['setup', '--dry-run', '--docker', 'podman', '--only', 'docker-cli'], { env: { PATH: `${provisionBin}:/usr/bin:/bin`, HOME: home, SHIPSHAPE_HOST_ROOT: root }, cwd: home })
  assert.equal(r.code, 2, r.stdout + r.stderr)
  assert.match(r.stderr, /--docker podman installs through Homebrew on macOS only/)
})
