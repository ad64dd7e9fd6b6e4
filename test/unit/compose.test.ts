// docker-compose with the v2 plugin (which cannot be installed here: a fake plugin prints what
// `docker-compose version --short` of v2.29.1 prints) and with nothing at all.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { dockerCompose } from '../../checks/docker-compose.js'
import { createFacts } from '../../lib/context.js'
import { debian12, fakeExecutable, makeContext, tempDir } from '../helpers.js'

test('the v2 plugin is preferred even when v1 is installed too', async (t) => {
  const dir = await tempDir(t)
  await fakeExecutable(join(dir, 'bin'), 'docker', 'exit 0')
  await fakeExecutable(join(dir, '.docker/cli-plugins'), 'docker-compose', '[ "$1 $2" = "version --short" ] && echo 2.29.1')
  await fakeExecutable(join(dir, 'bin'), 'docker-compose', 'echo 1.29.2')
  // hostRoot: a plugin installed on the developer's machine must not answer for the fake.
  const r = await dockerCompose.run(makeContext({ env: { PATH: join(dir, 'bin'), HOME: dir, XDG_CACHE_HOME: join(dir, 'c') }, home: dir, hostRoot: dir, facts: createFacts() }))
  assert.deepEqual([r.status, r.summary], ['ok', 'Docker Compose 2.29.1 (plugin)'])
})

test('neither plugin nor standalone: a failure with the install command for the platform', async (t) => {
  const dir = await tempDir(t)
  await fakeExecutable(join(dir, 'bin'), 'docker', 'exit 0')
  const ctx = makeContext({ env: { PATH: join(dir, 'bin'), HOME: dir }, home: dir, hostRoot: dir, platform: { ...debian12, distro: { id: 'ubuntu', version: '24.04', codename: 'noble' } } })
  const r = await dockerCompose.run(ctx)
  assert.equal(r.status, 'fail')
  assert.match(r.summary, /neither `docker compose` \(v2 plugin\) nor `docker-compose`/)
  assert.match(r.details!.join('\n'), new RegExp(`no docker-compose plugin where docker looks for it \\(${dir}/\\.docker/cli-plugins, `))
  const fix = await dockerCompose.fix(ctx, { ...r, id: 'docker-compose' } as never)
  assert.deepEqual(fix!.steps.map((s) => s.argv), [['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', 'docker-compose-v2']])
})

test('Podman as the engine: no provider fails naming `podman compose`; docker-compose serves it (installed for it on Linux)', async (t) => {
  const dir = await tempDir(t)
  await fakeExecutable(join(dir, 'bin'), 'docker', 'exit 0')
  const env = { PATH: join(dir, 'bin'), HOME: dir, XDG_CACHE_HOME: join(dir, 'c'), DOCKER_HOST: `unix://${dir}/run/podman/podman.sock` }
  const ctx = makeContext({ env, home: dir, hostRoot: dir, facts: createFacts() })
  const none = await dockerCompose.run(ctx)
  assert.equal(none.status, 'fail')
  assert.match(none.summary, /^Podman is the engine, but no Compose provider is installed/)
  const fix = await dockerCompose.fix(ctx, { ...none, id: 'docker-compose' } as never)
  assert.deepEqual(fix!.steps.map((s) => s.argv.at(-1)), ['update', 'docker-compose'])
  assert.match(fix!.manual!, /podman compose/)
  // The plugin answers `docker compose` and `podman compose` alike.
  await fakeExecutable(join(dir, '.docker/cli-plugins'), 'docker-compose', '[ "$1 $2" = "version --short" ] && echo 2.29.1')
  const plugin = await dockerCompose.run(makeContext({ env, home: dir, hostRoot: dir, facts: createFacts() }))
  assert.equal(plugin.status, 'ok')
  assert.match(plugin.details!.join('\n'), /Podman is the engine: `podman compose` runs docker-compose/)
})
