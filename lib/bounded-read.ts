// Reading a file we do not control, within bounds: only a regular file (a FIFO named instead of
// opened blocking: it would wait for a writer forever), at most a given size, checked before reading.

import { constants } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { UsageError } from './errors.js'

/**
 * Reads a regular file of at most `maxBytes`, refusing others by name before opening them blocking
 * (a FIFO would wait for a writer forever). Throws the ErrnoException of the failing call, or a
 * BoundError (not a plain file, too large) whose message names the file and the reason.
 */
export async function readBoundedFile(file: string, maxBytes: number): Promise<string> {
  return (await readBoundedBytes(file, maxBytes)).toString('utf8')
}

/** readBoundedFile's bytes, not decoded: for a large file searched for a few ASCII lines. */
export async function readBoundedBytes(file: string, maxBytes: number): Promise<Buffer> {
  // O_NONBLOCK: opening a FIFO returns at once, and fstat on the handle tells what it is without a race.
  const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const st = await fh.stat()
    if (!st.isFile()) throw new BoundError(`${file}: not a regular file (${kindOf(st)}); shipshape reads only plain files`)
    if (st.size > maxBytes) throw new BoundError(`${file}: ${st.size} bytes is more than the ${maxBytes} bytes shipshape reads`)
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1)
    let got = 0
    // Read one byte past the limit, so a file that grew since fstat is caught too.
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, null)
      if (bytesRead === 0) break
      got += bytesRead
    }
    if (got > maxBytes) throw new BoundError(`${file}: more than the ${maxBytes} bytes shipshape reads`)
    return buf.subarray(0, got)
  } finally {
    await fh.close()
  }
}

/** A file that is not a plain file or is too large: the message names it and says why. */
export class BoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BoundError'
  }
}

export function kindOf(st: import('node:fs').Stats): string {
  if (st.isFIFO()) return 'a named pipe'
  if (st.isDirectory()) return 'a directory'
  if (st.isSocket()) return 'a socket'
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device'
  return 'not a file'
}

/** The most of a shell start-up file shipshape reads; real ones are a few KiB. */
export const RC_MAX_BYTES = 1024 * 1024

/** readBoundedFile, or null when the file does not exist; BoundError and other errors are thrown. */
export async function readBoundedOrNull(file: string, maxBytes: number): Promise<string | null> {
  return (await readBoundedBytesOrNull(file, maxBytes))?.toString('utf8') ?? null
}

export async function readBoundedBytesOrNull(file: string, maxBytes: number): Promise<Buffer | null> {
  try {
    return await readBoundedBytes(file, maxBytes)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** Settings files of other tools (docker's config.json, minikube's profiles, Docker Desktop's) are a few KiB. */
export const SETTINGS_MAX_BYTES = 1024 * 1024

/** The JSON object in a file we do not control; null when it is absent, unreadable, too large or not an object. */
export async function readJsonObject(file: string, maxBytes = SETTINGS_MAX_BYTES): Promise<Record<string, unknown> | null> {
  try {
    const value: unknown = JSON.parse(await readBoundedFile(file, maxBytes))
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** The most of a file of ours read back before it is replaced (render's .env and manifests, the checklist). */
export const OWN_FILE_MAX_BYTES = 4 * 1024 * 1024

/**
 * A file a command reads back before replacing it (the previous checklist, render's .env): null when
 * absent; a named pipe, device or file over `maxBytes` is the user's input to fix (exit 2, nothing
 * written); a folder is the file system's EISDIR, worded as such.
 */
export async function readBeforeReplacing(file: string, maxBytes = OWN_FILE_MAX_BYTES): Promise<string | null> {
  try {
    return await readBoundedOrNull(file, maxBytes)
  } catch (error) {
    if (!(error instanceof BoundError)) throw error
    if ((await stat(file).catch(() => null))?.isDirectory()) throw Object.assign(new Error(`EISDIR: ${file}`), { code: 'EISDIR', syscall: 'read', path: file })
    throw new UsageError(`${error.message}; nothing was written. Move it away and run again.`)
  }
}
