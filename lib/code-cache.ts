// Node 20 compiles the bundle afresh on every start: V8 parses a command's file and compiles each
// function on its first call, a tenth of a warm doctor run. Node 22.1 and later keep V8's code on
// disk (module.enableCompileCache, scripts/cli.ts); this does the same on Node 20. A command's file
// is compiled with the code V8 held at the end of an earlier full run of it, kept in shipshape's
// cache folder beside the version cache. Like that cache it is a convenience: a missing, stale,
// foreign or unreadable file is passed over, and a write that fails is dropped.

import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { Script } from 'node:vm'
import { cacheDir } from './paths.js'

/** A command's file and V8's code for it are a few hundred KiB each; past this it is not ours. */
const MAX_CACHE_BYTES = 16 * 1024 * 1024

/** What require(file) gives for a CommonJS file of the bundle, compiled with cached code when there is some. */
export function requireCompiled(file: string, argv: readonly string[] = process.argv.slice(2)): unknown {
  const require = createRequire(file)
  // Node 22.1 and later: node's own cache is on (scripts/cli.ts).
  if ('enableCompileCache' in Module) return require(file)

  const source = readFileSync(file)
  const cache = join(cacheDir(process.env, process.env.HOME || homedir(), process.platform === 'darwin'), 'code', `${basename(file)}.v8`)
  const held = readOwnFile(cache)
  const cachedData = held ? codeFor(held, source) : undefined
  // The bundle has no import() (build/bundle.ts): code compiled from a cache cannot use it on Node 20.
  const script = new Script(Module.wrap(source.toString('utf8')), { filename: file, cachedData })
  // Written at exit, when V8 holds the code of every function the run called, and only after a full
  // run (exit 0 or 1, not --help), so the code of the command's real work is in it. Only a run that
  // finds shipshape's cache folder already there, and this user's own, writes one: a first run, whose
  // tools' versions are still unknown, waits for its slowest tool and should not wait for this too; a
  // run that leaves nothing else behind (a dry run, a refusal) leaves no folder for this either; and
  // root under a sudo that kept the user's HOME leaves no folder of root's in it.
  const full = !argv.includes('--help') && !argv.includes('-h')
  if ((!cachedData || script.cachedDataRejected) && full && isOwnFolder(dirname(dirname(cache)))) {
    process.once('exit', (code) => {
      if (code === 0 || code === 1) save(cache, source, script.createCachedData())
    })
  }
  const module = { exports: {} }
  ;(script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, file, dirname(file))
  return module.exports
}

// The cache file: a line naming node and the code's length, the source the code was compiled from,
// then V8's code, twice. V8 checks only the source's length with its own version and flags, and npm
// gives every file it installs the same time, so the source is held whole and compared. V8 does not
// check its code either (a damaged byte crashes node), so the two copies are compared: as sure as a
// checksum against a damaged or cut-off file, and cheaper than the zlib node would load for one.
const headOf = (source: Buffer, code: Buffer) => Buffer.from(`shipshape code cache 1 ${process.version} ${process.arch} ${source.length} ${code.length}\n`)

/** V8's code for exactly `source` in `held`, or undefined when it holds other text, other node's code or damage. */
function codeFor(held: Buffer, source: Buffer): Buffer | undefined {
  const eol = held.indexOf(0x0a)
  const from = eol + 1 + source.length
  const length = (held.length - from) / 2
  if (eol < 0 || !(length > 0) || !held.subarray(eol + 1, from).equals(source)) return undefined
  const code = held.subarray(from, from + length)
  return held.subarray(0, eol + 1).equals(headOf(source, code)) && code.equals(held.subarray(from + length)) ? code : undefined
}

// Code runs from this file, so only a plain file of this user's that nobody else can write is read.
function readOwnFile(file: string): Buffer | null {
  let fd: number | undefined
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    const st = fstatSync(fd)
    if (!st.isFile() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0 || st.size > MAX_CACHE_BYTES) return null
    const buf = Buffer.allocUnsafe(st.size)
    let got = 0
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got)
      if (n === 0) break
      got += n
    }
    return buf.subarray(0, got)
  } catch {
    return null
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

function isOwnFolder(path: string): boolean {
  try {
    const st = statSync(path)
    return st.isDirectory() && st.uid === process.getuid?.()
  } catch {
    return false
  }
}

function save(file: string, source: Buffer, code: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`
  let fd: number | undefined
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    // Not synced to disk: a file cut short or damaged by a crash fails the comparison and is replaced.
    fd = openSync(tmp, 'wx', 0o600)
    writeFileSync(fd, Buffer.concat([headOf(source, code), source, code, code]))
    closeSync(fd)
    fd = undefined
    renameSync(tmp, file)
  } catch {
    try {
      if (fd !== undefined) closeSync(fd)
      rmSync(tmp, { force: true })
    } catch {
      // nothing more to do for a cache
    }
  }
}
