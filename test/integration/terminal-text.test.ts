// Escape sequences in what a tool printed reach the report as text (`^[`), not as commands to the
// terminal: in human output, Markdown and the live progress alike, since findings are cleaned once.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { cleanEnv, fakeExecutable, runCli, tempDir } from '../helpers.js'

test('a docker that prints escape sequences cannot colour, clear or retitle the terminal through doctor', async (t) => {
  const home = await tempDir(t)
  const bin = await tempDir(t)
  await fakeExecutable(bin, 'docker', `printf 'Docker version 28.2.2, build \\033[31mPWN\\033]0;title\\007 \\033[2J\\n'`)
  const env = cleanEnv({ HOME: home, PATH: `${bin}:${process.env.PATH}` })
  for (const format of ['human', 'markdown']) {
    const r = await runCli(['doctor', '--only', 'docker-cli', '--verbose', '--no-cache', '--format', format], { cwd: home, env })
    assert.doesNotMatch(r.stdout, /[\x07\x1b]/, format)
    // Markdown carries no details; the human report shows the line as text.
    if (format === 'human') assert.match(r.stdout, /build \^\[\[31mPWN\^\[\]0;title\^G \^\[\[2J/, r.stdout)
  }
})

test('a daemon whose /info lacks DockerRootDir is an error naming the field, and the run is not ready', async (t) => {
  const home = await tempDir(t)
  const bin = await tempDir(t)
  const info = JSON.stringify({ ServerVersion: '28.2.2', OperatingSystem: 'Debian', OSType: 'linux', Architecture: 'x86_64', KernelVersion: '6.1', NCPU: 2, MemTotal: 8e9, Name: 'h' })
  await fakeExecutable(bin, 'docker', `case "$1" in --version) echo "Docker version 28.2.2, build e6534b4" ;; info) echo '${info}' ;; *) exit 1 ;; esac`)
  const env = cleanEnv({ HOME: home, PATH: `${bin}:${process.env.PATH}`, DOCKER_HOST: 'tcp://127.0.0.1:1' })
  const r = await runCli(['doctor', '--only', 'docker-daemon,resources', '--format', 'json'], { cwd: home, env })
  const doc = JSON.parse(r.stdout)
  const daemon = doc.checks.find((c: { id: string }) => c.id === 'docker-daemon')
  assert.equal(daemon.status, 'error', r.stdout)
  assert.match(daemon.summary, /no usable DockerRootDir/)
  assert.equal(doc.checks.find((c: { id: string }) => c.id === 'resources').status, 'skip')
  assert.equal(r.code, 1)
})
