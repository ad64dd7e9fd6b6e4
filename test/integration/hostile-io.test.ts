// What a user's own machine throws at shipshape's writes and reads: an --out that is a file, an
// --output that is a folder, a full disk, a .env in shell syntax or damaged, a umask of 000, a version
// too large to compare, credentials in URLs. Each is one clear line and the right exit code, and
// nothing on disk is left half-changed.

import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { need } from '../gate.js'
import { cleanEnv, cliPath, put, runCli, runProcess, tempDir } from '../helpers.js'
import { writeOutputs } from '../../lib/stacks/output.js'

const envOf = (cwd: string) => cleanEnv({ HOME: cwd })
const oneLine = (stderr: string) => stderr.trim().split('\n').length === 1 && !/unexpected error|at .*\.js:\d+/.test(stderr)

test('render --out onto a file is exit 2 in one line naming the path', async (t) => {
  const cwd = await tempDir(t)
  await put(join(cwd, 'afile'), 'mine\n')
  const r = await runCli(['render', 'mongodb', '--out', 'afile/sub'], { cwd, env: envOf(cwd) })
  assert.equal(r.code, 2, r.stderr)
  assert.ok(oneLine(r.stderr), r.stderr)
  assert.match(r.stderr, /afile.*a part of the path is a file, not a folder \(ENOTDIR\)/)
  assert.equal(await readFile(join(cwd, 'afile'), 'utf8'), 'mine\n')
})

test('checklist --output onto a folder is exit 2 in one line', async (t) => {
  const cwd = await tempDir(t)
  await mkdir(join(cwd, 'ONBOARDING.md'))
  const r = await runCli(['checklist', '--output', 'ONBOARDING.md', '--only', 'platform'], { cwd, env: envOf(cwd), timeoutMs: 30_000 })
  assert.equal(r.code, 2, r.stderr)
  assert.ok(oneLine(r.stderr), r.stderr)
  assert.match(r.stderr, /ONBOARDING\.md: it is a folder \(EISDIR\)/)
})

test('--set version=99999999999999999999.0.0 is a usage error naming the parameter', async (t) => {
  const cwd = await tempDir(t)
  const r = await runCli(['render', 'elasticsearch', '--set', 'version=99999999999999999999.0.0'], { cwd, env: envOf(cwd) })
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /parameter 'version': '99999999999999999999\.0\.0' is not a version/)
  await assert.rejects(stat(join(cwd, 'shipshape')), 'nothing written')
})

test('a render whose second file cannot be written writes neither', async (t) => {
  const dir = await tempDir(t)
  await put(join(dir, 'compose.yaml'), 'old\n')
  await put(join(dir, 'k8s'), 'a file where a folder is wanted\n')
  await assert.rejects(
    writeOutputs(dir, [
      { path: 'compose.yaml', text: 'new\n', mode: 0o644, secret: false },
      { path: 'k8s/x.yaml', text: 'x\n', mode: 0o644, secret: false },
    ], true),
    { code: 'ENOTDIR' },
  )
  assert.equal(await readFile(join(dir, 'compose.yaml'), 'utf8'), 'old\n')
  assert.deepEqual((await readdir(dir)).sort(), ['compose.yaml', 'k8s'], 'no temporary file, no backup left')
})

