// Files are replaced whole: no temporary file is left beside them, the mode is as asked, and the
// previous version is kept as .bak when a backup is wanted.

import assert from 'node:assert/strict'
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { writeFileAtomic } from '../../lib/atomic-write.js'
import { tempDir } from '../helpers.js'

test('writeFileAtomic replaces the file, keeps a backup on request, and leaves no temporary file', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'sub', 'shipshape.prom')
  assert.deepEqual(await writeFileAtomic(file, 'one\n', { backup: true, mode: 0o600 }), { backup: null })
  assert.equal((await stat(file)).mode & 0o777, 0o600)
  assert.deepEqual(await writeFileAtomic(file, 'two\n', { backup: true }), { backup: `${file}.bak` })
  assert.equal(await readFile(file, 'utf8'), 'two\n')
  assert.equal(await readFile(`${file}.bak`, 'utf8'), 'one\n')
  assert.deepEqual((await readdir(join(dir, 'sub'))).sort(), ['shipshape.prom', 'shipshape.prom.bak'])
})

test('a failed write leaves the old file as it was and no temporary file', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'target')
  await writeFile(file, 'old\n')
  // A directory where the backup should go makes the copy fail after the temporary file was written.
  const { mkdir } = await import('node:fs/promises')
  await mkdir(`${file}.bak`)
  await assert.rejects(writeFileAtomic(file, 'new\n', { backup: true }))
  assert.equal(await readFile(file, 'utf8'), 'old\n')
  assert.deepEqual((await readdir(dir)).sort(), ['target', 'target.bak'])
})
