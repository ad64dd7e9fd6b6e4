// What every entry script shares: a commander setup where a usage mistake is exit 2 and --help is
// exit 0, and (from io.ts) the streams and environment it is handed, so tests call main() directly.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { ExitError, UsageError } from './errors.js'
import type { Io } from './io.js'

export { processIo, type Io } from './io.js'

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
