// doctor's usual command lines are read without commander (lib/options.ts): for every line, what
// it reads must be what commander reads, and a line it cannot read must reach commander, whose
// messages and help users see.

import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import { parseArgs } from '../../lib/command.js'
import { quickParse } from '../../lib/options.js'
import { UsageError } from '../../lib/errors.js'
import type { Io } from '../../lib/io.js'
import { DOCTOR_OPTIONS, doctorCommand, doctorOptions } from '../../scripts/doctor.js'

const io = (): Io => ({ stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: process.cwd() })

async function byCommander(argv: string[]): Promise<Record<string, unknown>> {
  const cmd = await doctorCommand(io())
  parseArgs(cmd, argv)
  return { ...cmd.opts() }
}

test('doctor: the usual lines read the same without commander as with it', async () => {
  const lines = [
    [],
    ['--format', 'json', '--offline'],
    ['--format=tap'],
    ['--only', 'docker-daemon,kubectl', '--only', 'ports', '--skip', 'clock'],
    ['--timeout', '10000', '--timeout=500'],
    ['--no-cache', '--verbose', '--strict', '--config', 'team.yaml'],
    ['--fix', '--yes', '--format', 'human', '--format', 'json'],
  ]
  for (const argv of lines) {
    const quick = quickParse(argv, DOCTOR_OPTIONS)
    assert.notEqual(quick, null, argv.join(' '))
    assert.deepEqual(quick, await byCommander(argv), argv.join(' '))
  }
})

test('doctor: help, typos and refused values go to commander, which says what is wrong', async () => {
  for (const argv of [['--help'], ['-h'], ['--fomat', 'json'], ['--format', 'xml'], ['--timeout', '0'], ['stray'], ['--verbose=yes'], ['--format']]) {
    assert.equal(quickParse(argv, DOCTOR_OPTIONS), null, argv.join(' '))
  }
  await assert.rejects(doctorOptions(['--timeout', '0'], io()), (e: Error) => e instanceof UsageError && /option '--timeout <ms>' argument '0' is invalid\. '0' is not a positive whole number of milliseconds\./.test(e.message))
  await assert.rejects(doctorOptions(['--fomat', 'json'], io()), (e: Error) => e instanceof UsageError && /unknown option '--fomat'\. Did you mean '--format'\?/.test(e.message))
  await assert.rejects(doctorOptions(['--format', 'xml'], io()), (e: Error) => e instanceof UsageError && /argument 'xml' is invalid\. Allowed choices are human, json/.test(e.message))
})
