// The one top-level handler: a command's exit code, or a typed error turned into a message and a code.
// Usage errors (exit 2) say what was wrong; anything else is a bug and says so (exit 1).

import { ExitError, UsageError } from '../lib/errors.js'
import { processIo, type Io } from '../lib/command.js'
import { killLiveGroups } from '../lib/live-probes.js'

export type Main = (argv: readonly string[], io: Io) => Promise<number>

export async function exitCodeOf(main: Main, argv: readonly string[], io: Io): Promise<number> {
  try {
    return await main(argv, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`shipshape: ${error.message}\n`)
      return 2
    }
    if (error instanceof ExitError) {
      if (error.message) io.stderr.write(`shipshape: ${error.message}\n`)
      return error.exitCode
    }
    io.stderr.write(`shipshape: unexpected error (a bug; please report it):\n${(error as Error)?.stack ?? String(error)}\n`)
    return 1
  }
}

/**
 * Ctrl-C ends the run: every probe's process group is killed (they run detached, out of the
 * terminal's reach), then exit 130. A command that takes the first Ctrl-C for itself (setup lets the
 * running step finish) adds its own listener; the second Ctrl-C still quits at once.
 */
export function onInterrupt(io: Pick<Io, 'stderr'>): () => void {
  let seen = 0
  return () => {
    seen++
    if (seen === 1 && process.listenerCount('SIGINT') > 1) return
    killLiveGroups()
    io.stderr.write('\nshipshape: interrupted\n')
    process.exit(130)
  }
}

export function runMain(main: Main, argv = process.argv.slice(2)): void {
  const io = processIo()
  process.on('SIGINT', onInterrupt(io))
  void exitCodeOf(main, argv, io).then((code) => {
    process.exitCode = code
  })
}
