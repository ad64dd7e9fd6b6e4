// Expected failures are findings; these are the errors that end a command. One top-level handler
// (scripts/cli.ts) turns them into a message and an exit code, as zx's main().catch does.

/** The user's input was wrong: exit 2, and nothing was changed. */
export class UsageError extends Error {
  readonly exitCode = 2
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** A command that already explained itself and only needs to end with this code. */
export class ExitError extends Error {
  constructor(readonly exitCode: number, message = '') {
    super(message)
    this.name = 'ExitError'
  }
}

/** "file:line:column: message", the shape editors and terminals make clickable. */
export function located(file: string, line: number | undefined, col: number | undefined, message: string): string {
  if (line === undefined) return `${file}: ${message}`
  return `${file}:${line}:${col ?? 1}: ${message}`
}

/** A value for a message: at most `max` characters, so a 50 MB scalar is never echoed whole. */
export function preview(value: string, max = 60): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} characters)`
}
