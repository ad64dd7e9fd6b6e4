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
  assert.equal((await writeFileAtomic(file, 'one\n', { backup: true, mode: 0o600 })).backup, null)
  assert.equal((await stat(file)).mode & 0o777, 0o600)
  assert.equal((await writeFileAtomic(file, 'two\n', { backup: true })).backup, `${file}.bak`)
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

test('a symlinked file is written through to its target, keeping the link and the target\'s mode', async (t) => {
  const dir = await tempDir(t)
  const { chmod, lstat, symlink } = await import('node:fs/promises')
  const target = join(dir, 'dotfiles', 'bashrc')
  await writeFileAtomic(target, 'old\n')
  await chmod(target, 0o640)
  const link = join(dir, '.bashrc')
  await symlink(target, link)
  const written = await writeFileAtomic(link, 'new\n', { mode: 0o600 })
  assert.equal(written.path, target)
  assert.ok((await lstat(link)).isSymbolicLink())
  assert.equal(await readFile(link, 'utf8'), 'new\n')
  assert.equal((await stat(target)).mode & 0o777, 0o640, 'an existing file keeps its mode')
  await writeFileAtomic(link, 'secret\n', { mode: 0o600, forceMode: true })
  assert.equal((await stat(target)).mode & 0o777, 0o600)
})

test('interrupted between the temporary file and the rename, the old file stands and no temporary file stays', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, '.zshrc')
  await writeFile(file, 'mine\n')
  await assert.rejects(writeFileAtomic(file, 'theirs\n', { beforeRename: () => { throw new Error('interrupted') } }), /interrupted/)
  assert.equal(await readFile(file, 'utf8'), 'mine\n')
  assert.deepEqual(await readdir(dir), ['.zshrc'])
})

test('a link of ours is not followed from a folder others can write, and a dangling link is refused; neither is replaced', async (t) => {
  const dir = await tempDir(t)
  const { chmod, lstat, mkdir, symlink } = await import('node:fs/promises')
  const target = join(dir, 'dotfiles', 'bashrc')
  await writeFileAtomic(target, 'old\n')
  const shared = join(dir, 'shared')
  await mkdir(shared)
  await symlink(target, join(shared, '.bashrc'))
  await chmod(shared, 0o770)
  await assert.rejects(writeFileAtomic(join(shared, '.bashrc'), 'new\n'), /is a symbolic link and its folder .*shared is writable by its group/)
  await chmod(shared, 0o700)
  await symlink(join(dir, 'nowhere'), join(shared, 'dangling'))
  await assert.rejects(writeFileAtomic(join(shared, 'dangling'), 'new\n'), /dangling is a symbolic link and it points to nothing/)
  assert.equal(await readFile(target, 'utf8'), 'old\n')
  assert.ok((await lstat(join(shared, '.bashrc'))).isSymbolicLink())
  assert.ok((await lstat(join(shared, 'dangling'))).isSymbolicLink())
})

test('a file its owner made read-only (0444) is not replaced', async (t) => {
  const dir = await tempDir(t)
  const { chmod } = await import('node:fs/promises')
  const file = join(dir, '.bashrc')
  await writeFile(file, 'mine\n')
  await chmod(file, 0o444)
  await assert.rejects(writeFileAtomic(file, 'theirs\n'), /\.bashrc is read-only \(mode 0444\); nothing was written/)
  assert.equal(await readFile(file, 'utf8'), 'mine\n')
  assert.deepEqual(await readdir(dir), ['.bashrc'])
})
