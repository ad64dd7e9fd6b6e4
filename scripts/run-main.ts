// The one top-level handler: a command's exit code, or a typed error turned into a message and a code.
// Usage errors (exit 2) say what was wrong; a file system error is one line (exit 2 for a path that
// cannot be used, 1 for a full or read-only disk); anything else is a bug and says so (exit 1).

import { ExitError, UsageError, ioFailure } from '../lib/errors.js'
import { processIo, type Io } from '../lib/io.js'
import { UnsafeValueError } from '../lib/model/shell-quote.js'
import { killLiveGroups } from '../lib/live-probes.js'

export type Main = (argv: readonly string[], io: Io) => Promise<number>

export async function exitCodeOf(main: Main, argv: readonly string[], io: Io): Promise<number> {
  try {
    return await main(argv, io)
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnsafeValueError) {
      io.stderr.write(`shipshape: ${error.message}\n`)
      return 2
    }
    if (error instanceof ExitError) {
      if (error.message) io.stderr.write(`shipshape: ${error.message}\n`)
      return error.exitCode
    }
    const failed = ioFailure(error)
    if (failed) {
      io.stderr.write(`shipshape: ${failed.message}\n`)
      return failed.code
    }
    io.stderr.write(`shipshape: unexpected error (a bug; please report it):\n${(error as Error)?.stack ?? String(error)}\n`)
    return 1
  }
}

// Set while a command takes the first Ctrl-C for itself (setup lets the running step finish).
// Not a listener count: libraries (ora's cursor restore) listen for SIGINT too.
let firstInterrupt: (() => void) | null = null

/** The next Ctrl-C calls `fn` instead of quitting; a second one still quits at once. Returns an undo. */
export function takeFirstInterrupt(fn: () => void): () => void {
  firstInterrupt = fn
  return () => {
    if (firstInterrupt === fn) firstInterrupt = null
  }
}

/**
 * Ctrl-C ends the run: every probe's process group is killed (they run detached, out of the
 * terminal's reach), then exit 130, so nothing shipshape started is left running.
 */
export function onInterrupt(io: Pick<Io, 'stderr'>): () => void {
  return () => {
    const taken = firstInterrupt
    firstInterrupt = null
    if (taken) return taken()
    killLiveGroups()
    io.stderr.write('\nshipshape: interrupted\n')
    process.exit(130)
  }
}

export function runMain(main: Main, argv = process.argv.slice(2)): void {
  const io = processIo()
  process.on('SIGINT', onInterrupt(io))
  // `shipshape doctor --help | head -3`: a reader that stopped reading is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(process.exitCode ?? 0)
  })
  void exitCodeOf(main, argv, io).then((code) => {
    process.exitCode = code
  })
}
