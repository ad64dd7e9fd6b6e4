// A shared machine: another user who can plant links or write a folder must not get shipshape to
// write through them (backups, the textfile, the checklist, render output), and under umask 000
// the folders shipshape creates are still its own (0700, or 0755 for render output). A cache another
// user could forge is not trusted. Links "of another user" are made by root with lchown.

import assert from 'node:assert/strict'
import { lchown, lstat, mkdir, readFile, readdir, realpath, stat, symlink, chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { need } from '../gate.js'
import { cleanEnv, cliPath, fakeExecutable, put, runCli, runProcess, tempDir } from '../helpers.js'

const NOBODY = 65534
const VICTIM = 'export PS1=victim\n'

test('render --rotate-secrets: a link planted at .env.bak is replaced by the backup, never written through', async (t) => {
  const cwd = await tempDir(t)
  const victim = await put(join(cwd, 'victim-bashrc'), VICTIM)
  const env = cleanEnv({ HOME: cwd })
  const first = await runCli(['render', 'mongodb', '--out', 'out'], { cwd, env })
  assert.equal(first.code, 0, first.stderr)
  const before = await readFile(join(cwd, 'out/.env'), 'utf8')
  await symlink(victim, join(cwd, 'out/.env.bak'))
  const r = await runCli(['render', 'mongodb', '--out', 'out', '--rotate-secrets'], { cwd, env })
  assert.equal(r.code, 0, r.stderr)
  assert.equal(await readFile(victim, 'utf8'), VICTIM, 'the link target is untouched')
  assert.ok((await lstat(join(cwd, 'out/.env.bak'))).isFile(), '.env.bak is a file of its own now')
  assert.equal(await readFile(join(cwd, 'out/.env.bak'), 'utf8'), before)
  assert.equal((await stat(join(cwd, 'out/.env.bak'))).mode & 0o777, 0o600)
})

test('checklist: a link at ONBOARDING.md.bak is not written through', async (t) => {
  const cwd = await tempDir(t)
  const victim = await put(join(cwd, 'victim-bashrc'), VICTIM)
  const env = cleanEnv({ HOME: cwd })
  assert.equal((await runCli(['checklist', '--offline', '--only', 'platform', '--output', 'ONBOARDING.md'], { cwd, env })).code, 0)
  await symlink(victim, join(cwd, 'ONBOARDING.md.bak'))
  const r = await runCli(['checklist', '--offline', '--only', 'platform', '--output', 'ONBOARDING.md'], { cwd, env })
  assert.equal(r.code, 0, r.stderr)
  assert.equal(await readFile(victim, 'utf8'), VICTIM)
  assert.ok((await lstat(join(cwd, 'ONBOARDING.md.bak'))).isFile())
})

test('a folder any user can write (no sticky bit) is refused by name for render and checklist; nothing written', async (t) => {
  const cwd = await tempDir(t)
  const shared = join(cwd, 'shared')
  await mkdir(shared)
  await chmod(shared, 0o777)
  const env = cleanEnv({ HOME: cwd })
  const render = await runCli(['render', 'mongodb', '--out', 'shared'], { cwd, env })
  assert.equal(render.code, 2, render.stderr)
  assert.match(render.stderr, /shared is writable by every user \(mode 0777\) and has no sticky bit.*Nothing was written/)
  const checklist = await runCli(['checklist', '--offline', '--only', 'platform', '--output', 'shared/x.md'], { cwd, env })
  assert.equal(checklist.code, 2, checklist.stderr)
  assert.match(checklist.stderr, /shared is writable by every user/)
  assert.deepEqual(await readdir(shared), [])
})

test("another user's link at the file shipshape writes is refused by name and left as it was", async (t) => {
  if (!(await need(t, 'root'))) return
  const cwd = await tempDir(t)
  const victim = await put(join(cwd, 'victim-notes'), VICTIM)
  await symlink(victim, join(cwd, 'ONBOARDING.md'))
  await lchown(join(cwd, 'ONBOARDING.md'), NOBODY, NOBODY)
  const env = cleanEnv({ HOME: cwd })
  const r = await runCli(['checklist', '--offline', '--only', 'platform', '--output', 'ONBOARDING.md'], { cwd, env })
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /ONBOARDING\.md is a symbolic link and the link belongs to another user \(uid 65534\).*Nothing was written/)
  assert.equal(await readFile(victim, 'utf8'), VICTIM)
  assert.ok((await lstat(join(cwd, 'ONBOARDING.md'))).isSymbolicLink(), 'the link is left as it was')
})

