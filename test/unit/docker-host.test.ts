// DOCKER_HOST in start-up files and the environment: the lines are found with file:line (broken,
// symlinked and fish ones too) and judged for the platform.

import assert from 'node:assert/strict'
import { symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { dockerHost } from '../../checks/docker-host.js'
import { findAssignments, parseLine } from '../../lib/shell-rc.js'
import type { Platform } from '../../lib/types.js'
import { debian12, makeContext, put, tempDir } from '../helpers.js'

const wsl2: Platform = { ...debian12, kind: 'wsl', wsl: 2, distro: { id: 'ubuntu', version: '24.04', codename: 'noble' } }
const wsl1: Platform = { ...wsl2, wsl: 1 }

async function run(home: string, platform: Platform, env: Record<string, string> = {}) {
  const ctx = makeContext({ home, platform, env: { HOME: home, PATH: process.env.PATH, ...env } })
  const outcome = await dockerHost.run(ctx)
  const fix = outcome.status === 'ok' ? null : await dockerHost.fix(ctx)
  return { ...outcome, fix }
}

test('the broken seed line is found and named with file and line', async (t) => {
  const home = await tempDir(t)
  await put(join(home, '.bashrc'), '# my settings\nalias ll="ls -l"\nexport DOCKER_HOST = localhost : 2375\n')
  const r = await run(home, debian12)
  assert.equal(r.status, 'warn')
  assert.match(r.summary, new RegExp(`${join(home, '.bashrc')}:3: broken line 'export DOCKER_HOST = localhost : 2375': spaces around '='`))
  assert.match(r.fix!.manual!, /comment out .*\.bashrc:3/)
})

test('on WSL 2 a leftover tcp://localhost:2375 fails: it overrides the Desktop integration', async (t) => {
  const home = await tempDir(t)
  await put(join(home, '.zshrc'), 'export PATH=$PATH:~/bin\nexport DOCKER_HOST=tcp://localhost:2375\n')
  const r = await run(home, wsl2)
  assert.equal(r.status, 'fail')
  assert.match(r.summary, /\.zshrc:2: tcp:\/\/localhost:2375: on WSL 2 this overrides Docker Desktop's WSL integration/)
})

test('on Linux a loopback tcp:// is a loud warning; to another host without TLS a failure; with TLS fine', async (t) => {
  const home = await tempDir(t)
  assert.equal((await run(home, debian12, { DOCKER_HOST: 'tcp://127.0.0.1:2375' })).status, 'warn')
  assert.match((await run(home, debian12, { DOCKER_HOST: 'tcp://127.0.0.1:2375' })).summary, /UNENCRYPTED/)
  const remote = await run(home, debian12, { DOCKER_HOST: 'tcp://10.0.0.5:2375' })
  assert.equal(remote.status, 'fail')
  assert.match(remote.summary, /anyone on the network can run containers as root/)
  assert.equal((await run(home, debian12, { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1' })).status, 'ok')
  assert.equal((await run(home, debian12, { DOCKER_HOST: 'unix:///var/run/docker.sock' })).status, 'ok')
  const unset = await run(home, debian12)
  assert.equal(unset.status, 'ok')
  assert.match(unset.summary, /not set/)
})

test('WSL 1 needs DOCKER_HOST pointing at Docker Desktop; set to localhost:2375 it warns about encryption', async (t) => {
  const home = await tempDir(t)
  const unset = await run(home, wsl1)
  assert.equal(unset.status, 'fail')
  assert.match(unset.summary, /WSL 1 has no local daemon/)
  await put(join(home, '.bashrc'), 'export DOCKER_HOST=tcp://localhost:2375\n')
  const set = await run(home, wsl1)
  assert.equal(set.status, 'warn')
  assert.match(set.summary, /UNENCRYPTED/)
})

test('a symlinked .bashrc is read once, under the name the user knows', async (t) => {
  const home = await tempDir(t)
  const dotfiles = await tempDir(t)
  await put(join(dotfiles, 'bashrc'), 'DOCKER_HOST="tcp://192.168.1.20:2375" # old guide\n')
  await symlink(join(dotfiles, 'bashrc'), join(home, '.bashrc'))
  await symlink(join(dotfiles, 'bashrc'), join(home, '.profile'))
  const lines = await findAssignments(home, 'DOCKER_HOST')
  assert.deepEqual(lines.map((l) => [l.file, l.line, l.value]), [[join(home, '.bashrc'), 1, 'tcp://192.168.1.20:2375']])
  assert.equal((await run(home, debian12)).status, 'fail')
})

test('fish: config.fish and conf.d are read; set -gx assigns, set -e erases', async (t) => {
  const home = await tempDir(t)
  await put(join(home, '.config/fish/config.fish'), 'set -gx DOCKER_HOST unix:///run/user/1000/docker.sock\n')
  await put(join(home, '.config/fish/conf.d/docker.fish'), 'set -e DOCKER_HOST\nset -gx DOCKER_HOST tcp://localhost:2375\n')
  const lines = await findAssignments(home, 'DOCKER_HOST')
  assert.deepEqual(lines.map((l) => [l.file.slice(home.length), l.line, l.action, l.value]), [
    ['/.config/fish/config.fish', 1, 'set', 'unix:///run/user/1000/docker.sock'],
    ['/.config/fish/conf.d/docker.fish', 1, 'unset', null],
    ['/.config/fish/conf.d/docker.fish', 2, 'set', 'tcp://localhost:2375'],
  ])
  const r = await run(home, wsl2)
  assert.equal(r.status, 'fail')
  assert.match(r.summary, /conf\.d\/docker\.fish:2/)
})

test('values the shell computes are not guessed at; rootless Docker\'s socket is fine', async (t) => {
  const home = await tempDir(t)
  await put(join(home, '.bashrc'), 'export DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock\nexport DOCKER_HOST="$(cat ~/.docker-host)"\n')
  const r = await run(home, debian12)
  assert.equal(r.status, 'ok')
  assert.match(r.details!.join('\n'), /computed by the shell at start-up/)
})

test('line parsing: comments, quotes, declare -x and a space after = (which runs a command)', () => {
  assert.equal(parseLine('# export DOCKER_HOST=tcp://x:1', 'DOCKER_HOST', 'bash'), null)
  assert.equal(parseLine('export DOCKER_HOSTNAME=x', 'DOCKER_HOST', 'bash'), null)
  assert.deepEqual(parseLine("  export DOCKER_HOST='ssh://me@box'", 'DOCKER_HOST', 'bash'), { action: 'set', value: 'ssh://me@box', broken: null })
  assert.deepEqual(parseLine('declare -x DOCKER_HOST=unix:///x.sock', 'DOCKER_HOST', 'bash'), { action: 'set', value: 'unix:///x.sock', broken: null })
  assert.match(parseLine('DOCKER_HOST= tcp://x:2375', 'DOCKER_HOST', 'bash')!.broken!, /space after '='/)
  assert.deepEqual(parseLine('unset DOCKER_HOST', 'DOCKER_HOST', 'zsh'), { action: 'unset', value: null, broken: null })
  assert.match(parseLine('set -gx DOCKER_HOST = tcp://x', 'DOCKER_HOST', 'fish')!.broken!, /takes no '='/)
})

test('setup fixes what doctor names in fish conf.d and .zshenv: one list of start-up files for both', async (t) => {
  const home = await tempDir(t)
  const confd = await put(join(home, '.config/fish/conf.d/docker.fish'), 'set -gx PATH $PATH ~/bin\nset -gx DOCKER_HOST tcp://localhost:2375\n')
  const zshenv = await put(join(home, '.zshenv'), 'export DOCKER_HOST=tcp://localhost:2375\n')
  const before = await run(home, wsl2)
  assert.equal(before.status, 'fail')
  assert.ok(before.details?.some((d) => d.includes('conf.d/docker.fish:2')), String(before.details))
  assert.ok(before.details?.some((d) => d.includes('.zshenv:1')), String(before.details))
  const ctx = makeContext({ home, platform: wsl2, env: { HOME: home, PATH: process.env.PATH, SHELL: '/usr/bin/fish' } })
  const step = before.fix!.steps.find((s) => s.id === 'docker-host-rc')!
  assert.equal(await step.done!(ctx), false, 'not "Already done"')
  await step.perform!(ctx)
  assert.equal(await step.done!(ctx), true)
  const { readFile } = await import('node:fs/promises')
  assert.match(await readFile(confd, 'utf8'), /^set -gx PATH \$PATH ~\/bin\n# shipshape: commented out the next line: .*\n# set -gx DOCKER_HOST tcp:\/\/localhost:2375\n$/)
  assert.match(await readFile(zshenv, 'utf8'), /^# export DOCKER_HOST=tcp:\/\/localhost:2375$/m)
  assert.equal((await run(home, wsl2)).status, 'ok')
})
