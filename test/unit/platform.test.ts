// Platform detection on fixture host roots, one per system we support or must refuse gracefully.

import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { judgePlatform } from '../../checks/platform.js'
import { detectPlatform } from '../../lib/platform.js'
import type { Env } from '../../lib/types.js'
import { put, tempDir } from '../helpers.js'

const osRelease = (id: string, version: string, codename?: string) =>
  `PRETTY_NAME="${id} ${version}"\nNAME="${id}"\nID=${id}\nVERSION_ID="${version}"\n${codename ? `VERSION_CODENAME=${codename}\n` : ''}`

const macPlist = (version: string) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>BuildID</key>
	<string>5A9E2C1E-1F2B-11EF-9F6A-7D0B9F0B9E3A</string>
	<key>ProductBuildVersion</key>
	<string>23F79</string>
	<key>ProductCopyright</key>
	<string>1983-2024 Apple Inc.</string>
	<key>ProductName</key>
	<string>macOS</string>
	<key>ProductUserVisibleVersion</key>
	<string>${version}</string>
	<key>ProductVersion</key>
	<string>${version}</string>
</dict>
</plist>
`

interface Root {
  files?: Record<string, string>
  dirs?: string[]
}

async function root(t: TestContext, spec: Root): Promise<string> {
  const dir = await tempDir(t)
  for (const [rel, text] of Object.entries(spec.files ?? {})) await put(join(dir, rel), text)
  for (const rel of spec.dirs ?? []) await mkdir(join(dir, rel), { recursive: true })
  return dir
}

async function detect(t: TestContext, spec: Root, arch = 'x64', env: Env = {}) {
  return detectPlatform({ hostRoot: await root(t, spec), env, arch })
}

const linuxVersion = (release: string) => `Linux version ${release} (gcc version 12.2.0) #1 SMP PREEMPT_DYNAMIC\n`

test('macOS on Apple Silicon and Intel: version from SystemVersion.plist, arch from the seam', async (t) => {
  for (const arch of ['arm64', 'x64']) {
    const p = await detect(t, { files: { 'System/Library/CoreServices/SystemVersion.plist': macPlist('14.5') } }, arch)
    assert.equal(p.kind, 'macos')
    assert.equal(p.arch, arch)
    assert.deepEqual(p.macos, { version: '14.5' })
    assert.equal(p.wsl, null)
    assert.ok(p.evidence.some((e) => e.includes('ProductVersion 14.5')))
    assert.equal(judgePlatform(p).status, 'ok')
  }
})

test('WSL 1: the 4.4.0-…-Microsoft kernel; warns that there is no local daemon', async (t) => {
  const p = await detect(t, {
    files: { 'proc/version': linuxVersion('4.4.0-19041-Microsoft'), 'proc/sys/kernel/osrelease': '4.4.0-19041-Microsoft\n', 'etc/os-release': osRelease('ubuntu', '20.04', 'focal') },
    dirs: ['proc/sys/fs/binfmt_misc/WSLInterop'],
  }, 'x64', { WSL_DISTRO_NAME: 'Ubuntu' })
  assert.equal(p.kind, 'wsl')
  assert.equal(p.wsl, 1)
  assert.ok(p.evidence.some((e) => e.includes("'4.4.0-19041-Microsoft'")))
  const judged = judgePlatform(p)
  assert.equal(judged.status, 'warn')
  assert.match(judged.summary, /no local Docker daemon/)
  assert.match(judged.summary, /WSL 2/)
})

test('WSL 2: current and older kernel names', async (t) => {
  for (const release of ['5.15.167.4-microsoft-standard-WSL2', '4.19.128-microsoft-standard']) {
    const p = await detect(t, { files: { 'proc/sys/kernel/osrelease': `${release}\n`, 'proc/version': linuxVersion(release), 'etc/os-release': osRelease('ubuntu', '24.04', 'noble') } })
    assert.equal(p.kind, 'wsl', release)
    assert.equal(p.wsl, 2, release)
    assert.deepEqual(p.distro, { id: 'ubuntu', version: '24.04', codename: 'noble' })
    assert.equal(judgePlatform(p).status, 'ok')
  }
})

