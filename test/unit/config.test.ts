// shipshape.yaml: every mistake is named with file:line:column; a good file is read as written.

import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { loadConfig, parseConfig } from '../../lib/config.js'
import { UsageError } from '../../lib/errors.js'
import { tempDir } from '../helpers.js'

async function usageError(text: string): Promise<string> {
  try {
    await parseConfig(text, 'team/shipshape.yaml')
  } catch (e) {
    assert.ok(e instanceof UsageError, `expected a UsageError, got ${e}`)
    return e.message
  }
  assert.fail('the config was accepted')
}

test('a valid config is read with its settings', async () => {
  const c = await parseConfig(
    ['timeoutMs: 5000', 'checks:', '  minikube:', '    required: false', '  docker-daemon: {timeoutMs: 8000}', 'versions:', '  kubectl: ">=1.31"', 'stacks:', '  elasticsearch:', '    version: 8.15.3', '  mongodb:', 'sources:', '  docker-apt: https://mirror.example.test/docker'].join('\n'),
    'shipshape.yaml',
  )
  assert.equal(c.data.timeoutMs, 5000)
  assert.deepEqual(c.data.checks, { minikube: { required: false }, 'docker-daemon': { timeoutMs: 8000 } })
  assert.equal(c.data.versions.kubectl, '>=1.31')
  assert.deepEqual(c.data.stacks, { elasticsearch: { version: '8.15.3' }, mongodb: {} })
  assert.equal(c.where(['checks', 'minikube', 'required']), 'shipshape.yaml:4:15')
})

test('invalid YAML names the line and column', async () => {
  const msg = await usageError('checks:\n  minikube: {required: false\nversions: {}\n')
  assert.match(msg, /^team\/shipshape\.yaml:\d+:\d+: invalid YAML/)
})

test('an unknown field points at the key', async () => {
  const msg = await usageError('checks:\n  minikube:\n    requird: false\n')
  assert.match(msg, /^team\/shipshape\.yaml:3:5: unknown field 'requird'\. Did you mean 'required'\?/)
})

test('a value of the wrong type points at the value', async () => {
  const msg = await usageError('timeoutMs: 5000\nchecks:\n  kubectl:\n    timeoutMs: soon\n')
  assert.match(msg, /^team\/shipshape\.yaml:4:16: checks\.kubectl\.timeoutMs: /)
})

test('a version floor that is not a semver range is refused', async () => {
  const msg = await usageError('versions:\n  docker: "twenty"\n')
  assert.match(msg, /^team\/shipshape\.yaml:2:11: versions\.docker: 'twenty' is not a semver range/)
})

test('a missing ./shipshape.yaml means defaults; a missing --config file is an error', async (t) => {
  const dir = await tempDir(t)
  const c = await loadConfig(dir)
  assert.equal(c.file, null)
  await assert.rejects(loadConfig(dir, 'nope.yaml'), (e: unknown) => e instanceof UsageError && e.message.includes(join(dir, 'nope.yaml')))
})

test('network: offline and registries (host[:port] or an https URL) are read; anything else is refused where it stands', async () => {
  const c = await parseConfig('network:\n  offline: true\n  registries: [registry.example.com, "localhost:5000", "[::1]:5000", "https://mirror.example.com/v2"]\n', 'shipshape.yaml')
  assert.deepEqual(c.data.network, { offline: true, registries: ['registry.example.com', 'localhost:5000', '[::1]:5000', 'https://mirror.example.com/v2'] })
  assert.deepEqual((await parseConfig('timeoutMs: 4000\n', 'shipshape.yaml')).data.network, { offline: undefined, registries: [] })
  for (const [bad, col] of [['http://plain.example.com', 16], ['host:99999', 16], ['a b', 16]] as const) {
    const msg = await usageError(`network:\n  registries: [${JSON.stringify(bad)}]\n`)
    assert.match(msg, new RegExp(`^team/shipshape\\.yaml:2:${col}: network\\.registries\\.0: expected host\\[:port\\]`), bad)
  }
  assert.match(await usageError('network:\n  offline: "yes please"\n'), /^team\/shipshape\.yaml:2:12: network\.offline: /)
})

test('stacks: values are typed as render types them, and out-of-range ports are refused at load', async () => {
  const c = await parseConfig('stacks:\n  mongodb: {port: "27018"}\n  echo:\n', 'shipshape.yaml')
  assert.deepEqual(c.data.stacks, { mongodb: { port: 27018 }, echo: {} })
  for (const port of ['0', '99999', '"abc"', '-1']) assert.match(await usageError(`stacks:\n  mongodb:\n    port: ${port}\n`), /^team\/shipshape\.yaml:3:11: stacks\.mongodb\.port: parameter 'port': expected /)
})

// How the time grows with the number of keys is measured by `npm run bench` (bench/config-keys.ts), not here.
test('a duplicate key is named at its line, also among 100k keys', async () => {
  assert.equal(await usageError('checks:\n  kubectl: {}\n  minikube: {}\n  kubectl: {}\n'), "team/shipshape.yaml:4:3: duplicate key 'kubectl' (each key may appear once in a mapping)")
  // Under 1 MB: short keys in flow style (yaml's quadratic check took over a minute for 80k).
  const keys = Array.from({ length: 100_000 }, (_, i) => `k${i.toString(36)}: 1`)
  const msg = await usageError(`stacks:\n  mongodb: {${keys.join(',')},zz: 2,kab: 3}\n`)
  assert.match(msg, /^team\/shipshape\.yaml:2:\d+: duplicate key 'kab'/)
})

test('an alias bomb is exit 2 at file:line:column, not an exhausted heap', async () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`), 'stacks:', '  mongodb: {version: *i}'].join('\n')
  const msg = await usageError(bomb)
  assert.match(msg, /^team\/shipshape\.yaml:2:\d+: aliases expand to too much data/)
})

test('a config over 1 MB is refused before parsing; a 50 MB value is never echoed whole', async (t) => {
  const dir = await tempDir(t)
  const { writeFile } = await import('node:fs/promises')
  const big = join(dir, 'big.yaml')
  await writeFile(big, `versions:\n  docker: "${'9'.repeat(50 * 1024 * 1024)}"\n`)
  await assert.rejects(loadConfig(dir, big), (e: Error) => e instanceof UsageError && e.message.length < 300 && /more than the 1048576 bytes/.test(e.message))
  const msg = await usageError(`versions:\n  docker: "${'x'.repeat(500_000)}"\n`)
  assert.ok(msg.length < 300, `${msg.length} characters`)
  assert.match(msg, /^team\/shipshape\.yaml:2:11: versions\.docker: 'xxx.*… \(500000 characters\)' is not a semver range/)
})

test('a config that is a FIFO is refused by name without waiting for a writer', async (t) => {
  const dir = await tempDir(t)
  const fifo = join(dir, 'shipshape.yaml')
  const { execFileSync } = await import('node:child_process')
  execFileSync('mkfifo', [fifo])
  await assert.rejects(loadConfig(dir), (e: Error) => e instanceof UsageError && e.message === `${fifo}: not a regular file (a named pipe); shipshape reads only plain files`)
})

test('a __proto__ key under checks: or stacks.x: is refused at its line, not silently dropped', async () => {
  assert.match(await usageError('checks:\n  __proto__:\n    required: false\n'), /^team\/shipshape\.yaml:2:3: the key '__proto__' is not allowed/)
  assert.match(await usageError('stacks:\n  mongodb:\n    __proto__: {port: 1}\n'), /^team\/shipshape\.yaml:3:5: the key '__proto__' is not allowed/)
})
