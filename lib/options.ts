// A command's options as plain objects, and its usual command lines parsed without commander.
// doctor runs on a schedule and behind `serve`, and loading commander was a tenth of a warm run:
// node's own util.parseArgs reads a line made only of the command's long options in their plain
// forms. Anything else (--help, a typo, a value the option refuses) gives null, and commander
// (lib/command.ts) parses the line instead, so every message and the help stay commander's.

import { parseArgs } from 'node:util'

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

/** `--no-cache` → { long: 'no-cache', key: 'cache', negated: true, takesValue: false } */
function optionName(flags: string): { long: string; key: string; negated: boolean; takesValue: boolean } {
  const m = /^--((no-)?([a-z][a-z0-9-]*))(?: <[^>]+>)?$/.exec(flags)
  if (!m) throw new Error(`options.ts reads only '--name', '--no-name' and '--name <value>', not '${flags}'`)
  return { long: m[1], key: m[3].replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()), negated: Boolean(m[2]), takesValue: flags.includes('<') }
}

/** commander's opts() for `argv`, or null when the line needs commander to read it (see above). */
export function quickParse(argv: readonly string[], specs: readonly OptionSpec[]): Record<string, unknown> | null {
  const names = specs.map((spec) => ({ spec, ...optionName(spec.flags) }))
  const options = Object.fromEntries(names.map((n) => [n.long, { type: n.takesValue ? ('string' as const) : ('boolean' as const), multiple: true }]))
  let values: Record<string, (string | boolean)[] | undefined>
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as typeof values
  } catch {
    return null
  }
  const opts: Record<string, unknown> = {}
  for (const { spec, long, key, negated } of names) {
    if (spec.default !== undefined) opts[key] = spec.default
    else if (negated) opts[key] = true
    const given = values[long]
    if (!given) continue
    for (const value of given) {
      if (typeof value === 'boolean') {
        opts[key] = !negated
        continue
      }
      if (spec.choices && !spec.choices.includes(value)) return null
      try {
        // As commander: a parser folds every occurrence into one value; without one, the last wins.
        opts[key] = spec.parse ? spec.parse(value, opts[key] as never) : value
      } catch (error) {
        if (error instanceof BadValue) return null
        throw error
      }
    }
  }
  return opts
}
