// doctor's options (plain objects in lib/options.ts, declared to commander): what a mistake says.

import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { test } from 'node:test'
import { UsageError } from '../../lib/errors.js'
import type { Io } from '../../lib/io.js'
import { doctorOptions } from '../../scripts/doctor.js'

const io = (): Io => ({ stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: process.cwd() })

test('doctor: typos and refused values say what is wrong', async () => {
  await assert.rejects(doctorOptions(['--timeout', '0'], io()), (e: Error) => e instanceof UsageError && /option '--timeout <ms>' argument '0' is invalid\. '0' is not a positive whole number of milliseconds\./.test(e.message))
  await assert.rejects(doctorOptions(['--fomat', 'json'], io()), (e: Error) => e instanceof UsageError && /unknown option '--fomat'\. Did you mean '--format'\?/.test(e.message))
  await assert.rejects(doctorOptions(['--format', 'xml'], io()), (e: Error) => e instanceof UsageError && /argument 'xml' is invalid\. Allowed choices are human, json/.test(e.message))
})
