// The one write path for every file shipshape writes (rc files, apt sources, rendered stacks, .env,
// secrets, the version cache, units, the checklist, the textfile for node_exporter): replaced whole
// or not at all, through a temporary file in the target's own folder (created exclusively, synced,
// its mode set on the open file), then a rename, atomic on one filesystem and what node_exporter's
// textfile collector requires. On a shared machine nothing is written through what another user can
// plant: a link at the final component is followed only when the link and its target are the
// writing user's and no one else can write the link's folder (a dotfiles manager's ~/.bashrc link
// keeps working), a folder others can write without the sticky bit is refused, and a backup replaces
// the previous one by unlink and an exclusive create, never by writing through what is there.

import type { Stats } from 'node:fs'
import { constants } from 'node:fs'
import { chmod, link, lstat, mkdir, open, readFile, realpath, rename, rm, stat, unlink } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { kindOf } from './bounded-read.js'
import { UsageError } from './errors.js'

/**
 * Root writing under the HOME of another user (`sudo -E`, or a sudo that keeps HOME): the user whose
 * files these are, taken from the HOME folder's owner. null when not root, or the path is not under
 * a HOME that belongs to someone else.
 */
export async function homeOwnerOf(path: string): Promise<{ uid: number; gid: number } | null> {
  const home = process.env.HOME
  if (euid() !== 0 || !home) return null
  const rel = relative(resolve(home), resolve(path))
  if (rel.startsWith('..') || isAbsolute(rel)) return null
  const st = await stat(home).catch(() => null)
  return st && st.uid !== 0 ? { uid: st.uid, gid: st.gid } : null
}

// Effective ids are the whole process's, so writes as another user take turns: one at a time, and
// only at the points where a command writes (none of them runs beside another command's probes).
let turns: Promise<unknown> = Promise.resolve()

/** Runs `fn` as the owner of the HOME `path` lies in (see homeOwnerOf), or as we are. */
async function asOwnerOf<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const owner = await homeOwnerOf(path)
  if (!owner) return fn()
  const run = async () => {
    const groups = process.getgroups!()
    process.setgroups!([owner.gid])
    process.setegid!(owner.gid)
    process.seteuid!(owner.uid)
    try {
      return await fn()
    } finally {
      process.seteuid!(0)
      process.setegid!(0)
      process.setgroups!(groups)
    }
  }
  const result = turns.then(run, run)
  turns = result.catch(() => {})
  return result
}

export interface WriteOptions {
  /** Mode for a new file (default 0644); an existing file keeps its own unless `forceMode`. */
  mode?: number
  /** Apply `mode` even over an existing file's (secrets must stay 0600). */
  forceMode?: boolean
  /** Keep the file being replaced as FILE.bak first (or under `backupPath`). */
  backup?: boolean
  /** Where the backup goes instead of FILE.bak (rc files keep a dated one). */
  backupPath?: (target: string) => string
  /** Mode of the folders this write creates, whatever the umask: 0700 (default) or 0755 for render output. */
  dirMode?: number
  /**
   * The file must not exist when it is put in place (a new secret): the commit links instead of
   * renaming, so of two writers racing for it one wins and the other is refused, never both.
   */
  exclusive?: boolean
  /** Called between writing the temporary file and the rename: the seam tests use to interrupt. */
  beforeRename?(tmp: string): Promise<void> | void
}

export interface Written {
  /** The real path written (a symlink's target). */
  path: string
  /** The backup made, or null when there was nothing to back up or none was asked for. */
  backup: string | null
}

const euid = () => process.geteuid?.() ?? -1
const octal = (mode: number) => `0${(mode & 0o7777).toString(8)}`

/** Why someone other than `uid` can add, remove or rename entries of this folder; null when no one can. */
export function othersCanWrite(folder: Stats, uid = euid()): string | null {
  if (uid === -1 || folder.mode & 0o1000) return null // sticky: only an entry's owner may remove or rename it
  if (folder.mode & 0o002) return `writable by every user (mode ${octal(folder.mode)})`
  if (folder.mode & 0o020) return `writable by its group (mode ${octal(folder.mode)})`
  return null
}

const refuseFolder = (dir: string, why: string, name: string) =>
  new UsageError(`${dir} is ${why} and has no sticky bit: another user could swap ${name} for a link to one of your files. Nothing was written. Make it yours alone (chmod go-w ${dir}) or choose another folder.`)

/** Refuses a folder that others can write (a missing one is fine: it will be created 0700/0755). */
export async function checkFolder(dir: string, name: string, uid = euid()): Promise<void> {
  const s = await stat(dir).catch(() => null)
  const why = s && othersCanWrite(s, uid)
  if (why) throw refuseFolder(dir, why, name)
}

/**
 * The file a write to `path` replaces: `path` itself, or the target of a link at the final component
 * when the link and its target belong to `uid` and no one else can write the link's folder.
 * Anything else at `path` that is not a regular file is refused by name.
 */
export async function writeTarget(path: string, uid = euid()): Promise<string> {
  const st = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw error
  })
  if (st === null || st.isFile()) return path
  if (!st.isSymbolicLink()) throw new UsageError(`${path}: not a regular file (${kindOf(st)}); nothing was written. Move it away and run again.`)
  const real = await realpath(path).catch(() => null)
  const ts = real === null ? null : await stat(real).catch(() => null)
  const folder = await stat(dirname(path))
  const why =
    uid === -1 ? null
    : st.uid !== uid ? `the link belongs to another user (uid ${st.uid})`
    : ts === null ? 'it points to nothing'
    : !ts.isFile() ? `${real} is not a regular file`
    : ts.uid !== uid ? `its target ${real} belongs to another user (uid ${ts.uid})`
    : othersCanWrite(folder, uid) ? `its folder ${dirname(path)} is ${othersCanWrite(folder, uid)}`
    : null
  if (why) throw new UsageError(`${path} is a symbolic link and ${why}; shipshape writes through a link only when the link, its target and its folder are yours alone. Nothing was written. Remove the link and run again.`)
  return real!
}

