// The CLI as a user runs it: the built `shipshape`, spawned, on this machine and on fixture roots.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { registry } from '../../checks/index.js'
import { cleanEnv, cliPath, put, runCli, runProcess, tempDir } from '../helpers.js'

const STATUSES = ['ok', 'warn', 'fail', 'skip', 'timeout', 'error']

function assertContract(doc: any) {
  assert.equal(doc.tool, 'shipshape')
  assert.match(doc.version, /^\d+\.\d+\.\d+/)
  assert.ok(!Number.isNaN(Date.parse(doc.startedAt)))
  assert.equal(typeof doc.durationMs, 'number')
  assert.deepEqual(Object.keys(doc.platform).sort(), ['arch', 'distro', 'evidence', 'kind', 'macos', 'wsl'])
  assert.deepEqual(Object.keys(doc.summary).sort(), ['error', 'exitCode', 'fail', 'ok', 'skip', 'timeout', 'warn'])
  assert.ok(Array.isArray(doc.checks) && doc.checks.length > 0)
  for (const c of doc.checks) {
    // docker-daemon adds `engine` (the engine behind the endpoint, or null); every other finding is the contract's.
    // A check skipped because one it needs failed names those in `blockedBy`; on this machine maybe none is.
    const { engine, blockedBy, ...contract } = c
    if (blockedBy !== undefined) assert.ok(Array.isArray(blockedBy) && blockedBy.every((id: unknown) => typeof id === 'string'), `${c.id}'s blockedBy`)
    assert.deepEqual(Object.keys(contract).sort(), ['details', 'durationMs', 'fix', 'id', 'required', 'status', 'summary', 'title', 'version'])
    if (c.id !== 'docker-daemon') assert.equal(engine, undefined, `${c.id} carries engine`)
    // It names the engine when it ran; skipped (no docker CLI) or cut off, it could not look.
    else if (c.status !== 'timeout' && c.status !== 'skip') assert.ok(engine === null || typeof engine === 'string', `docker-daemon's engine: ${engine}`)
    assert.ok(STATUSES.includes(c.status), c.status)
    if (c.fix) for (const s of c.fix.steps) assert.ok(Array.isArray(s.argv) && typeof s.sudo === 'boolean' && s.id && s.title)
  }
  const counted = Object.fromEntries(STATUSES.map((s) => [s, doc.checks.filter((c: any) => c.status === s).length]))
  for (const s of STATUSES) assert.equal(doc.summary[s], counted[s], `summary.${s}`)
}

test('doctor --format json on this machine: the contract document only, exit code as summarised', async () => {
  const r = await runCli(['doctor', '--format', 'json'], { env: cleanEnv() })
  const doc = JSON.parse(r.stdout)
  assertContract(doc)
  assert.equal(r.code, doc.summary.exitCode)
  assert.equal(doc.checks[0].id, 'platform')
  assert.equal(doc.platform.kind, ({ linux: 'linux', darwin: 'macos' } as Record<string, string>)[process.platform])
  // Every check runs by default, each once, in the registry's order.
  assert.deepEqual(doc.checks.map((c: any) => c.id), registry.map((c) => c.id))
})

