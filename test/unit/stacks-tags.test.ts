// The template tags on a small stack made for the test: what each tag puts in the output.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { loadStack } from '../../lib/stacks/catalog.js'
import { renderStack } from '../../lib/stacks/render.js'
import { resolveValues } from '../../lib/stacks/values.js'
import { put, tempDir } from '../helpers.js'
import { noSecrets } from '../stacks.js'

async function tiny(t: import('node:test').TestContext, compose: string) {
  const root = await tempDir(t)
  const dir = join(root, 'templates/tiny')
  await put(join(dir, 'stack.yaml'), `title: tiny
targets: [compose]
needs: {compose: []}
params:
  word: {type: string, default: hello, description: a word}
  extra: {type: string, description: optional}
  size: {type: quantity, default: 1Ki, description: a size}
files:
  compose: [compose.yaml]
`)
  await put(join(dir, 'compose.yaml'), compose)
  await put(join(dir, 'part.yaml'), 'inner: !param word\n')
  await put(join(dir, 'note.txt'), 'line one\n  line two: $x\n')
  return loadStack('tiny', root)
}

test('each tag fills its slot: !param, !fmt, !include, !file, and unset optional values drop out', async (t) => {
  const stack = await tiny(t, `# top
a: !param word
b: !fmt "<{word}>-{size}"
c: !include part.yaml
d: !file note.txt
e: !param extra
f: [!param word, !param extra, !include part.yaml]
g: !param size
`)
  const r = await renderStack(stack, 'compose', await resolveValues(stack, { cwd: '.' }), noSecrets())
  const text = r.files[0].text
  assert.match(text, /^# top$/m)
  assert.match(text, /^a: hello$/m)
  assert.match(text, /^b: <hello>-1Ki$/m)
  assert.match(text, /^c:\n {2}inner: hello$/m)
  assert.match(text, /^d: \|\n {2}line one\n {4}line two: \$x\n/m)
  assert.doesNotMatch(text, /^e:/m)
  assert.match(text, /^f: \[ hello, \{ inner: hello \} \]$/m)
  assert.match(text, /^g: 1024$/m, 'compose gets bytes')
})

test('a !param the stack does not declare is a template bug, not a silent blank', async (t) => {
  const stack = await tiny(t, 'a: !param nosuch\n')
  await assert.rejects(renderStack(stack, 'compose', await resolveValues(stack, { cwd: '.' }), noSecrets()), /!param nosuch is not a parameter of the stack/)
})
