// What every entry script shares: the streams and environment it is handed (so tests call main()
// directly), and a commander setup where a usage mistake is exit 2 and --help is exit 0.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { ExitError, UsageError } from './errors.js'
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

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: { ...process.env }, cwd: process.cwd(), started: new Date(performance.timeOrigin) })

export function newCommand(name: string, io: Io): Command {
  return new Command(`shipshape ${name}`)
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      // Errors are rethrown below and printed once by the top-level handler.
      writeErr: (s) => (s.startsWith('error:') ? undefined : io.stderr.write(s)),
      outputError: () => {},
    })
}

/** Parses argv; help and version end with exit 0, any usage error with UsageError (exit 2). */
export function parseArgs(cmd: Command, argv: readonly string[]): void {
  try {
    cmd.parse([...argv], { from: 'user' })
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    if (error.exitCode === 0) throw new ExitError(0)
    throw new UsageError(`${error.message.replace(/^error: /, '')}\nSee '${cmd.name()} --help'.`)
  }
}

export const csv = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)]

export function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`'${value}' is not a positive whole number of milliseconds.`)
  return n
}

export const formatOption = (formats: readonly string[], fallback = 'human') =>
  new Option('--format <format>', 'output format').choices(formats).default(fallback)

export { Option }
