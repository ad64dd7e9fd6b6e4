// One description of a step, shown the same everywhere: every format prints every step of a fix, one
// line each in plan order, a step shipshape performs itself as its shell equivalent (or the
// `shipshape setup --only` line), and root got the way this machine can (nothing, sudo, su -c).

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parse as parseYaml } from 'yaml'
import { render, type Format } from '../../lib/report/index.js'
import type { Check, Report } from '../../lib/types.js'
import { makeContext } from '../helpers.js'
import { as } from '../privilege.js'
import { reportOf } from '../sample-report.js'

const thing: Check = {
  id: 'thing',
  title: 'Thing',
  required: true,
  run: async () => ({
    status: 'fail',
    summary: 'not set',
    fix: {
      steps: [
        { id: 'now', title: 'Set it now', argv: ['sysctl', '-w', 'a=1'], sudo: true },
        { id: 'boot', title: 'Keep it', argv: [], sudo: true, perform: async () => {}, shell: [{ argv: ['printf', '%s\\n', 'a = 1'] }, { argv: ['tee', '/etc/x.conf'], sudo: true, pipe: true }] },
        { id: 'rc', title: 'Edit your rc file', argv: [], sudo: false, perform: async () => {} },
      ],
      manual: 'Open a new terminal.',
    },
  }),
}

const EXPECTED = {
  'user-with-sudo': ['sudo sysctl -w a=1', "printf '%s\\n' 'a = 1' | sudo tee /etc/x.conf", 'shipshape setup --only thing'],
  root: ['sysctl -w a=1', "printf '%s\\n' 'a = 1' | tee /etc/x.conf", 'shipshape setup --only thing'],
  'user-without-sudo': ["su -c 'sysctl -w a=1'", `su -c 'printf '\\''%s\\n'\\'' '\\''a = 1'\\'' | tee /etc/x.conf'`, 'shipshape setup --only thing'],
} as const

const unxml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')

/** The fix lines of check `thing` as each format prints them, in order. */
function fixLinesIn(format: Format, text: string): string[] {
  switch (format) {
    case 'human': {
      const lines = text.split('\n')
      const at = lines.findIndex((l) => l.includes('Thing:'))
      const out: string[] = []
      for (const l of lines.slice(at + 1)) {
        if (!/^ {4}(fix: | {5})/.test(l)) break
        out.push(l.replace(/^ {4}(fix: | {5})/, ''))
      }
      return out
    }
    case 'json': {
      const f = (JSON.parse(text) as { checks: { id: string; fix: { steps: { command: string }[]; manual?: string } }[] }).checks.find((c) => c.id === 'thing')!
      return [...f.fix.steps.map((s) => s.command), ...(f.fix.manual ? f.fix.manual.split('\n') : [])]
    }
    case 'junit': {
      const body = /name="thing"[\s\S]*?<failure[^>]*>([\s\S]*?)<\/failure>/.exec(text)![1]
      return unxml(body).split('\n').filter((l) => l.startsWith('fix: ')).map((l) => l.slice(5))
    }
    case 'tap': {
      const block = /- thing: [^\n]*\n {2}---\n([\s\S]*?)\n {2}\.\.\./.exec(text)![1]
      return (parseYaml(block.replace(/^ {2}/gm, '')) as { fix: string[] }).fix
    }
    case 'markdown': {
      const lines = text.split('\n')
      const at = lines.findIndex((l) => l.includes('**Thing**'))
      const out: string[] = []
      for (const l of lines.slice(at + 1)) {
        const run = /^ {2}- Run: `(.*)`$/.exec(l)
        const then = /^ {2}- Then: (.*)$/.exec(l)
        if (run) out.push(run[1])
        else if (then) out.push(then[1])
        else break
      }
      return out
    }
    default:
      throw new Error(format)
  }
}

for (const who of ['user-with-sudo', 'root', 'user-without-sudo'] as const) {
  test(`${who}: every format shows every step, one line each in plan order, the same line`, async () => {
    const report: Report = await reportOf([thing], makeContext(as(who)))
    for (const format of ['human', 'json', 'junit', 'tap', 'markdown'] as const) {
      const text = await render(format, report, { verbose: false, color: false })
      assert.deepEqual(fixLinesIn(format, text), [...EXPECTED[who], 'Open a new terminal.'], `${format}:\n${text}`)
      // JSON's `"sudo": true` says the step needs root (a contract field), not a command to type.
      if (who !== 'user-with-sudo') assert.doesNotMatch(text.replace(/"sudo": (true|false)/g, ''), /\bsudo\b/, `${format} says sudo where it cannot run`)
    }
  })
}

test('the human report carries the tool version in its header', async () => {
  const report = await reportOf([thing], makeContext(as('root')))
  const text = await render('human', report, { verbose: false, color: false })
  assert.match(text.split('\n')[0], /^shipshape 0\.1\.0 doctor · /)
})
