// A command's options as plain objects, which commander declares (lib/command.ts), and the parsers of
// their values. (doctor's usual lines were once read without commander, with node's util.parseArgs:
// measured on Node 24 that saved 1 to 4 ms of a warm run, not worth a second parser.)

/** One option as commander declares it: `--only <ids>`, `--no-cache`, `--verbose`. */
export interface OptionSpec {
  flags: string
  description: string
  /** The value from the text, given the value so far (for lists); throws BadValue for bad input. */
  parse?: (value: string, previous?: never) => unknown
  choices?: readonly string[]
  default?: unknown
}

/** A value an option refuses; commander says it as "option '--x <v>' argument 'v' is invalid. <message>". */
export class BadValue extends Error {}

/** `--format <format>`, one of `formats`; every command that prints a report has it. */
export const formatSpec = (formats: readonly string[], fallback = 'human'): OptionSpec => ({ flags: '--format <format>', description: 'output format', choices: formats, default: fallback })

export const csv = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)]

export function positiveMs(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new BadValue(`'${value}' is not a positive whole number of milliseconds.`)
  return n
}
