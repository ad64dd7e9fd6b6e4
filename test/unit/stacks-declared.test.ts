// doctor and the checklist read a stack's ports and prerequisites from its own stack.yaml, with the
// team's values, so changing a template or shipshape.yaml changes what is checked.

import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { test } from 'node:test'
import { ports } from '../../checks/ports.js'
import { emptyConfig } from '../../lib/config.js'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { INDEX_FILE, hostPorts, stackNeeds, writeIndex } from '../../lib/stacks/declared.js'
import { makeContext, put, tempDir } from '../helpers.js'

test('with no stack configured, every shipped stack\'s default host ports are checked', async () => {
  const all = await hostPorts({})
  assert.deepEqual(all.map((p) => p.port).sort((a, b) => a - b), [5601, 8080, 9200, 27017])
  assert.ok(all.some((p) => p.stack === 'elasticsearch' && p.what === 'elasticsearch kibana' && p.port === 5601))
})

test('a team\'s values move the ports checked; stacks not in use are not checked', async () => {
  assert.deepEqual(await hostPorts({ mongodb: { port: 27018 } }), [{ stack: 'mongodb', port: 27018, what: 'mongodb mongodb', param: 'port' }])
  assert.deepEqual(await hostPorts({ postgres: {} }), [], 'an unknown stack publishes nothing we know of')
})

test('the ports check fails on a port a stack in use needs and something else holds', async (t) => {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  t.after(() => server.close())
  const port = (server.address() as { port: number }).port
  const config = emptyConfig()
  config.data.stacks.echo = { port }
  const outcome = await ports.run(makeContext({ config, env: { PATH: '' } }))
  assert.equal(outcome.status, 'fail')
  assert.equal(outcome.required, true)
  assert.match(outcome.summary, new RegExp(`^${port} \\(echo nginx\\) is taken by a process outside Docker`))
})

test('a stack\'s prerequisites come from its stack.yaml, for a laptop and a cluster', async () => {
  const [es, unknown] = await stackNeeds(['elasticsearch', 'nosuchstack'])
  assert.deepEqual(es, { name: 'elasticsearch', known: true, needs: ['docker-daemon', 'docker-compose', 'ports', 'max-map-count', 'registries', 'proxy', 'clock', 'kubectl', 'kube-context'] })
  assert.deepEqual(unknown, { name: 'nosuchstack', known: false, needs: [] })
})

test('the build\'s JSON index serves while stack.yaml is unchanged; an edited stack.yaml is read again', async (t) => {
  const root = await tempDir(t)
  const file = join(root, 'templates/web/stack.yaml')
  const declaration = (port: number) => `title: web\nneeds: {compose: [ports]}\nparams:\n  port: {type: port, default: ${port}, description: "port"}\nports:\n  - {param: port, service: web, url: "http://127.0.0.1:{port}/"}\n`
  await put(file, declaration(8000))
  await writeIndex(root)
  const index = JSON.parse(await readFile(join(root, INDEX_FILE), 'utf8'))
  assert.equal(index.web.stack.params.port.default, 8000)
  // Prove the index is what is read: doctor sees what it says while the file is unchanged.
  index.web.stack.params.port.default = 8001
  await writeFile(join(root, INDEX_FILE), JSON.stringify(index))
  assert.deepEqual((await hostPorts({}, root)).map((p) => p.port), [8001])
  await put(file, declaration(18000))
  assert.deepEqual((await hostPorts({ web: {} }, root)).map((p) => p.port), [18000], 'an edited template wins over a stale index')
})
