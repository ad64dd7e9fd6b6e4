// Editing a person's shell start-up file: one block however often setup runs, their own lines
// untouched byte for byte, a broken DOCKER_HOST line commented out with a note, a symlinked file
// edited at its target, fish, a backup of the previous file, and an interrupted write leaving the
// old file whole.

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { chmod, lstat, readdir, readFile, readlink, stat, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { applyRcChange, BLOCK_END, BLOCK_START, editRcText, RcMarkerError } from '../../lib/provision/rcfile.js'
import { projectRoot, put, tempDir } from '../helpers.js'

const USER_LINES = '# my aliases\r\nalias ll="ls -l"\n\texport PATH="$HOME/bin:$PATH"  \n\n# end\n'
const now = new Date('2026-11-25T21:00:00.000Z')
const count = (text: string, needle: string) => text.split(needle).length - 1

test('three runs leave one block, and the user lines are byte-identical', async (t) => {
  const dir = await tempDir(t)
  const rc = await put(join(dir, '.bashrc'), USER_LINES)
  for (let i = 0; i < 3; i++) await applyRcChange(rc, { dockerHost: 'tcp://localhost:2375', shell: 'posix' }, now)
  const text = await readFile(rc, 'utf8')
  assert.equal(count(text, BLOCK_START), 1)
  assert.equal(count(text, BLOCK_END), 1)
  assert.ok(text.startsWith(USER_LINES), 'the lines before the block are exactly the user lines')
  assert.match(text, /^export DOCKER_HOST=tcp:\/\/localhost:2375$/m)
  // A changed value replaces the block in place; still one.
  await applyRcChange(rc, { dockerHost: 'tcp://127.0.0.1:2375', shell: 'posix' }, now)
  const again = await readFile(rc, 'utf8')
  assert.equal(count(again, BLOCK_START), 1)
  assert.doesNotMatch(again, /localhost:2375/)
})

test('a broken DOCKER_HOST line is commented out with a note; the rest stays', () => {
  const before = 'alias k=kubectl\nexport DOCKER_HOST = localhost : 2375\nexport EDITOR=vim\n'
  const after = editRcText(before, { dockerHost: null, shell: 'posix' })
  assert.equal(after, 'alias k=kubectl\n# shipshape: commented out the next line: this DOCKER_HOST line is broken (the shell cannot parse it).\n# export DOCKER_HOST = localhost : 2375\nexport EDITOR=vim\n')
  assert.equal(editRcText(after, { dockerHost: null, shell: 'posix' }), after, 'a second run changes nothing')
})

test('lines the check judged good are kept; only the bad ones are commented out', () => {
  const before = 'export DOCKER_HOST=ssh://me@build-box\nexport DOCKER_HOST = localhost : 2375\n'
  const after = editRcText(before, { dockerHost: null, shell: 'posix', keep: (line) => line.includes('ssh://') })
  assert.equal(after, 'export DOCKER_HOST=ssh://me@build-box\n# shipshape: commented out the next line: this DOCKER_HOST line is broken (the shell cannot parse it).\n# export DOCKER_HOST = localhost : 2375\n')
})

test('where DOCKER_HOST must be unset, its old lines are commented out and no block is written', () => {
  const after = editRcText('export DOCKER_HOST=tcp://localhost:2375\nDOCKER_HOST="unix:///x"\n', { dockerHost: null, shell: 'posix' })
  assert.equal(count(after, '# shipshape: commented out the next line: DOCKER_HOST must not be set here'), 2)
  assert.doesNotMatch(after, /^[^#].*DOCKER_HOST/m)
  assert.doesNotMatch(after, />>> shipshape/)
})

test('fish gets set -gx, and an old fish setting is commented out', async (t) => {
  const dir = await tempDir(t)
  const rc = await put(join(dir, '.config/fish/config.fish'), 'set -gx DOCKER_HOST tcp://old:2375\nfish_add_path ~/bin\n')
  await applyRcChange(rc, { dockerHost: 'tcp://localhost:2375', shell: 'fish' }, now)
  const text = await readFile(rc, 'utf8')
  assert.match(text, /^# set -gx DOCKER_HOST tcp:\/\/old:2375$/m)
  assert.match(text, /^fish_add_path ~\/bin$/m)
  assert.match(text, new RegExp(`${BLOCK_START}\\n.*\\nset -gx DOCKER_HOST tcp://localhost:2375\\n${BLOCK_END}\\n$`))
})

test('a symlinked rc file is edited at its target; the link and the mode stay; the old file is backed up', async (t) => {
  const dir = await tempDir(t)
  const target = await put(join(dir, 'dotfiles/bashrc'), USER_LINES)
  await chmod(target, 0o600)
  const link = join(dir, '.bashrc')
  await symlink(target, link)
  const r = await applyRcChange(link, { dockerHost: 'tcp://localhost:2375', shell: 'posix' }, now)
  assert.equal(r.file, target)
  assert.ok((await lstat(link)).isSymbolicLink())
  assert.equal(await readlink(link), target)
  assert.equal((await stat(target)).mode & 0o777, 0o600)
  assert.match(await readFile(target, 'utf8'), />>> shipshape >>>/)
  assert.equal(await readFile(r.backup!, 'utf8'), USER_LINES)
  // No change, no write and no new backup.
  const again = await applyRcChange(link, { dockerHost: 'tcp://localhost:2375', shell: 'posix' }, new Date('2026-11-26T00:00:00Z'))
  assert.equal(again.changed, false)
  assert.equal((await readdir(join(dir, 'dotfiles'))).filter((f) => f.endsWith('.bak')).length, 1)
})

test('a write interrupted between the temporary file and the rename leaves the old file', async (t) => {
  const dir = await tempDir(t)
  const rc = await put(join(dir, '.zshrc'), USER_LINES)
  await assert.rejects(
    applyRcChange(rc, { dockerHost: 'tcp://localhost:2375', shell: 'posix' }, now, {
      beforeRename: async (tmp) => {
        assert.match(await readFile(tmp, 'utf8'), />>> shipshape >>>/, 'the new text was fully written to the temporary file')
        throw new Error('interrupted')
      },
    }),
    /interrupted/,
  )
  assert.equal(await readFile(rc, 'utf8'), USER_LINES)
  const left = (await readdir(dir)).filter((f) => f !== '.zshrc')
  assert.ok(left.every((f) => f.endsWith('.bak')), `no temporary file left behind: ${left}`)
  for (const f of left) assert.equal(await readFile(join(dir, f), 'utf8'), USER_LINES, 'a backup made before the rename holds the old text')
})

test('a missing rc file is created with the block only', async (t) => {
  const dir = await tempDir(t)
  const rc = join(dir, '.bashrc')
  const r = await applyRcChange(rc, { dockerHost: 'tcp://localhost:2375', shell: 'posix' }, now)
  assert.equal(r.backup, null)
  assert.equal(count(await readFile(rc, 'utf8'), BLOCK_START), 1)
})

test('a process killed between the temporary file and the rename leaves the old file', async (t) => {
  const dir = await tempDir(t)
  const rc = await put(join(dir, '.bashrc'), USER_LINES)
  const module = join(projectRoot, 'dist/lib/provision/rcfile.js')
  const script = `const { applyRcChange } = await import(${JSON.stringify(module)});
await applyRcChange(process.argv[1], { dockerHost: 'tcp://localhost:2375', shell: 'posix' }, new Date(), {
  beforeRename: () => { process.stdout.write('between'); return new Promise(() => setInterval(() => {}, 1000)) },
})`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, rc], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child never reached the rename')), 20_000)
    child.stdout.once('data', () => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      resolve()
    })
  })
  await new Promise((resolve) => child.once('close', resolve))
  assert.equal(await readFile(rc, 'utf8'), USER_LINES)
})

