// `shipshape self-install`, what setup.sh runs to make `shipshape` a command: the launcher in
// ~/.local/bin runs this clone, ~/.local/bin goes on PATH once in the shell's marked block, a file
// there that is not ours is left alone, and setup.sh's own Node is named through its `current` link.

import assert from 'node:assert/strict'
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { stableNodePath } from '../../lib/launcher.js'
import { cleanEnv, cliPath, runCli, runProcess, tempDir } from '../helpers.js'

test('self-install writes a launcher that runs this clone, and puts ~/.local/bin on PATH once', async (t) => {
  const home = await tempDir(t)
  const env = cleanEnv({ HOME: home, SHELL: '/bin/bash', PATH: '/usr/bin:/bin' })
  const first = await runCli(['self-install', '--node', process.execPath], { env })
  assert.equal(first.code, 0, first.stderr)
  const launcher = join(home, '.local/bin/shipshape')
  assert.match(first.stderr, new RegExp(`installed ${launcher} \\(runs ${cliPath} with ${process.execPath}\\)`))
  assert.match(first.stderr, /put .*\/\.local\/bin on PATH in .*\/\.bashrc/)
  assert.equal((await stat(launcher)).mode & 0o777, 0o755)
  const ran = await runProcess('bash', ['-ic', 'shipshape --version'], { env })
  assert.match(ran.stdout, /^\d+\.\d+\.\d+\n$/, `a new interactive bash finds shipshape: ${ran.stderr}`)

  const rc = await readFile(join(home, '.bashrc'), 'utf8')
  const again = await runCli(['self-install', '--node', process.execPath], { env })
  assert.equal(again.code, 0, again.stderr)
  assert.doesNotMatch(again.stderr, /installed|put /, 'a second run changes nothing')
  assert.equal(await readFile(join(home, '.bashrc'), 'utf8'), rc)
})

test('self-install leaves a shipshape that is not its launcher alone, and says what to run instead', async (t) => {
  const home = await tempDir(t)
  const theirs = join(home, '.local/bin/shipshape')
  await mkdir(join(home, '.local/bin'), { recursive: true })
  await writeFile(theirs, '#!/bin/sh\necho another shipshape\n', { mode: 0o755 })
  const r = await runCli(['self-install', '--node', process.execPath], { env: cleanEnv({ HOME: home }) })
  assert.equal(r.code, 1)
  assert.match(r.stderr, new RegExp(`${theirs} exists and is not shipshape's launcher, so it was left alone; run ${cliPath} with `))
  assert.equal(await readFile(theirs, 'utf8'), '#!/bin/sh\necho another shipshape\n')
})

test('self-install refuses a relative --node (exit 2)', async () => {
  const r = await runCli(['self-install', '--node', 'node'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /--node takes an absolute path, not 'node'/)
})

test("setup.sh's own Node is named through its current link, which survives a new NODE_VERSION; any other node as it is", async (t) => {
  const home = await tempDir(t)
  const data = join(home, 'data')
  const nodes = join(data, 'shipshape/node')
  await mkdir(join(nodes, 'node-v99.1.0-linux-x64/bin'), { recursive: true })
  await symlink(process.execPath, join(nodes, 'node-v99.1.0-linux-x64/bin/node'))
  await symlink('node-v99.1.0-linux-x64', join(nodes, 'current'))
  const env = { XDG_DATA_HOME: data }
  assert.equal(await stableNodePath(join(nodes, 'node-v99.1.0-linux-x64/bin/node'), env, home), join(nodes, 'current/bin/node'))
  assert.equal(await stableNodePath(process.execPath, env, home), process.execPath)
  // An older version that `current` no longer points at stays as named.
  await mkdir(join(nodes, 'node-v98.0.0-linux-x64/bin'), { recursive: true })
  await writeFile(join(nodes, 'node-v98.0.0-linux-x64/bin/node'), '')
  assert.equal(await stableNodePath(join(nodes, 'node-v98.0.0-linux-x64/bin/node'), env, home), join(nodes, 'node-v98.0.0-linux-x64/bin/node'))
})
