// Versions as a reader of the guides types them, through the real CLI: x.y renders the newest patch
// the table knows and says so; an x.y Elastic never published is refused naming the minors near it;
// an x.y.z newer than the table is taken; an unquoted YAML number is refused as written, with the
// quoted form; no message shows a regular expression.

import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { cleanEnv, put, runCli, tempDir } from '../helpers.js'

const render = (cwd: string, ...args: string[]) => runCli(['render', ...args, '--out', '-', '--show-secrets'], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 30_000 })

test('elasticsearch version=7.0 renders 7.0.1 and says which; 7.18 is refused naming 7.17 and 8.0; 8.19.99 is taken', async (t) => {
  const cwd = await tempDir(t)
  const minor = await render(cwd, 'elasticsearch', '--set', 'version=7.0')
  assert.equal(minor.code, 0, minor.stderr)
  assert.match(minor.stdout, /docker\.elastic\.co\/elasticsearch\/elasticsearch:7\.0\.1\b/)
  assert.match(minor.stderr, /Elasticsearch 7\.0 renders 7\.0\.1, the newest 7\.0 patch shipshape knows \(published: 7\.0\.0, 7\.0\.1\)/)
  const unknown = await render(cwd, 'elasticsearch', '--set', 'version=7.18')
  assert.equal(unknown.code, 2)
  assert.match(unknown.stderr, /Elasticsearch 7\.18 is not a release shipshape knows; near it: 7\.17 \(7\.17\.0 … 7\.17\.\d+\), 8\.0 \(8\.0\.0, 8\.0\.1\)/)
  const newer = await render(cwd, 'elasticsearch', '--set', 'version=8.19.99')
  assert.equal(newer.code, 0, newer.stderr)
  assert.match(newer.stdout, /elasticsearch:8\.19\.99\b/)
  const bad = await render(cwd, 'elasticsearch', '--set', 'version=eight')
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /expected a version: major\.minor or major\.minor\.patch/)
  assert.doesNotMatch(bad.stderr + unknown.stderr, /\\d|\^|\$'/, 'no regular expression in a message')
})

test('mongodb takes x.y as the tag the image publishes', async (t) => {
  const cwd = await tempDir(t)
  const r = await render(cwd, 'mongodb', '--set', 'version=7.0')
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /image: mongo:7\.0\n/)
})

test('an unquoted YAML number is refused as written, with the quoted form, in a values file and in shipshape.yaml', async (t) => {
  const cwd = await tempDir(t)
  await put(join(cwd, 'v.yaml'), 'version: 8.10\n')
  const file = await render(cwd, 'elasticsearch', '--values', 'v.yaml')
  assert.equal(file.code, 2)
  assert.match(file.stderr, /v\.yaml:1:\d+: parameter 'version': YAML reads 8\.10 as the number 8\.1, not a version; quote it: version: "8\.10"/)
  await put(join(cwd, 'shipshape.yaml'), 'stacks:\n  mongodb:\n    version: 7.0\n')
  const config = await runCli(['doctor', '--only', 'platform'], { cwd, env: cleanEnv({ HOME: cwd }) })
  assert.equal(config.code, 2)
  assert.match(config.stderr, /shipshape\.yaml:3:14: stacks\.mongodb\.version: .*YAML reads 7\.0 as the number 7, not a version; quote it: version: "7\.0"/)
})

test('render again with other values writes the new files (a .bak kept); a file edited by hand since is refused by file and line', async (t) => {
  const cwd = await tempDir(t)
  const env = cleanEnv({ HOME: cwd })
  const dir = join(cwd, 'shipshape/echo/compose')
  assert.equal((await runCli(['render', 'echo'], { cwd, env })).code, 0)
  const again = await runCli(['render', 'echo', '--set', 'port=8081'], { cwd, env })
  assert.equal(again.code, 0, again.stderr)
  assert.match(again.stdout, /^wrote shipshape\/echo\/compose\/compose\.yaml$/m)
  assert.match(again.stdout, /^backup shipshape\/echo\/compose\/compose\.yaml\.bak$/m)
  assert.match(await readFile(join(dir, 'compose.yaml'), 'utf8'), /8081/)
  const record = JSON.parse(await readFile(join(dir, '.shipshape-rendered.json'), 'utf8'))
  assert.deepEqual(Object.keys(record).sort(), ['compose.yaml', 'default.conf.template'])

  // A hand edit on one line: the next render with other values names that file and line, and writes nothing.
  const lines = (await readFile(join(dir, 'compose.yaml'), 'utf8')).split('\n')
  const at = lines.findIndex((l) => l.includes('8081'))
  lines[at] = lines[at].replace('8081', '8090')
  await writeFile(join(dir, 'compose.yaml'), lines.join('\n'))
  const refused = await runCli(['render', 'echo', '--set', 'port=8082'], { cwd, env })
  assert.equal(refused.code, 2)
  assert.match(refused.stderr, new RegExp(`compose\\.yaml:${at + 1}: edited by hand since the last render; nothing was written`))
  assert.match(await readFile(join(dir, 'compose.yaml'), 'utf8'), /8090/)
  const forced = await runCli(['render', 'echo', '--set', 'port=8082', '--force'], { cwd, env })
  assert.equal(forced.code, 0, forced.stderr)
})
