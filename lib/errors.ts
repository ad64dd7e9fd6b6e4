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

// A file system error is the machine answering, not a bug: one line naming the path and the reason.
// A path the user gave that cannot be used is their input (exit 2); a full or read-only disk is not (exit 1).
const BAD_PATH: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many levels of symbolic links',
  EEXIST: 'it already exists',
}
const DISK: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
}
const VERB: Record<string, string> = { open: 'open', mkdir: 'create the folder', rename: 'write', write: 'write', copyfile: 'back up', read: 'read', chmod: 'set the mode of', scandir: 'list', unlink: 'remove', rmdir: 'remove', stat: 'look at', lstat: 'look at', fsync: 'write' }

/** The one-line message and exit code for a file system error, or null when `error` is not one. */
export function ioFailure(error: unknown): { code: 1 | 2; message: string } | null {
  const e = error as NodeJS.ErrnoException & { dest?: string }
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || typeof e.syscall !== 'string') return null
  const why = BAD_PATH[e.code] ?? DISK[e.code]
  if (!why) return null
  // Our temporary ".NAME.1a2b3c4d.tmp" beside a file stands for that file.
  const raw = e.dest ?? e.path ?? ''
  const path = raw.replace(/\/\.([^/]+)\.[0-9a-f]{8}\.tmp$/, '/$1')
  const what = path ? `cannot ${VERB[e.syscall] ?? e.syscall} ${path}` : `${e.syscall} failed`
  return { code: e.code in DISK ? 1 : 2, message: `${what}: ${why} (${e.code})` }
}
