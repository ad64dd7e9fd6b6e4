// Calls an entry script's main() in-process with string streams, as the top-level handler would,
// with a HOME of its own unless the test gives one.

import { PassThrough } from 'node:stream'
import { exitCodeOf, type Main } from '../scripts/run-main.js'
import type { Env } from '../lib/types.js'
import { isolatedHome } from './helpers.js'

export interface Captured {
  code: number
  stdout: string
  stderr: string
}

export async function capture(main: Main, argv: string[], env: Env, cwd = process.cwd()): Promise<Captured> {
  const out = new PassThrough()
  const err = new PassThrough()
  let stdout = ''
  let stderr = ''
  out.on('data', (d) => (stdout += d))
  err.on('data', (d) => (stderr += d))
  const code = await exitCodeOf(main, argv, { stdout: out, stderr: err, env: { PATH: process.env.PATH, HOME: isolatedHome(), ...env }, cwd })
  return { code, stdout, stderr }
}
