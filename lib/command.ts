// What every entry script shares: a commander setup where a usage mistake is exit 2 and --help is
// exit 0, and (from io.ts) the streams and environment it is handed, so tests call main() directly.

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { ExitError, UsageError } from './errors.js'
import type { Io } from './io.js'
import { didYouMean } from './suggest.js'
import { BadValue, csv, formatSpec, positiveMs, type OptionSpec } from './options.js'

export { processIo, type Io } from './io.js'

export function newCommand(name: string, io: Io): Command {
  return new Command(`shipshape ${name}`)
    .exitOverride()
    .allowExcessArguments(false)
    // Suggestions come from lib/suggest.ts (parseArgs), the same as for commands, checks and stacks.
    .showSuggestionAfterError(false)
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
    throw new UsageError(`${error.message.replace(/^error: /, '')}${suggestionFor(cmd, error)}\nSee '${cmd.name()} --help'.`)
  }
}

/** " Did you mean …?" for an unknown option or a value outside an option's choices; '' otherwise. */
function suggestionFor(cmd: Command, error: CommanderError): string {
  if (error.code === 'commander.unknownOption') {
    const typed = /'(--?[^'=]+)/.exec(error.message)?.[1]
    const longs = [...cmd.options.map((o) => o.long).filter((l): l is string => Boolean(l)), '--help']
    const near = typed ? didYouMean(typed, longs) : ''
    return near ? `.${near}` : ''
  }
  if (error.code === 'commander.invalidArgument') {
    const m = /argument '([^']*)' is invalid\. Allowed choices are (.*)\.$/.exec(error.message)
    return m ? didYouMean(m[1], m[2].split(', ')) : ''
  }
  return ''
}

/** A parser of lib/options.ts for commander: its BadValue becomes commander's "argument is invalid". */
function forCommander<T>(parse: (value: string, previous?: never) => T): (value: string, previous: T) => T {
  return (value, previous) => {
    try {
      return parse(value, previous as never)
    } catch (error) {
      if (error instanceof BadValue) throw new InvalidArgumentError(error.message)
      throw error
    }
  }
}

export const positiveInt = forCommander(positiveMs)
export { csv }

/** Declares options given as plain objects (lib/options.ts), the same objects quickParse reads. */
export function addOptions(cmd: Command, specs: readonly OptionSpec[]): Command {
  for (const spec of specs) cmd.addOption(toOption(spec))
  return cmd
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description)
  if (spec.choices) option.choices(spec.choices)
  if (spec.default !== undefined) option.default(spec.default)
  if (spec.parse) option.argParser(forCommander(spec.parse))
  return option
}

export const formatOption = (formats: readonly string[], fallback = 'human') => toOption(formatSpec(formats, fallback))

export { Option }
