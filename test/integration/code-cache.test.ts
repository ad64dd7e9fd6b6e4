// V8's code kept between runs (lib/code-cache.ts). On Node 20 the bundle keeps it in shipshape's cache
// folder; Node 22.1 and later keep their own (module.enableCompileCache), and shipshape writes none.

import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { chmod, chown, readFile, stat, writeFile } from 'node:fs/promises'
import Module from 'node:module'
import { dirname, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { cleanEnv, cliPath, fakeExecutable, put, runCli, tempDir, type CliResult } from '../helpers.js'

const nodeKeepsItsOwn = 'enableCompileCache' in Module
const cacheOf = (env: NodeJS.ProcessEnv) => join(env.XDG_CACHE_HOME!, 'shipshape', 'code', 'doctor.js.v8')
const doctor = (env: NodeJS.ProcessEnv, cwd?: string) => runCli(['doctor', '--only', 'platform,docker-cli', '--format', 'json'], { env, cwd })

/** A clean environment whose PATH has a `docker` that prints its version, so doctor keeps a version cache. */
async function withDocker(t: TestContext, extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const bin = await tempDir(t)
  await fakeExecutable(bin, 'docker', 'echo "Docker version 28.2.2, build e6534b4"')
  return cleanEnv({ PATH: bin, ...extra })
}
const findings = (r: CliResult) => (JSON.parse(r.stdout) as { checks: { id: string; status: string; summary: string }[] }).checks.map((c) => [c.id, c.status, c.summary])

test("V8's code for doctor is kept by its second full run, for this user only, and the next run uses it as it is", async (t) => {
  const env = await withDocker(t)
  // The first run learns the tools' versions and keeps those; it does not also wait to write code.
  const first = await doctor(env)
  assert.equal(first.code, 0, first.stderr)
  assert.ok(existsSync(join(env.XDG_CACHE_HOME!, 'shipshape', 'versions.json')))
  assert.equal(existsSync(dirname(cacheOf(env))), false)
  assert.deepEqual(findings(await doctor(env)), findings(first))
  if (nodeKeepsItsOwn) {
    assert.equal(existsSync(dirname(cacheOf(env))), false, `node ${process.version} keeps its own cache`)
    return
  }
  const kept = await stat(cacheOf(env))
  assert.equal(kept.mode & 0o777, 0o600)
  assert.equal((await stat(dirname(cacheOf(env)))).mode & 0o777, 0o700)
  assert.deepEqual(findings(await doctor(env)), findings(first))
  assert.equal((await stat(cacheOf(env))).ino, kept.ino, 'used, not written again')
})

test('a cache for other text, a damaged one, or one others could write is passed over and replaced; the report is the same', { skip: nodeKeepsItsOwn && `node ${process.version} keeps its own cache` }, async (t) => {
  const env = await withDocker(t)
  await doctor(env)
  const expected = findings(await doctor(env))
  const file = cacheOf(env)
  const good = await readFile(file)
  const sourceAt = good.indexOf(0x0a) + 1
  const bundle = await readFile(join(dirname(cliPath), 'doctor.js'))
  const spoil = async (name: string, how: (b: Buffer) => Promise<void> | void) => {
    const bytes = Buffer.from(good)
    await how(bytes)
    await writeFile(file, bytes)
    const before = (await stat(file)).ino
    const r = await doctor(env)
    assert.deepEqual(findings(r), expected, name)
    assert.notEqual((await stat(file)).ino, before, `${name}: replaced`)
    const kept = await readFile(file)
    const at = kept.indexOf(0x0a) + 1
    assert.ok(kept.subarray(at, at + bundle.length).equals(bundle), `${name}: replaced by the code of this very file`)
  }
  // An earlier build of the same length, as npm installs it (every file with the same time).
  await spoil('other text', (b) => void (b[sourceAt + 200] ^= 0x20))
  // V8 does not check its own code: a damaged byte would crash node, were it not for the second copy.
  await spoil('damaged', (b) => void (b[b.length - 4096] ^= 0xff))
  await writeFile(file, good)
  await chmod(file, 0o666)
  const before = (await stat(file)).ino
  await doctor(env)
  const after = await stat(file)
  assert.notEqual(after.ino, before, 'a file others could write is not read')
  assert.equal(after.mode & 0o777, 0o600)
})

test('no code is kept where shipshape keeps no cache, nor by --help or a usage error; those runs are unchanged', async (t) => {
  // doctor --only platform starts no tool: no version cache, so no cache folder at all, however often.
  const env = cleanEnv()
  for (const _ of [1, 2]) assert.equal((await runCli(['doctor', '--only', 'platform', '--format', 'json'], { env })).code, 0)
  assert.equal(existsSync(env.XDG_CACHE_HOME!), false)
  const docker = await withDocker(t)
  await doctor(docker)
  assert.equal((await runCli(['doctor', '--help'], { env: docker })).code, 0)
  assert.equal((await runCli(['doctor', '--only', 'dockr-cli'], { env: docker })).code, 2)
  assert.equal(existsSync(cacheOf(docker)), false)

  const blocked = await withDocker(t, { XDG_CACHE_HOME: await put(join(await tempDir(t), 'a-file'), 'not a folder\n') })
  const r = await doctor(blocked)
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stderr, '')
})

test('with the cache, packages loaded late (yaml, zod) still load: a shipshape.yaml is read and its typo named', async (t) => {
  const env = await withDocker(t)
  const cwd = await tempDir(t)
  await put(join(cwd, 'shipshape.yaml'), 'timeoutMs: 4000\n')
  for (const _ of [1, 2]) assert.equal((await doctor(env, cwd)).code, 0)
  assert.equal(existsSync(cacheOf(env)), !nodeKeepsItsOwn)
  await put(join(cwd, 'shipshape.yaml'), 'timeoutMz: 4000\n')
  const typo = await doctor(env, cwd)
  assert.equal(typo.code, 2)
  assert.match(typo.stderr, /shipshape\.yaml:1:1: unknown field 'timeoutMz'\. Did you mean 'timeoutMs'\?/)
})

test("root keeps no code in a cache folder that is another user's (a sudo that kept the user's HOME)", { skip: process.getuid?.() !== 0 && 'only root can give the folder to another user' }, async (t) => {
  const env = await withDocker(t)
  await doctor(env)
  await chown(join(env.XDG_CACHE_HOME!, 'shipshape'), 65534, 65534)
  for (const _ of [1, 2]) assert.equal((await doctor(env)).code, 0)
  assert.equal(existsSync(dirname(cacheOf(env))), false)
})
