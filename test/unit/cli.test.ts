// The `shipshape` executable's own checks, before any command runs.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { unsupportedNode } from '../../scripts/cli.js'

test("a node older than package.json's engines is refused at start, saying which it is and what installs one", () => {
  for (const old of ['18.19.1', '20.11.0', '20.17.0']) assert.equal(unsupportedNode(old), `needs Node.js 20.18 or later, and this is ${old}: ./setup.sh installs one`)
  for (const ok of ['20.18.1', '20.20.2', '22.23.5', '24.22.3', '26.0.0']) assert.equal(unsupportedNode(ok), null, ok)
  assert.equal(unsupportedNode(process.versions.node), null, 'the node running the tests')
})
