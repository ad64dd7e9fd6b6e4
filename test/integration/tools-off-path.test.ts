// A tool that is installed but not on PATH, through the real CLI: doctor names the folder and fixes
// PATH in shipshape's marked block (Homebrew's shellenv line for its prefix), never a reinstall;
// setup writes it once, the line really works in a shell, and a second setup adds nothing. Then
// Rosetta, where a stack in use runs an amd64-only image on Apple Silicon. Platforms come from
// fixture host roots (SHIPSHAPE_HOST_ROOT, SHIPSHAPE_ARCH); the tools are small scripts that print
// kubectl's and docker's recorded output.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readdir, readFile, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fakeExecutable, fixture, put, runCli, tempDir } from '../helpers.js'

const SYSTEM_VERSION = '<plist><dict><key>ProductName</key><string>macOS</string><key>ProductVersion</key><string>14.5</string></dict></plist>\n'
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n'

interface Machine {
  root: string
  home: string
  /** A folder on PATH with nothing in it but what a test puts there. */
  bin: string
  env: NodeJS.ProcessEnv
}

async function machine(t: TestContext, kind: 'macos' | 'debian', arch = 'arm64', shell = '/bin/zsh'): Promise<Machine> {
  const root = await tempDir(t, 'shipshape-host-')
  const home = await tempDir(t, 'shipshape-home-')
  const bin = await tempDir(t, 'shipshape-path-')
  if (kind === 'macos') await put(join(root, 'System/Library/CoreServices/SystemVersion.plist'), SYSTEM_VERSION)
  else {
    await put(join(root, 'etc/os-release'), DEBIAN)
    await put(join(root, 'proc/version'), 'Linux version 6.1.0-27-amd64 (gcc) #1 SMP\n')
  }
  // Only a shell and cat from this machine (for the fake tools' scripts); /bin has kubectl and docker.
  await symlink('/bin/sh', join(bin, 'sh'))
  await symlink('/bin/bash', join(bin, 'bash'))
  await symlink('/bin/cat', join(bin, 'cat'))
  const env: NodeJS.ProcessEnv = { PATH: bin, HOME: home, SHELL: shell, LANG: 'C', SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_ARCH: arch, XDG_CACHE_HOME: join(home, '.cache') }
  // A Mac is set up by its user, never root (brew refuses root): plan as uid 501 when the tests run as root.
  if (kind === 'macos') env.SHIPSHAPE_UID = '501'
  return { root, home, bin, env }
}

async function fakeKubectl(dir: string): Promise<void> {
  const json = await fixture('kubectl-version.client-1.32.json')
  await fakeExecutable(dir, 'kubectl', `cat <<'JSON'\n${json}JSON`)
}

async function doctor(m: Machine, only: string, cwd?: string) {
  const r = await runCli(['doctor', '--only', only, '--format', 'json', '--no-cache'], { env: m.env, cwd })
  const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string; required: boolean; summary: string; fix: { steps: { id: string; argv: string[]; title: string }[]; manual?: string } | null }[] }
  return { code: r.code, check: doc.checks.find((c) => c.id === only)!, stderr: r.stderr }
}

