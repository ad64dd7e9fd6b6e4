// The streams and environment a command is handed: the process's own, or a test's. Apart from
// commander (lib/command.ts), so the top-level handler and `--version` do not load a parser.

import { maskingStream } from './redact.js'
import type { Env } from './types.js'

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean }
  env: Env
  cwd: string
  /** When the process started, so a summary's time is the whole run's (node's start-up included). */
  started?: Date
}

export function processIo(): Io {
  let stderr: Io['stderr'] | undefined
  return {
    // Every text printed is masked for credentials in URLs (lib/redact.ts).
    stdout: maskingStream(process.stdout),
    // node builds each stream on first use: a run that says nothing on stderr, or asks nothing (only
    // setup's questions read stdin), never pays for that one.
    get stderr() {
      stderr ??= maskingStream(process.stderr)
      return stderr
    },
    get stdin() {
      return process.stdin
    },
    env: { ...process.env },
    cwd: process.cwd(),
    started: new Date(performance.timeOrigin),
  }
}
