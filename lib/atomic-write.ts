// Every file shipshape writes (rc files, apt sources, rendered stacks, .env, the version cache, the
// textfile for node_exporter) is replaced whole or not at all: a temporary file in the same folder,
// synced, then a rename, which is atomic on one filesystem and what node_exporter's textfile
// collector requires. A symlink is followed to its target, so a dotfiles repository keeps its link;
// an existing file keeps its mode unless one is forced; a backup can be kept as FILE.bak.

import { randomBytes } from 'node:crypto'
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
  const target = await realpath(path).catch(() => path)
  const dir = dirname(target)
  await mkdir(dir, { recursive: true })
  const existing = await stat(target).then((s) => s.mode & 0o7777, () => null)
  const mode = opts.forceMode || existing === null ? (opts.mode ?? 0o644) : existing
  // A dot-name, so a collector that reads *.prom never sees a half-written file.
  const tmp = join(dir, `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`)
  let backup: string | null = null
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
    if (opts.backup && existing !== null) {
      backup = `${target}.bak`
      await copyFile(target, backup)
      await chmod(backup, opts.forceMode ? mode : existing)
    }
    await opts.beforeRename?.(tmp)
    await rename(tmp, target)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
  return { path: target, backup }
}