test('doctor on a fixture Debian 12 root reports linux/debian/12', async (t) => {
  const root = await tempDir(t)
  await put(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n')
  await put(join(root, 'proc/version'), 'Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org)\n')
  const r = await runCli(['doctor', '--format', 'json', '--only', 'platform'], { env: cleanEnv({ SHIPSHAPE_HOST_ROOT: root, SHIPSHAPE_ARCH: 'arm64' }) })
  const doc = JSON.parse(r.stdout)
  assert.equal(r.code, 0)
  assert.equal(doc.platform.kind, 'linux')
  assert.equal(doc.platform.arch, 'arm64')
  assert.deepEqual(doc.platform.distro, { id: 'debian', version: '12', codename: 'bookworm' })
  assert.deepEqual(doc.checks.map((c: any) => c.id), ['platform'])
})

test('an unsupported system fails the required platform check: exit 1 in the document and the process', async (t) => {
  const root = await tempDir(t)
  const r = await runCli(['doctor', '--format', 'json', '--only', 'platform'], { env: cleanEnv({ SHIPSHAPE_HOST_ROOT: root }) })
  const doc = JSON.parse(r.stdout)
  assert.equal(doc.checks[0].status, 'fail')
  assert.equal(doc.summary.exitCode, 1)
  assert.equal(r.code, 1)
})

test('the human report is plain text without a terminal, with a summary line', async (t) => {
  const root = await tempDir(t)
  await put(join(root, 'proc/sys/kernel/osrelease'), '4.4.0-19041-Microsoft\n')
  await put(join(root, 'etc/os-release'), 'ID=ubuntu\nVERSION_ID="20.04"\n')
  const r = await runCli(['doctor', '--only', 'platform'], { env: cleanEnv({ SHIPSHAPE_HOST_ROOT: root }) })
  assert.equal(r.code, 0, 'a warning alone does not fail the run')
  assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour codes')
  assert.match(r.stdout, /^\[!\] Platform: WSL 1, Ubuntu 20\.04, x64: WSL 1 has no local Docker daemon/m)
  assert.match(r.stdout, /wsl --set-version/)
  assert.match(r.stdout, /^Ready\. 1 warning, 0 ok \(\d+ ms\)$/m)
  const strict = await runCli(['doctor', '--only', 'platform', '--strict'], { env: cleanEnv({ SHIPSHAPE_HOST_ROOT: root }) })
  assert.equal(strict.code, 1)
})

test('--verbose shows each check\'s time and evidence', async () => {
  const r = await runCli(['doctor', '--only', 'platform', '--verbose'], { env: cleanEnv() })
  assert.match(r.stdout, /Platform: .*\(\d+ ms\)/)
  assert.match(r.stdout, /• arch /)
})

test('usage errors exit 2, say what was wrong, and run nothing', async (t) => {
  const cases: [string[], RegExp][] = [
    [['doctor', '--bogus'], /unknown option '--bogus'/],
    [['doctor', '--only', 'platfrom'], /unknown check id 'platfrom'/],
    [['doctor', '--format', 'xml'], /argument 'xml' is invalid/],
    [['doctor', '--timeout', 'soon'], /not a positive whole number/],
    [['doctor', 'extra'], /too many arguments/],
    [['doktor'], /unknown command 'doktor'/],
  ]
  for (const [args, message] of cases) {
    const r = await runCli(args, { env: cleanEnv() })
    assert.equal(r.code, 2, args.join(' '))
    assert.equal(r.stdout, '', `${args.join(' ')} printed a report`)
    assert.match(r.stderr, message)
  }
  const dir = await tempDir(t)
  const config = await put(join(dir, 'shipshape.yaml'), 'checks:\n  docker-daemon:\n    timeoutMs: -5\n')
  const bad = await runCli(['doctor', '--format', 'json'], { env: cleanEnv(), cwd: dir })
  assert.equal(bad.code, 2)
  assert.equal(bad.stdout, '')
  assert.ok(bad.stderr.includes(`${config}:3:16:`), bad.stderr)
  const missing = await runCli(['doctor', '--config', join(dir, 'missing.yaml')], { env: cleanEnv() })
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /missing\.yaml: cannot read the config file \(ENOENT\)/)
})

test('--help and --version exit 0 and teach', async () => {
  const help = await runCli(['doctor', '--help'])
  assert.equal(help.code, 0)
  assert.match(help.stdout, /--only <ids>/)
  assert.match(help.stdout, /Exit codes:/)
  const top = await runCli(['--help'])
  assert.equal(top.code, 0)
  assert.match(top.stdout, /doctor/)
  const version = await runCli(['--version'])
  assert.equal(version.code, 0)
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/)
  // Read only in part, as `| head -1` does: the reader closing the pipe is not a crash.
  const head = await runProcess('sh', ['-c', `"${process.execPath}" "${cliPath}" doctor --help | head -c 5`], { env: cleanEnv() })
  assert.equal(head.stdout, 'Usage')
  assert.equal(head.stderr, '')
})

test('a team that uses elasticsearch is warned while vm.max_map_count is too low, and not ready only with --strict', async (t) => {
  const root = await tempDir(t)
  await put(join(root, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n')
  await put(join(root, 'proc/version'), 'Linux version 6.1.0-26-amd64\n')
  await put(join(root, 'proc/sys/vm/max_map_count'), '65530\n')
  const env = cleanEnv({ SHIPSHAPE_HOST_ROOT: root, PATH: '/nonexistent' })
  const solo = await runCli(['doctor', '--format', 'json', '--only', 'max-map-count'], { env, cwd: root })
  assert.equal(solo.code, 0, 'without the stack it is a warning')
  await put(join(root, 'shipshape.yaml'), 'stacks:\n  elasticsearch: {}\n')
  const r = await runCli(['doctor', '--format', 'json', '--only', 'max-map-count'], { env, cwd: root })
  const check = JSON.parse(r.stdout).checks.find((c: any) => c.id === 'max-map-count')
  assert.deepEqual([check.status, check.required, r.code], ['warn', true, 0])
  const strict = await runCli(['doctor', '--format', 'json', '--only', 'max-map-count', '--strict'], { env, cwd: root })
  assert.equal(strict.code, 1)
})
