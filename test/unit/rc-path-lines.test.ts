// shipshape's marked block holds more than DOCKER_HOST now: Homebrew's shellenv line and PATH lines
// for tools installed off PATH. Each kind of change keeps what the other put there, a PATH line is
// added once however often setup runs, and a PATH change never touches DOCKER_HOST lines.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BLOCK_START, editRcText } from '../../lib/provision/rcfile.js'
import { pathLine, pathRcFile } from '../../lib/provision/shell-path.js'
import { debian12 } from '../helpers.js'

const count = (text: string, needle: string) => text.split(needle).length - 1
const mac = { kind: 'macos' as const, arch: 'arm64', wsl: null, distro: null, macos: { version: '14.5' }, evidence: [] }
const brew = 'eval "$(/opt/homebrew/bin/brew shellenv)"'

test('a PATH line is added once, and a second run changes nothing', () => {
  const once = editRcText('alias k=kubectl\n', { pathLines: [brew], shell: 'posix' })
  assert.equal(count(once, BLOCK_START), 1)
  assert.equal(count(once, brew), 1)
  assert.ok(once.startsWith('alias k=kubectl\n'))
  assert.equal(editRcText(once, { pathLines: [brew], shell: 'posix' }), once)
})

test('setting DOCKER_HOST keeps the PATH lines; a PATH change keeps DOCKER_HOST and the lines outside', () => {
  const withPath = editRcText('export DOCKER_HOST=tcp://old:2375\n', { pathLines: [brew], shell: 'posix' })
  assert.match(withPath, /^export DOCKER_HOST=tcp:\/\/old:2375$/m, 'a PATH change leaves DOCKER_HOST lines alone')
  const withHost = editRcText(withPath, { dockerHost: 'tcp://localhost:2375', shell: 'posix' })
  assert.equal(count(withHost, brew), 1)
  assert.match(withHost, /^export DOCKER_HOST=tcp:\/\/localhost:2375$/m)
  const lines = withHost.split('\n')
  assert.ok(lines.indexOf(brew) < lines.indexOf('export DOCKER_HOST=tcp://localhost:2375'), 'PATH comes before DOCKER_HOST in the block')
  const pathAgain = editRcText(withHost, { pathLines: ['export PATH=/usr/local/bin:"$PATH"'], shell: 'posix' })
  assert.match(pathAgain, /^export DOCKER_HOST=tcp:\/\/localhost:2375$/m)
  assert.equal(count(pathAgain, BLOCK_START), 1)
})

test('unsetting DOCKER_HOST keeps a block that still holds PATH lines', () => {
  const both = editRcText('', { dockerHost: 'tcp://localhost:2375', pathLines: [brew], shell: 'posix' })
  const unset = editRcText(both, { dockerHost: null, shell: 'posix' })
  assert.equal(count(unset, brew), 1)
  assert.doesNotMatch(unset, /DOCKER_HOST=/)
})

test('the line fits the shell and the folder', () => {
  assert.equal(pathLine({ platform: mac, env: {}, home: '/Users/a' }, '/opt/homebrew/bin', 'posix'), brew)
  assert.equal(pathLine({ platform: mac, env: {}, home: '/Users/a' }, '/opt/homebrew/bin', 'fish'), '/opt/homebrew/bin/brew shellenv | source')
  assert.equal(pathLine({ platform: debian12, env: {}, home: '/home/a' }, '/home/a/.local/bin', 'posix'), 'export PATH=/home/a/.local/bin:"$PATH"')
  assert.equal(pathLine({ platform: debian12, env: {}, home: '/home/a b' }, '/home/a b/.local/bin', 'posix'), `export PATH='/home/a b/.local/bin':"$PATH"`)
  assert.equal(pathLine({ platform: debian12, env: {}, home: '/home/a' }, '/snap/bin', 'fish'), 'set -gx PATH /snap/bin $PATH')
})

test('PATH lines go where a new terminal reads them', () => {
  assert.equal(pathRcFile({ platform: mac, env: { SHELL: '/bin/zsh' }, home: '/Users/a' }), '/Users/a/.zprofile')
  assert.equal(pathRcFile({ platform: mac, env: { SHELL: '/bin/bash' }, home: '/Users/a' }), '/Users/a/.bash_profile')
  assert.equal(pathRcFile({ platform: mac, env: { SHELL: '/opt/homebrew/bin/fish' }, home: '/Users/a' }), '/Users/a/.config/fish/config.fish')
  assert.equal(pathRcFile({ platform: debian12, env: { SHELL: '/bin/bash' }, home: '/home/a' }), '/home/a/.bashrc')
})
