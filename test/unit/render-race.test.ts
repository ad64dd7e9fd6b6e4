// Two renders that both found no .env (so each made its own passwords) and both planned to write it:
// only the first to put it in place succeeds; the second is refused and changes nothing, so no render
// reports a password that the folder does not hold.

import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { UsageError } from '../../lib/errors.js'
import { planOutputs, writeOutputs } from '../../lib/stacks/output.js'
import type { OutputFile } from '../../lib/stacks/render.js'
import { tempDir } from '../helpers.js'

const files = (password: string): OutputFile[] => [
  { path: 'compose.yaml', text: 'services: {}\n', mode: 0o644, secret: false },
  { path: '.env', text: `MONGO_PASSWORD=${password}\n`, mode: 0o600, secret: true },
]

test('of two renders planned into the same new folder, the second to write its secrets is refused', async (t) => {
  const out = join(await tempDir(t), 'out')
  const [a, b] = [files('first'), files('second')]
  const [planA, planB] = [await planOutputs(out, a, false), await planOutputs(out, b, false)]
  await writeOutputs(out, a, false, planA)
  await assert.rejects(writeOutputs(out, b, false, planB), (e: unknown) => e instanceof UsageError && /\.env was created by another run/.test(e.message))
  assert.equal(await readFile(join(out, '.env'), 'utf8'), 'MONGO_PASSWORD=first\n')
})