/** Creates `dir` and any missing parents with `mode`, whatever the umask (chmod after mkdir). */
export const makeDirs = (dir: string, mode = 0o700): Promise<void> => asOwnerOf(dir, () => makeDirsAs(dir, mode))

async function makeDirsAs(dir: string, mode: number): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode })
  if (first === undefined) return
  for (let d = dir; ; d = dirname(d)) {
    await chmod(d, mode)
    if (d === first || dirname(d) === d) break
  }
}

/** Puts `tmp` at `target` only if nothing is there (link(2) fails with EEXIST otherwise), then drops `tmp`. */
async function placeExclusive(tmp: string, target: string): Promise<void> {
  await link(tmp, target).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error
    throw new UsageError(`${target} was created by another run while this one was writing; nothing of this run's was kept there. Run again to use what it holds.`)
  })
  await unlink(tmp)
}

/** Copies `from` (a regular file, already checked) to `to`: any old `to` is removed, the new one created exclusively. */
async function replaceBackup(from: string, to: string, mode: number): Promise<void> {
  const data = await readFile(from, { flag: constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK })
  await unlink(to).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
  await createExclusive(to, data, mode)
}

/** A new file (never one that is there, never through a link), its mode set on the open file, synced. */
async function createExclusive(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
  try {
    await fh.writeFile(data)
    // On the open file, after the write: the umask took bits off at open, and a secret is never wider.
    await fh.chmod(mode)
    await fh.sync()
  } finally {
    await fh.close()
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): Promise<Written> {
  const staged = await stageFile(path, data, opts)
  return staged.commit()
}

/** A file written in full beside its target and not yet in place: commit renames it there, discard removes it. */
export interface Staged {
  /** The real path it will replace. */
  target: string
  /** Makes the backup copy (when asked for and there is a file to copy); commit does it too, once. */
  backup(): Promise<string | null>
  commit(): Promise<Written>
  discard(): Promise<void>
}

/**
 * Writes the temporary file (synced, with its final mode) and stops before the rename, so several
 * files can all be staged first and put in place only when every one was written: a full disk then
 * leaves none of them changed.
 */
export const stageFile = (path: string, data: string | Uint8Array, opts: WriteOptions = {}): Promise<Staged> =>
  asOwnerOf(path, () => stageFileAs(path, data, opts))

async function stageFileAs(path: string, data: string | Uint8Array, opts: WriteOptions): Promise<Staged> {
  const target = await writeTarget(path)
  const dir = dirname(target)
  await checkFolder(dir, basename(target))
  await makeDirsAs(dir, opts.dirMode ?? 0o700)
  const existing = await lstat(target).then((s) => s.mode & 0o7777, () => null)
  // A file its owner made read-only (chmod 444 ~/.bashrc) says "do not edit": a rename would not ask.
  if (existing !== null && !(existing & 0o200)) throw new UsageError(`${target} is read-only (mode ${octal(existing)}); nothing was written. Make it writable (chmod u+w ${target}) if shipshape may change it.`)
  const mode = opts.forceMode || existing === null ? (opts.mode ?? 0o644) : existing
  // A dot-name, so a collector that reads *.prom never sees a half-written file.
  // node:crypto is loaded here, not at start: a run that writes nothing never pays for it.
  const tmp = join(dir, `.${basename(target)}.${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}.tmp`)
  const discard = () => rm(tmp, { force: true })
  try {
    await createExclusive(tmp, data, mode)
  } catch (error) {
    await discard()
    throw error
  }
  let backedUp: Promise<string | null> | undefined
  const backup = () =>
    (backedUp ??= asOwnerOf(target, async () => {
      if (!opts.backup || existing === null) return null
      const bak = opts.backupPath?.(target) ?? `${target}.bak`
      await replaceBackup(target, bak, opts.forceMode ? mode : existing)
      return bak
    }))
  const commit = async (): Promise<Written> => {
    let made: string | null
    try {
      made = await backup()
      await opts.beforeRename?.(tmp)
      await asOwnerOf(target, () => (opts.exclusive ? placeExclusive(tmp, target) : rename(tmp, target)))
    } catch (error) {
      await discard()
      throw error
    }
    return { path: target, backup: made }
  }
  return { target, backup, commit, discard }
}

/**
 * Appends to a private file (history, setup's log): its folder made 0700 and checked like any
 * write's, the file created 0600, and a link at its name refused (O_NOFOLLOW) rather than followed.
 */
export const appendPrivate = (path: string, text: string): Promise<void> => asOwnerOf(path, () => appendPrivateAs(path, text))

async function appendPrivateAs(path: string, text: string): Promise<void> {
  await checkFolder(dirname(path), basename(path))
  await makeDirsAs(dirname(path), 0o700)
  const fh = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP') throw new UsageError(`${path} is a symbolic link; shipshape appends only to a file of its own there. Nothing was written. Remove the link and run again.`)
    throw error
  })
  try {
    if (!(await fh.stat()).isFile()) throw new UsageError(`${path} is not a regular file; nothing was written. Move it away and run again.`)
    await fh.appendFile(text)
  } finally {
    await fh.close()
  }
}