test('a start marker with no end refuses with file:line and keeps every user line', async (t) => {
  const dir = await tempDir(t)
  const before = `# mine\n${BLOCK_START}\nexport DOCKER_HOST=tcp://old:2375\nalias ll="ls -l"\nexport PATH="$HOME/bin:$PATH"\n`
  const rc = await put(join(dir, '.bashrc'), before)
  await assert.rejects(applyRcChange(rc, { dockerHost: 'tcp://localhost:2375', shell: 'posix' }, now), (e: Error) => {
    assert.ok(e instanceof RcMarkerError)
    assert.ok(e.message.startsWith(`${rc}:2: `), e.message)
    assert.match(e.message, /no '# <<< shipshape <<<' below it/)
    assert.match(e.message, /nothing was changed/)
    return true
  })
  assert.equal(await readFile(rc, 'utf8'), before, 'the file is untouched')
  assert.deepEqual((await readdir(dir)).sort(), ['.bashrc'], 'no backup, no temporary file')
})

test('an end marker with no start, or a start inside a block, is refused naming its line', () => {
  const change = { dockerHost: null, shell: 'posix' as const }
  assert.throws(() => editRcText(`a\nb\n${BLOCK_END}\nc\n`, change, '/h/.zshrc'), /^RcMarkerError: \/h\/\.zshrc:3: '# <<< shipshape <<<' with no/)
  assert.throws(() => editRcText(`${BLOCK_START}\nx\n${BLOCK_START}\nmine\n${BLOCK_END}\n`, change, '/h/.zshrc'), /\/h\/\.zshrc:3: a second '# >>> shipshape >>>' before the end of the block opened at line 1/)
  // Two whole blocks are well formed: both are shipshape's, one is left.
  const two = editRcText(`${BLOCK_START}\nx\n${BLOCK_END}\nmine\n${BLOCK_START}\ny\n${BLOCK_END}\n`, { dockerHost: 'unix:///s', shell: 'posix' })
  assert.equal(count(two, BLOCK_START), 1)
  assert.match(two, /^mine$/m)
})

test('a CRLF rc file gets CRLF block lines and CRLF comment lines', () => {
  const text = 'alias ll="ls -l"\r\nexport DOCKER_HOST = localhost : 2375\r\n# end\r\n'
  const after = editRcText(text, { dockerHost: 'tcp://localhost:2375', shell: 'posix' })
  assert.equal(after.split('\n').slice(0, -1).filter((l) => !l.endsWith('\r')).length, 0, JSON.stringify(after))
  assert.ok(after.includes(`${BLOCK_START}\r\n`))
  assert.ok(after.startsWith('alias ll="ls -l"\r\n'))
})
