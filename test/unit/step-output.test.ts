// The executor streams a step's output line by line and speaks up when a step goes quiet.

import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { executePlan } from '../../lib/provision/plan.js'
import { makeContext, tempDir } from '../helpers.js'

test('each line reaches onOutput as it comes, halves of a line joined; a quiet step says it is still running', async (t) => {
  const dir = await tempDir(t)
  const logFile = join(dir, 'setup.log')
  const lines: string[] = []
  const quiet: string[] = []
  const step = { id: 'quiet', title: 'Quiet', sudo: false, argv: ['sh', '-c', 'printf "one\\ntw"; sleep 1; printf "o\\n"; echo three >&2'] }
  const [r] = await executePlan(makeContext(), { steps: [step], satisfied: [], skipped: [], manual: [] }, {
    logFile,
    quietMs: 300,
    onOutput: (_s, line) => lines.push(line),
    onQuiet: (_s, message) => quiet.push(message),
  })
  assert.equal(r.status, 'ok')
  assert.deepEqual(lines, ['one', 'two', 'three'])
  assert.match(quiet[0], /^still running \(\d+ s\), no output for 0 s$/)
  const log = await readFile(logFile, 'utf8')
  assert.match(log, /one\n\(still running[^\n]*\)\n(\(still running[^\n]*\)\n)*two\nthree\n== quiet: ok/)
})
