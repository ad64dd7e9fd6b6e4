// docker-compose with the v2 plugin (which cannot be installed here: a fake docker replays what
// `docker compose version --short` prints) and with nothing at all.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { dockerCompose } from '../../checks/docker-compose.js'
import { createFacts } from '../../lib/context.js'
import { debian12, fakeExecutable, fixture, makeContext, tempDir } from '../helpers.js'

test('the v2 plugin is preferred even when v1 is installed too', async (t) => {
  const dir = await tempDir(t)
  await fakeExecutable(join(dir, 'bin'), 'docker', '[ "$1 $2" = "compose version" ] && echo 2.29.1 && exit 0\nexit 1')
  await fakeExecutable(join(dir, 'bin'), 'docker-compose', 'echo 1.29.2')
  // hostRoot: a plugin installed on the developer's machine must not answer for the fake.
  const r = await dockerCompose.run(makeContext({ env: { PATH: join(dir, 'bin'), HOME: dir, XDG_CACHE_HOME: join(dir, 'c') }, home: dir, hostRoot: dir, facts: createFacts() }))
  assert.deepEqual([r.status, r.summary], ['ok', 'Docker Compose 2.29.1 (plugin)'])
})

test('neither plugin nor standalone: a failure with the install command for the platform', async (t) => {
  const dir = await tempDir(t)
  const noPlugin = await fixture('docker-compose.no-plugin.stderr.txt')
  await put125(dir, noPlugin)
  const ctx = makeContext({ env: { PATH: join(dir, 'bin'), HOME: dir }, home: dir, hostRoot: dir, platform: { ...debian12, distro: { id: 'ubuntu', version: '24.04', codename: 'noble' } } })
  const r = await dockerCompose.run(ctx)
  assert.equal(r.status, 'fail')
  assert.match(r.summary, /neither `docker compose` \(v2 plugin\) nor `docker-compose`/)
  assert.match(r.details!.join('\n'), /no Compose plugin: docker compose said 'unknown flag: --short'/)
  assert.deepEqual(dockerCompose.fix(ctx).steps.map((s) => s.argv), [['apt-get', 'install', '-y', 'docker-compose-v2']])
})

async function put125(dir: string, stderr: string) {
  // Only shell built-ins: this PATH holds nothing else.
  const lines = stderr.split('\n').map((l) => `echo '${l}' >&2`).join('\n')
  await fakeExecutable(join(dir, 'bin'), 'docker', `${lines}\nexit 125`)
}
