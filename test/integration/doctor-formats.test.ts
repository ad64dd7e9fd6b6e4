// `shipshape doctor --format junit|tap|prometheus|markdown` as a CI job runs it: stdout holds the
// document and nothing else, and it parses with the format's own parser.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { marked, type Tokens } from 'marked'
import { Parser as TapParser, type FinalResults } from 'tap-parser'
import { parsePrometheusText } from '../prometheus-text.js'
import { cleanEnv, runCli, tempDir } from '../helpers.js'

const doctor = async (format: string, cwd: string) => {
  const r = await runCli(['doctor', '--format', format, '--only', 'platform'], { cwd, env: cleanEnv({ CI: 'true' }), timeoutMs: 30_000 })
  assert.equal(r.code, 0, r.stderr)
  assert.equal(r.stderr, '')
  return r.stdout
}

test('every machine format from the real CLI parses with a real parser', async (t) => {
  const dir = await tempDir(t)
  const xml = await doctor('junit', dir)
  assert.equal(XMLValidator.validate(xml), true)
  assert.equal(new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites.testsuite.testcase.name, 'platform')

  const tap = await doctor('tap', dir)
  const result = await new Promise<FinalResults>((resolve) => new TapParser(resolve).end(tap))
  assert.deepEqual([result.ok, result.count, result.pass], [true, 1, 1])

  const families = parsePrometheusText(await doctor('prometheus', dir))
  assert.equal(families.get('shipshape_check_status')!.samples.find((s) => s.value === 1)?.labels.status, 'ok')

  const md = marked.lexer(await doctor('markdown', dir))
  const task = md.filter((x): x is Tokens.List => x.type === 'list').flatMap((l) => l.items).find((i) => i.task)
  assert.equal(task?.checked, true)
})