test('WSL 2 with a custom kernel is caught by the interop signals', async (t) => {
  const files = { 'proc/version': linuxVersion('6.6.36-custom'), 'proc/sys/kernel/osrelease': '6.6.36-custom\n', 'etc/os-release': osRelease('debian', '12', 'bookworm') }
  const byFile = await detect(t, { files, dirs: ['proc/sys/fs/binfmt_misc/WSLInterop'] })
  assert.equal(byFile.wsl, 2)
  assert.ok(byFile.evidence.some((e) => e.includes('WSLInterop')))
  const byMount = await detect(t, { files, dirs: ['mnt/wsl'] })
  assert.equal(byMount.wsl, 2)
  const byEnv = await detect(t, { files }, 'x64', { WSL_DISTRO_NAME: 'Debian', WSL_INTEROP: '/run/WSL/8_interop' })
  assert.equal(byEnv.wsl, 2)
  assert.ok(byEnv.evidence.some((e) => e.includes('WSL_DISTRO_NAME=Debian')))
  // The same kernel with no WSL signal at all is plain Linux.
  const plain = await detect(t, { files })
  assert.equal(plain.kind, 'linux')
})

test('Ubuntu 20.04 warns; 22.04 and 24.04 are ok', async (t) => {
  const cases = [['20.04', 'focal', 'warn'], ['22.04', 'jammy', 'ok'], ['24.04', 'noble', 'ok']] as const
  for (const [version, codename, status] of cases) {
    const p = await detect(t, { files: { 'proc/version': linuxVersion('6.8.0-45-generic'), 'etc/os-release': osRelease('ubuntu', version, codename) } })
    assert.equal(p.kind, 'linux')
    assert.deepEqual(p.distro, { id: 'ubuntu', version, codename })
    assert.equal(judgePlatform(p).status, status, `Ubuntu ${version}`)
  }
})

test('Debian 12 is ok with its codename; Debian 11 warns', async (t) => {
  const p = await detect(t, { files: { 'proc/version': linuxVersion('6.1.0-26-amd64'), 'etc/os-release': osRelease('debian', '12', 'bookworm') } }, 'x86_64')
  assert.equal(p.kind, 'linux')
  assert.equal(p.arch, 'x64')
  assert.deepEqual(p.distro, { id: 'debian', version: '12', codename: 'bookworm' })
  assert.equal(judgePlatform(p).status, 'ok')
  const old = await detect(t, { files: { 'proc/version': linuxVersion('5.10.0-30-amd64'), 'etc/os-release': osRelease('debian', '11', 'bullseye') } })
  assert.equal(judgePlatform(old).status, 'warn')
})

test('an unknown distro is linux with its id, and warns', async (t) => {
  const p = await detect(t, { files: { 'proc/version': linuxVersion('6.10.0'), 'etc/os-release': 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=40\n' } })
  assert.equal(p.kind, 'linux')
  assert.deepEqual(p.distro, { id: 'fedora', version: '40', codename: null })
  const judged = judgePlatform(p)
  assert.equal(judged.status, 'warn')
  assert.match(judged.summary, /not a distribution shipshape sets up/)
})

test('garbage and missing files are evidence, not a crash', async (t) => {
  const garbage = await detect(t, { files: { 'proc/version': '\u0000\u0001binary junk', 'etc/os-release': '=== not an os-release ===\n\u0000' } })
  assert.equal(garbage.kind, 'unsupported')
  assert.ok(garbage.evidence.some((e) => e.includes('os-release has no ID')))
  assert.equal(judgePlatform(garbage).status, 'fail')

  const empty = await detect(t, {})
  assert.equal(empty.kind, 'unsupported')
  assert.ok(empty.evidence.some((e) => e.includes('etc/os-release missing')))
  assert.ok(empty.evidence.some((e) => e.includes('proc/version missing')))

  const badPlist = await detect(t, { files: { 'System/Library/CoreServices/SystemVersion.plist': 'not xml at all' } }, 'arm64')
  assert.equal(badPlist.kind, 'macos')
  assert.deepEqual(badPlist.macos, { version: 'unknown' })
  assert.ok(badPlist.evidence.some((e) => e.includes('no ProductVersion')))

  // A directory where a file should be is unreadable, so also evidence.
  const dirAsFile = await detect(t, { dirs: ['etc/os-release'], files: { 'proc/version': linuxVersion('6.1.0') } })
  assert.equal(dirAsFile.kind, 'linux')
  assert.equal(dirAsFile.distro, null)
})
