// System files (apt sources, keyrings, sysctl.d) are replaced whole or not at all: as root by a
// rename, as a user through sudo install + mv; a step that fails mid-way leaves the old file and no
// staged copy beside it.

import assert from 'node:assert/strict'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { placeFile } from '../../lib/provision/files.js'
import { fakeBinDir, makeContext, put, tempDir } from '../helpers.js'

/** Fake brew, apt-get, dpkg, sudo, curl… that log their argv (test/bin/provision). */
const provisionBin = join(fakeBinDir, 'provision')

const OLD = 'deb [arch=amd64] https://download.docker.com/linux/debian bookworm stable\n'
const NEW = 'Types: deb\nURIs: https://download.docker.com/linux/debian\n'

for (const uid of ['0', '1000']) {
  test(`as uid ${uid}: the file is replaced whole, 0644, its folder made when missing`, async (t) => {
    const root = await tempDir(t)
    const log = join(root, 'fake.log')
    const ctx = makeContext({ hostRoot: root, env: { PATH: `${provisionBin}:/usr/bin:/bin`, HOME: root, SHIPSHAPE_UID: uid, SHIPSHAPE_FAKE_LOG: log } })
    await placeFile(ctx, '/etc/sysctl.d/99-test.conf', 'vm.max_map_count = 262144\n')
    const file = join(root, 'etc/sysctl.d/99-test.conf')
    assert.equal(await readFile(file, 'utf8'), 'vm.max_map_count = 262144\n')
    assert.equal((await stat(file)).mode & 0o777, 0o644)
    const sudoLines = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l.startsWith('sudo'))
    if (uid === '0') assert.deepEqual(sudoLines, [])
    else assert.deepEqual(sudoLines.map((l) => l.split(' ').slice(0, 3).join(' ')), ['sudo -n install', 'sudo -n install', 'sudo -n mv'])
  })
}

test('a sudo refused between staging and the rename leaves the old source list and nothing else', async (t) => {
  const root = await tempDir(t)
  const dir = join(root, 'etc/apt/sources.list.d')
  await put(join(dir, 'docker.sources'), OLD)
  const ctx = makeContext({ hostRoot: root, env: { PATH: `${provisionBin}:/usr/bin:/bin`, HOME: root, SHIPSHAPE_UID: '1000', FAKE_SUDO_REFUSE_CMD: 'mv' } })
  await assert.rejects(placeFile(ctx, '/etc/apt/sources.list.d/docker.sources', NEW), /sudo -n mv -f .*docker\.sources\.shipshape-tmp .*docker\.sources: sudo: mv: refused/)
  assert.equal(await readFile(join(dir, 'docker.sources'), 'utf8'), OLD)
  assert.deepEqual(await readdir(dir), ['docker.sources'])
})
