// The probe hands `input` to a child's stdin and closes it, the empty input too; a child that exits
// without reading it must not crash us.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createProbe } from '../../lib/probe.js'

test('a command that ignores its input is judged by its exit code, not an EPIPE crash', async () => {
  const probe = createProbe({ env: process.env })
  for (const argv of [['true'], ['false']]) {
    const r = await probe(argv, { input: 'x'.repeat(4 << 20), timeoutMs: 10_000 })
    assert.equal(r.code, argv[0] === 'true' ? 0 : 1)
  }
  const echoed = await probe(['cat'], { input: 'kept\n' })
  assert.equal(echoed.stdout, 'kept\n')
})

test('an empty input is an empty stdin that ends, not one left open for the child to wait on', async () => {
  const probe = createProbe({ env: process.env })
  // cat copies stdin until it ends: were stdin left open, only the bound would stop it.
  const r = await probe(['cat'], { input: '', timeoutMs: 10_000 })
  assert.deepEqual([r.code, r.timedOut, r.stdout], [0, false, ''])
})