test('macOS arm64: kubectl in /opt/homebrew/bin off PATH gets Homebrew\'s shellenv line, once, and no reinstall', async (t) => {
  const m = await machine(t, 'macos')
  await fakeKubectl(join(m.root, 'opt/homebrew/bin'))
  await fakeExecutable(join(m.root, 'opt/homebrew/bin'), 'brew', 'echo "brew must not run: $*" >&2; exit 1')

  const before = await doctor(m, 'kubectl')
  assert.equal(before.check.status, 'fail')
  assert.equal(before.code, 1, 'kubectl is required: not being found fails the run')
  assert.match(before.check.summary, /kubectl is installed at \/opt\/homebrew\/bin\/kubectl but \/opt\/homebrew\/bin is not on PATH/)
  assert.deepEqual(before.check.fix?.steps.map((s) => s.id), ['homebrew-shellenv'])
  assert.match(before.check.fix!.steps[0].title, /\.zprofile/)
  assert.match(before.check.fix!.manual ?? '', /new terminal/)

  const setup = await runCli(['setup', '--only', 'kubectl', '--yes'], { env: m.env })
  assert.equal(setup.code, 0, `${setup.stdout}\n${setup.stderr}`)
  const zprofile = join(m.home, '.zprofile')
  const written = await readFile(zprofile, 'utf8')
  assert.match(written, /^# >>> shipshape >>>\n.*\neval "\$\(\/opt\/homebrew\/bin\/brew shellenv\)"\n# <<< shipshape <<<\n$/m)
  assert.match(setup.stdout, /still warn: kubectl: .*open a new terminal/, 'setup says the change waits for a new terminal')

  // The tool works from a new terminal, so it is a warning until then; a second setup adds nothing.
  const after = await doctor(m, 'kubectl')
  assert.equal(after.check.status, 'warn')
  assert.equal(after.code, 0)
  assert.match(after.check.summary, /kubectl v1\.32\.4-dispatcher; .*open a new terminal/)
  assert.deepEqual(after.check.fix?.steps, [], 'nothing to install or write again')
  const again = await runCli(['setup', '--only', 'kubectl', '--yes'], { env: m.env })
  assert.equal(again.code, 0, again.stderr)
  assert.equal(await readFile(zprofile, 'utf8'), written)
  assert.deepEqual((await readdir(m.home)).filter((f) => f.endsWith('.bak')), [], 'no backup: the file was new and never rewritten')
})

test('macOS Intel with Docker Desktop\'s CLI in the app bundle: a PATH line, not `brew install --cask docker-desktop`', async (t) => {
  const m = await machine(t, 'macos', 'x64', '/bin/bash')
  await fakeExecutable(join(m.root, 'Applications/Docker.app/Contents/Resources/bin'), 'docker', `cat <<'OUT'\n${(await fixture('docker-version.client-28.txt')).trim()}\nOUT`)
  const r = await doctor(m, 'docker-cli')
  assert.equal(r.check.status, 'fail')
  assert.match(r.check.summary, /installed at \/Applications\/Docker\.app\/Contents\/Resources\/bin\/docker but .* not on PATH/)
  const plan = await runCli(['setup', '--only', 'docker-cli', '--dry-run', '--format', 'json'], { env: m.env })
  assert.equal(plan.code, 0, plan.stderr)
  const steps = (JSON.parse(plan.stdout) as { steps: { id: string; title: string; argv: string[] }[] }).steps
  assert.deepEqual(steps.map((s) => s.id), ['path-Applications-Docker-app-Contents-Resources-bin'])
  assert.match(steps[0].title, /\.bash_profile/)
  assert.ok(!plan.stdout.includes('docker-desktop'), 'no Docker Desktop install is planned')
})

test('Linux: kubectl in ~/.local/bin gets a PATH line in ~/.bashrc that bash really follows', async (t) => {
  const m = await machine(t, 'debian', 'x64', '/bin/bash')
  await fakeKubectl(join(m.home, '.local/bin'))
  const r = await doctor(m, 'kubectl')
  assert.equal(r.check.status, 'fail')
  assert.match(r.check.summary, new RegExp(`installed at ${m.home}/\\.local/bin/kubectl`))
  assert.ok(!r.check.fix!.steps.some((s) => /apt|curl|install/.test(s.argv.join(' '))), 'no install step')

  const setup = await runCli(['setup', '--only', 'kubectl', '--yes'], { env: m.env })
  assert.equal(setup.code, 0, `${setup.stdout}\n${setup.stderr}`)
  // A new interactive bash reads ~/.bashrc: kubectl is found there.
  const found = execFileSync('bash', ['-c', '. "$HOME/.bashrc"; command -v kubectl'], { env: { HOME: m.home, PATH: '/usr/bin:/bin' }, encoding: 'utf8' })
  assert.equal(found.trim(), join(m.home, '.local/bin/kubectl'))
})

test('a new Mac without Homebrew: install it, add its shellenv line, then kubectl', async (t) => {
  const m = await machine(t, 'macos')
  // No brew anywhere: a dry run plans its install; nothing runs.
  const plan = await runCli(['setup', '--only', 'kubectl', '--dry-run', '--format', 'json'], { env: m.env })
  assert.equal(plan.code, 0, plan.stderr)
  const steps = (JSON.parse(plan.stdout) as { steps: { id: string; title: string }[] }).steps
  const ids = steps.map((s) => s.id)
  assert.ok(ids.indexOf('homebrew') < ids.indexOf('homebrew-shellenv') && ids.indexOf('homebrew-shellenv') !== -1, ids.join(','))
  assert.match(steps.find((s) => s.id === 'homebrew-shellenv')!.title, /\.zprofile/)
  assert.equal(ids.at(-1), 'kubectl', 'kubectl from brew comes last')
})

async function withStack(t: TestContext, version: string): Promise<string> {
  const dir = await tempDir(t, 'shipshape-team-')
  await put(join(dir, 'shipshape.yaml'), `stacks:\n  elasticsearch: {version: ${version}}\n`)
  return dir
}

test('Rosetta: required on Apple Silicon for Elasticsearch before 7.8, with its install step; Docker Desktop\'s setting read', async (t) => {
  const m = await machine(t, 'macos')
  const old = await withStack(t, '7.0.1')
  const missing = await doctor(m, 'rosetta', old)
  assert.equal(missing.check.status, 'fail')
  assert.equal(missing.check.required, true)
  assert.match(missing.check.summary, /not installed; elasticsearch 7\.0\.1, kibana 7\.0\.1 have no arm64 image/)
  assert.deepEqual(missing.check.fix?.steps.map((s) => s.argv), [['softwareupdate', '--install-rosetta', '--agree-to-license']])
  assert.equal(missing.code, 1)

  await put(join(m.root, 'Library/Apple/usr/share/rosetta/rosetta'), '')
  await put(join(m.home, '.docker/config.json'), '{"currentContext":"desktop-linux"}\n')
  const settings = join(m.home, 'Library/Group Containers/group.com.docker')
  await put(join(settings, 'settings-store.json'), '{"UseVirtualizationFrameworkRosetta": false, "UseVirtualizationFramework": true}\n')
  const off = await doctor(m, 'rosetta', old)
  assert.equal(off.check.status, 'warn')
  assert.match(off.check.summary, /"Use Rosetta" setting is off/)
  assert.match(off.check.fix?.manual ?? '', /Use Rosetta for x86_64\/amd64 emulation/)

  await put(join(settings, 'settings-store.json'), '{"UseVirtualizationFrameworkRosetta": true}\n')
  assert.equal((await doctor(m, 'rosetta', old)).check.status, 'ok')

  const current = await doctor(m, 'rosetta', await withStack(t, '8.19.10'))
  assert.equal(current.check.status, 'skip', 'arm64 images exist from 7.8: nothing to emulate')
  const intel = await doctor({ ...m, env: { ...m.env, SHIPSHAPE_ARCH: 'x64' } }, 'rosetta', old)
  assert.equal(intel.check.status, 'skip')
})
