// The streams and environment a command is handed: the process's own, or a test's. Apart from
// commander (lib/command.ts), so the top-level handler and `--version` do not load a parser.

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

export const processIo = (): Io => ({
  stdout: process.stdout,
  stderr: process.stderr,
  // Only setup's questions read stdin: node builds the stream on first use, so doctor never pays for it.
  get stdin() {
    return process.stdin
  },
  env: { ...process.env },
  cwd: process.cwd(),
  started: new Date(performance.timeOrigin),
})