test('a full disk: render --force is exit 1 in one line and leaves the earlier render whole', async (t) => {
  // root mounts a small tmpfs as a full disk.
  if (!(await need(t, 'root'))) return
  const cwd = await tempDir(t)
  const disk = await mkdtemp(join(tmpdir(), 'shipshape-disk-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk])
  } catch (error) {
    await rm(disk, { recursive: true })
    return t.skip(`cannot mount a tmpfs here: ${(error as Error).message.split('\n')[0]}`)
  }
  t.after(async () => {
    execFileSync('umount', [disk])
    await rm(disk, { recursive: true })
  })
  const out = join(disk, 'out')
  assert.equal((await runCli(['render', 'mongodb', '--out', out], { cwd, env: envOf(cwd) })).code, 0)
  const before = await Promise.all(['compose.yaml', '.env'].map((f) => readFile(join(out, f), 'utf8')))
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${join(disk, 'fill')}`, 'bs=4k'], { stdio: 'ignore' })
  } catch {
    // dd stops at ENOSPC, as wanted
  }
  const r = await runCli(['render', 'mongodb', '--out', out, '--set', 'port=27018', '--force'], { cwd, env: envOf(cwd) })
  assert.equal(r.code, 1, r.stderr)
  assert.ok(oneLine(r.stderr), r.stderr)
  assert.match(r.stderr, /no space left on the device \(ENOSPC\)/)
  assert.deepEqual(await Promise.all(['compose.yaml', '.env'].map((f) => readFile(join(out, f), 'utf8'))), before)
  assert.deepEqual((await readdir(out)).sort(), ['.env', '.shipshape-rendered.json', 'compose.yaml'])
})

test('.env in shell forms keeps its passwords; a line shipshape cannot read or an empty password is refused', async (t) => {
  const cwd = await tempDir(t)
  const out = join(cwd, 'shipshape/mongodb/compose')
  assert.equal((await runCli(['render', 'mongodb'], { cwd, env: envOf(cwd) })).code, 0)
  for (const form of ['export MONGO_INITDB_ROOT_PASSWORD=keep-me-1', 'MONGO_INITDB_ROOT_PASSWORD = keep-me-1', 'MONGO_INITDB_ROOT_PASSWORD="keep-me-1"', "export MONGO_INITDB_ROOT_PASSWORD='keep-me-1' # set by hand"]) {
    await writeFile(join(out, '.env'), `# mine\n${form}\n`)
    const r = await runCli(['render', 'mongodb', '--force', '--show-secrets'], { cwd, env: envOf(cwd) })
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /MONGO_INITDB_ROOT_PASSWORD=keep-me-1\b/, form)
  }
  for (const [bad, why] of [['MONGO_INITDB_ROOT_PASSWORD="unterminated', /:2: cannot read this line/], ['MONGO_INITDB_ROOT_PASSWORD=', /:2: MONGO_INITDB_ROOT_PASSWORD is empty, and an empty password is refused/], ['MONGO INITDB=x', /:2: cannot read this line/]] as const) {
    const text = `# mine\n${bad}\n`
    await writeFile(join(out, '.env'), text)
    const r = await runCli(['render', 'mongodb', '--force'], { cwd, env: envOf(cwd) })
    assert.equal(r.code, 2, r.stderr)
    assert.match(r.stderr, why)
    assert.ok(r.stderr.includes(join(out, '.env')), r.stderr)
    assert.equal(await readFile(join(out, '.env'), 'utf8'), text, 'nothing written')
  }
})

test('under umask 000 the folder holding .env is 0700 and .env 0600', async (t) => {
  const cwd = await tempDir(t)
  const r = await runProcess('sh', ['-c', `umask 000 && exec "${process.execPath}" "${cliPath}" render mongodb`], { cwd, env: envOf(cwd) })
  assert.equal(r.code, 0, r.stderr)
  const out = join(cwd, 'shipshape/mongodb/compose')
  assert.equal((await stat(out)).mode & 0o777, 0o700)
  assert.equal((await stat(join(out, '.env'))).mode & 0o777, 0o600)
})

test('credentials in DOCKER_HOST are masked in doctor output, JSON and human', async (t) => {
  const cwd = await tempDir(t)
  const env = cleanEnv({ HOME: cwd, DOCKER_HOST: 'tcp://admin:pw-s3cret@127.0.0.1:1' })
  for (const format of ['json', 'human', 'junit', 'markdown']) {
    const r = await runCli(['doctor', '--only', 'docker-host', '--format', format, '--verbose'], { cwd, env, timeoutMs: 30_000 })
    assert.ok(!r.stdout.includes('pw-s3cret') && !r.stderr.includes('pw-s3cret'), `${format}: ${r.stdout}`)
    assert.match(r.stdout, /tcp:\/\/admin:\*\*\*@127\.0\.0\.1:1/, format)
  }
})

test("other tools' settings files that are named pipes or too large are passed over: doctor neither waits on them nor reads them whole", async (t) => {
  const home = await tempDir(t)
  // A named pipe with no writer: reading it blocking would wait forever.
  await mkdir(join(home, '.docker'), { recursive: true })
  execFileSync('mkfifo', [join(home, '.docker/config.json')])
  await mkdir(join(home, '.minikube/config'), { recursive: true })
  execFileSync('mkfifo', [join(home, '.minikube/config/config.json')])
  const pipes = await runCli(['doctor', '--only', 'docker-daemon,docker-compose,minikube', '--format', 'json'], { cwd: home, env: cleanEnv({ HOME: home }), timeoutMs: 30_000 })
  assert.deepEqual(JSON.parse(pipes.stdout).checks.map((c: { id: string }) => c.id), ['docker-cli', 'docker-daemon', 'docker-compose', 'minikube'])

  // 2 MiB naming a context that does not exist: read whole, it would send docker-daemon looking for it.
  const huge = await tempDir(t)
  await put(join(huge, '.docker/config.json'), JSON.stringify({ currentContext: 'nowhere', padding: 'x'.repeat(2 * 1024 * 1024) }))
  const r = await runCli(['doctor', '--only', 'docker-daemon', '--format', 'json'], { cwd: huge, env: cleanEnv({ HOME: huge }), timeoutMs: 30_000 })
  const daemon = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'docker-daemon')
  assert.doesNotMatch(JSON.stringify(daemon), /nowhere/)
})