test('a group-writable --textfile-dir is refused at install; a run writing into it records why and follows no link', async (t) => {
  const cwd = await tempDir(t)
  const dir = join(cwd, 'textfiles')
  await mkdir(dir)
  await chmod(dir, 0o775)
  const victim = await put(join(cwd, 'victim'), VICTIM)
  await symlink(victim, join(dir, 'shipshape.prom'))
  const env = cleanEnv({ HOME: cwd })
  const install = await runCli(['schedule', 'install', '--via', 'cron', '--textfile-dir', dir, '--dry-run'], { cwd, env })
  assert.equal(install.code, 2, install.stderr)
  assert.match(install.stderr, /--textfile-dir: .*textfiles is writable by its group \(mode 0775\) and has no sticky bit.*chmod go-w/)
  const run = await runCli(['schedule', 'run', '--only', 'platform', '--textfile-dir', dir], { cwd, env })
  assert.equal(run.code, 1, run.stderr)
  assert.match(run.stderr, /cannot write .*shipshape\.prom: .*writable by its group/)
  assert.equal(await readFile(victim, 'utf8'), VICTIM)
})

test('under umask 000 the folders shipshape creates are 0755 (render, checklist output) or 0700 (cache, units)', async (t) => {
  const cwd = await tempDir(t)
  const bin = await tempDir(t)
  await fakeExecutable(bin, 'systemctl', `case "$*" in *is-system-running*) echo running ;; esac`)
  await fakeExecutable(bin, 'docker', 'echo "Docker version 28.2.2, build e6534b4"')
  const env = cleanEnv({ HOME: cwd, PATH: `${bin}:${process.env.PATH}` })
  const run = (...args: string[]) => runProcess('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, cliPath, ...args], { cwd, env, timeoutMs: 60_000 })
  for (const args of [['render', 'echo', '--out', 'a/b'], ['checklist', '--offline', '--only', 'platform', '--output', 'c/d/x.md'],
    ['doctor', '--only', 'docker-cli'], ['schedule', 'install', '--via', 'systemd', '--every', '1h']]) {
    const r = await run(...args)
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
  }
  const modes = async (...paths: string[]) => Promise.all(paths.map(async (p) => `${p} ${((await stat(join(cwd, p))).mode & 0o777).toString(8)}`))
  assert.deepEqual(await modes('a', 'a/b', 'c', 'c/d'), ['a 755', 'a/b 755', 'c 755', 'c/d 755'])
  assert.deepEqual(await modes('.cache', '.cache/shipshape', '.config', '.config/systemd', '.config/systemd/user'),
    ['.cache 700', '.cache/shipshape 700', '.config 700', '.config/systemd 700', '.config/systemd/user 700'])
})

test('a version cache other users can write is not trusted: a forged version is not reported, and doctor says why', async (t) => {
  const home = await tempDir(t)
  const bin = await tempDir(t)
  const docker = await fakeExecutable(bin, 'docker', 'echo "Docker version 20.10.5, build 55c4c88"')
  const cache = join(home, '.cache', 'shipshape')
  await mkdir(cache, { recursive: true })
  await chmod(cache, 0o777)
  const s = await stat(await realpath(docker))
  const id = `${await realpath(docker)}|${s.size}|${s.mtimeMs}|${s.ino}`
  await writeFile(join(cache, 'versions.json'), JSON.stringify({ version: 1, entries: { [`${docker} --version`]: { id, stdout: 'Docker version 99.9.9, build forged\n' } } }))
  const r = await runCli(['doctor', '--only', 'docker-cli', '--format', 'json'], { cwd: home, env: cleanEnv({ HOME: home, PATH: `${bin}:${process.env.PATH}` }) })
  const check = JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'docker-cli')
  assert.equal(check.version, '20.10.5', r.stdout)
  assert.match(check.details.join('\n'), /version cache not used: .*shipshape can be written by other users \(mode 0777\)/)
  assert.match(await readFile(join(cache, 'versions.json'), 'utf8'), /99\.9\.9/, 'nor is it written')
})
