// `shipshape checklist` as a new hire runs it: printed, written to a file, and re-run over that file
// after they added notes: the generated block is replaced, the notes stay, the old file is kept as .bak.

import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { marked, type Tokens } from 'marked'
import { mergeChecklist } from '../../lib/checklist-file.js'
import { BEGIN_MARKER, END_MARKER } from '../../lib/report/markdown.js'
import { cleanEnv, put, runCli, tempDir } from '../helpers.js'

test('checklist --output writes the file; a re-run updates the block and keeps the notes below it', async (t) => {
  const dir = await tempDir(t)
  await put(join(dir, 'shipshape.yaml'), 'stacks:\n  mongodb: {}\n')
  const first = await runCli(['checklist', '--output', 'ONBOARDING.md', '--title', 'Alice laptop', '--only', 'platform'], { cwd: dir, env: cleanEnv(), timeoutMs: 30_000 })
  assert.equal(first.code, 0, first.stderr)
  assert.match(first.stdout, /Wrote ONBOARDING.md/)
  const file = join(dir, 'ONBOARDING.md')
  const written = await readFile(file, 'utf8')
  const tokens = marked.lexer(written)
  assert.equal((tokens.find((t) => t.type === 'heading') as Tokens.Heading).text, 'Alice laptop')
  const tasks = tokens.filter((t): t is Tokens.List => t.type === 'list').flatMap((l) => l.items.filter((i) => i.task))
  assert.match(tasks[0].text, /\*\*Platform\*\*/)
  assert.ok(tasks.some((i) => /\*\*mongodb\*\*: needs `docker-daemon` \(not checked\)/.test(i.text)), written)

  const notes = '\n## My notes\n\n- asked IT for admin rights on Tuesday\n'
  await writeFile(file, written.replace('# Alice laptop', '# Alice laptop (stale)') + notes)
  const second = await runCli(['checklist', '--output', 'ONBOARDING.md', '--title', 'Alice laptop', '--only', 'platform'], { cwd: dir, env: cleanEnv(), timeoutMs: 30_000 })
  assert.equal(second.code, 0, second.stderr)
  assert.match(second.stdout, /Updated ONBOARDING.md.*ONBOARDING.md.bak/)
  const updated = await readFile(file, 'utf8')
  assert.ok(updated.endsWith(notes), 'the notes are kept, once')
  assert.equal(updated.split(BEGIN_MARKER).length, 2, 'one generated block')
  assert.doesNotMatch(updated, /stale/)
  assert.match(await readFile(`${file}.bak`, 'utf8'), /stale/)
})

test('a checklist file without markers keeps all of its text below the new block', () => {
  const block = `${BEGIN_MARKER}\n# New\n${END_MARKER}\n`
  assert.equal(mergeChecklist('my own todo list\n', block), `${block}\nmy own todo list\n`)
  assert.equal(mergeChecklist(null, block), block)
  assert.equal(mergeChecklist(`intro\n${BEGIN_MARKER}\n# Old\n${END_MARKER}\nnotes\n`, block), `intro\n${block}notes\n`)
})

test('checklist prints Markdown to stdout without --output, and bad input is exit 2', async (t) => {
  const dir = await tempDir(t)
  const r = await runCli(['checklist', '--only', 'platform'], { cwd: dir, env: cleanEnv(), timeoutMs: 30_000 })
  assert.equal(r.code, 0)
  assert.ok(r.stdout.startsWith(BEGIN_MARKER))
  const bad = await runCli(['checklist', '--only', 'nope'], { cwd: dir, env: cleanEnv(), timeoutMs: 30_000 })
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /unknown check id 'nope'/)
})
