// Root with a user's HOME (`sudo -E`, or a sudo that keeps HOME): files under that HOME are written
// as its owner, so the user's next run can still write them, and root writes no cache there (a link
// the user planted in the cache would otherwise aim root's write at a root-only file).

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { chmod, chown, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createProbe } from '../../lib/probe.js'
import { need } from '../gate.js'
import { cleanEnv, fakeExecutable, runCli, tempDir } from '../helpers.js'

const probe = createProbe({ env: process.env })

/** A throwaway user with a HOME of its own (removed when the test ends); null off root, skipped by name. */
async function userWithHome(t: TestContext): Promise<{ name: string; uid: number; home: string } | null> {
  if (!(await need(t, 'root'))) return null
  const name = `shipshape-home-${randomBytes(4).toString('hex')}`
  const r = await probe(['useradd', '--no-create-home', '--shell', '/usr/sbin/nologin', name])
  if (!r.ok) throw new Error(`useradd ${name} failed: ${r.stderr}`)
  t.after(() => probe(['userdel', name]))
  const uid = Number((await probe(['id', '-u', name])).stdout.trim())
  const parent = await tempDir(t)
  await chmod(parent, 0o755) // the user must reach its HOME
  const home = join(parent, 'home')
  await mkdir(home)
  await chown(home, uid, uid)
  await chmod(home, 0o755)
  return { name, uid, home }
}

test('as root with a user\'s HOME: history, checklist and their folders belong to the user; no cache is written', async (t) => {
  const user = await userWithHome(t)
  if (!user) return
  const bin = await tempDir(t)
  await fakeExecutable(bin, 'docker', 'echo "Docker version 28.2.2, build e6534b4"')
  await chmod(bin, 0o755)
  // The user aims the version cache at a file only root may write.
  const rootOnly = join(await tempDir(t), 'root-only')
  await writeFile(rootOnly, 'root\n', { mode: 0o600 })
  const cache = join(user.home, '.cache', 'shipshape')
  await mkdir(cache, { recursive: true })
  await symlink(rootOnly, join(cache, 'versions.json'))
  await chown(join(user.home, '.cache'), user.uid, user.uid)
  await chown(cache, user.uid, user.uid)
  const env = cleanEnv({ HOME: user.home, SUDO_USER: user.name, PATH: `${bin}:${process.env.PATH}` })

  const doctor = await runCli(['doctor', '--offline', '--only', 'docker-cli', '--format', 'json'], { cwd: user.home, env })
  assert.equal(doctor.code, 0, doctor.stderr)
  assert.equal(await readFile(rootOnly, 'utf8'), 'root\n', 'the root-only file is untouched')
  const check = JSON.parse(doctor.stdout).checks.find((c: { id: string }) => c.id === 'docker-cli')
  assert.match(check.details.join('\n'), /version cache not used: running as root with the HOME of uid \d+/)

  const run = await runCli(['schedule', 'run', '--only', 'platform'], { cwd: user.home, env })
  assert.equal(run.code, 0, run.stderr)
  for (let i = 0; i < 2; i++) {
    const r = await runCli(['checklist', '--offline', '--only', 'platform', '--output', 'notes/ONBOARDING.md'], { cwd: user.home, env })
    assert.equal(r.code, 0, r.stderr)
  }
  const owners = async (...paths: string[]) => Promise.all(paths.map(async (p) => `${p} ${(await stat(join(user.home, p))).uid}`))
  const mine = ['.shipshape', '.shipshape/history.jsonl', 'notes', 'notes/ONBOARDING.md', 'notes/ONBOARDING.md.bak']
  assert.deepEqual(await owners(...mine), mine.map((p) => `${p} ${user.uid}`))
})
