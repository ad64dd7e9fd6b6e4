// Every file shipshape writes (rc files, apt sources, rendered stacks, .env, the version cache, the
// textfile for node_exporter) is replaced whole or not at all: a temporary file in the same folder,
// synced, then a rename, which is atomic on one filesystem and what node_exporter's textfile
// collector requires. A symlink is followed to its target, so a dotfiles repository keeps its link;
// an existing file keeps its mode unless one is forced; a backup can be kept as FILE.bak.

import { chmod, copyFile, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface WriteOptions {
  /** Mode for a new file (default 0644); an existing file keeps its own unless `forceMode`. */
  mode?: number
  /** Apply `mode` even over an existing file's (secrets must stay 0600). */
  forceMode?: boolean
  /** Copy the file being replaced to FILE.bak first. */
  backup?: boolean
  /** Called between writing the temporary file and the rename: the seam tests use to interrupt. */
  beforeRename?(tmp: string): Promise<void> | void
}

export interface Written {
  /** The real path written (a symlink's target). */
  path: string
  /** The backup made, or null when there was nothing to back up or none was asked for. */
  backup: string | null
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): Promise<Written> {
  const staged = await stageFile(path, data, opts)
  return staged.commit()
}

/** A file written in full beside its target and not yet in place: commit renames it there, discard removes it. */
export interface Staged {
  /** The real path it will replace. */
  target: string
  /** Makes the .bak copy (when asked for and there is a file to copy); commit does it too, once. */
  backup(): Promise<string | null>
  commit(): Promise<Written>
  discard(): Promise<void>
}

/**
 * Writes the temporary file (synced, with its final mode) and stops before the rename, so several
 * files can all be staged first and put in place only when every one was written: a full disk then
 * leaves none of them changed.
 */
export async function stageFile(path: string, data: string | Uint8Array, opts: WriteOptions = {}): Promise<Staged> {
  const target = await realpath(path).catch(() => path)
  const dir = dirname(target)
  await mkdir(dir, { recursive: true })
  const existing = await stat(target).then((s) => s.mode & 0o7777, () => null)
  const mode = opts.forceMode || existing === null ? (opts.mode ?? 0o644) : existing
  // A dot-name, so a collector that reads *.prom never sees a half-written file.
  // node:crypto is loaded here, not at start: a run that writes nothing never pays for it.
  const tmp = join(dir, `.${basename(target)}.${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}.tmp`)
  const discard = () => rm(tmp, { force: true })
  try {
    const fh = await open(tmp, 'wx', 0o600)
    try {
      await fh.writeFile(data)
      await fh.sync()
    } finally {
      await fh.close()
    }
    // chmod after the write: the umask may have taken bits off at open, and a secret is never wider.
    await chmod(tmp, mode)
  } catch (error) {
    await discard()
    throw error
  }
  let backedUp: Promise<string | null> | undefined
  const backup = () =>
    (backedUp ??= (async () => {
      if (!opts.backup || existing === null) return null
      const bak = `${target}.bak`
      await copyFile(target, bak)
      await chmod(bak, opts.forceMode ? mode : existing)
      return bak
    })())
  const commit = async (): Promise<Written> => {
    let made: string | null
    try {
      made = await backup()
      await opts.beforeRename?.(tmp)
      await rename(tmp, target)
    } catch (error) {
      await discard()
      throw error
    }
    return { path: target, backup: made }
  }
  return { target, backup, commit, discard }
}
