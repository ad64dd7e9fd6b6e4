// Files shipshape writes are replaced whole or not at all: a temporary file in the same folder, then a
// rename (atomic on one filesystem, which is also what node_exporter's textfile collector requires).
// An existing file can be kept as FILE.bak first, so nothing is silently overwritten.

import { randomBytes } from 'node:crypto'
import { copyFile, mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

export interface WriteOptions {
  mode?: number
  /** Copy the file being replaced to FILE.bak first. Returns its path when one was made. */
  backup?: boolean
}

export async function writeFileAtomic(path: string, text: string, opts: WriteOptions = {}): Promise<{ backup: string | null }> {
  const dir = dirname(path)
  await mkdir(dir, { recursive: true })
  // A dot-name, so the textfile collector (which reads *.prom) never sees a half-written file.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let backup: string | null = null
  try {
    const fh = await open(tmp, 'wx', opts.mode ?? 0o644)
    try {
      await fh.writeFile(text)
      await fh.sync()
    } finally {
      await fh.close()
    }
    if (opts.backup) {
      backup = `${path}.bak`
      await copyFile(path, backup).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
        backup = null
      })
    }
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
  return { backup }
}
