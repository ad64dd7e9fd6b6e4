// The quoting module against the real parsers: every awkward value, quoted for sh, goes through
// dash, bash and sh and comes back byte for byte; quoted for fish, through fish; the systemd words
// read back by our reader of systemd's rules (systemd-analyze verify, in schedule-units, checks the
// unit as a whole). Control characters are refused for every target, naming what held them.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  cronCommand, cronUnescape, fishWord, refuseControl, shLine, shUnquoteWord, shWord, systemdEnvironment, systemdExecWord,
  systemdUnquoteWords, UnsafeValueError,
} from '../../lib/model/shell-quote.js'
import { need } from '../gate.js'
import { runProcess } from '../helpers.js'

const AWKWARD = [
  'plain', '', ' ', 'two words', "it's", '"dq"', 'back\\slash', '$HOME', '${HOME}', '`id`', '$(id)', '100%', '%h %%',
  '~/x', '~', '*', '?', '[a]', '{a,b}', 'a;b', 'a&b', 'a|b', '>x', '<x', '#x', 'a #b', '!', '-n', '--', '=', 'A=b',
  "\\'", '\\"', 'émoji ✓', '/mnt/c/Users/John Smith/.kube/config', '/opt/my tools:/usr/bin:/bin', "'", "''", '\\',
]

const printed = async (shell: string, script: string, args: string[] = []) => {
  const r = await runProcess(shell, ['-c', script, ...args], { env: { PATH: '/usr/bin:/bin' }, timeoutMs: 20_000 })
  assert.equal(r.code, 0, `${shell}: ${r.stderr}`)
  return r.stdout
}

test('sh words: dash, bash and sh read each value back exactly, as one argument', async () => {
  const script = `for a in ${AWKWARD.map((v) => shWord(v)).join(' ')}; do printf '%s\\0' "$a"; done`
  for (const shell of ['/bin/sh', '/bin/dash', '/bin/bash']) {
    assert.deepEqual((await printed(shell, script)).split('\0').slice(0, -1), AWKWARD, shell)
  }
})

test('sh: our reader of one word agrees with the shell on every quoted value', () => {
  for (const v of AWKWARD) assert.deepEqual(shUnquoteWord(`${shWord(v)} rest`), { value: v, rest: ' rest' }, v)
  assert.deepEqual(shUnquoteWord('"a\\"b\\$c\\d" x'), { value: 'a"b$c\\d', rest: ' x' })
  assert.equal(shUnquoteWord("'open"), null)
})

test('fish words: fish reads each value back exactly', async (t) => {
  if (!(await need(t, 'fish'))) return
  const script = `for a in ${AWKWARD.map((v) => fishWord(v)).join(' ')}; command printf '%s\\0' "$a"; end`
  assert.deepEqual((await printed('fish', script)).split('\0').slice(0, -1), AWKWARD)
})

test('systemd: ExecStart= and Environment= words unquote to the value; $ doubled only where systemd expands it', () => {
  for (const v of AWKWARD) {
    assert.deepEqual(systemdUnquoteWords(systemdExecWord(v), true), [v], v)
    assert.deepEqual(systemdUnquoteWords(systemdEnvironment('KUBECONFIG', v), false), [`KUBECONFIG=${v}`], v)
  }
  assert.equal(systemdExecWord('$HOME 50%'), '"$$HOME 50%%"')
  assert.equal(systemdEnvironment('PATH', '/a$b:/c d'), '"PATH=/a$b:/c d"')
})

test('crontab: % escaped for cron; what sh gets after cron unescapes it is the argv', async () => {
  const argv = ['/bin/printf', '%s\\0', ...AWKWARD]
  const command = cronCommand({}, argv, '')
  assert.doesNotMatch(command.replace(/\\%/g, ''), /%/)
  assert.deepEqual((await printed('/bin/sh', cronUnescape(command))).split('\0').slice(0, -1), AWKWARD)
})

test('a control character is refused for every target, naming the variable or argument', () => {
  const values = ['a\nExecStartPre=/bin/touch /tmp/PWNED', 'a\rb', 'tab\there', 'esc\x1b[31m', 'nul\x00', 'del\x7f']
  for (const v of values) {
    const named = (name: string) => (e: unknown) => e instanceof UnsafeValueError && e.message.startsWith(`${name} holds a newline or control character`) && e.exitCode === 2
    assert.throws(() => systemdEnvironment('KUBECONFIG', v), named('KUBECONFIG'))
    assert.throws(() => systemdExecWord(v, '--config'), named('--config'))
    assert.throws(() => shWord(v, 'DOCKER_HOST'), named('DOCKER_HOST'))
    assert.throws(() => fishWord(v, 'the folder'), named('the folder'))
    assert.throws(() => cronCommand({ KUBECONFIG: v }, ['/bin/true'], ''), named('KUBECONFIG'))
    assert.throws(() => shLine(['/bin/echo', v]), UnsafeValueError)
    assert.throws(() => refuseControl('X', v), named('X'))
  }
  assert.throws(() => systemdEnvironment('A B', 'x'), UnsafeValueError)
})
