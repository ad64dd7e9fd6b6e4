// Whether this user allowed the team scripts a config names, as direnv's `allow`: a config in a
// cloned repository must not run code on a plain `doctor`. `shipshape allow` records, keyed by the
// config's real path, the sha256 of the config and of every file in the folders holding its scripts
// (the helpers they import included); any change, a new file or a removed one, asks again. The
// record is this user's own: a file or folder owned by another user (root running with someone
// else's HOME) or writable by others is not believed.

import { chmod, lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import { readBoundedBytes, readBoundedFile } from '../bounded-read.js'
import type { Config } from '../config.js'
import { UsageError } from '../errors.js'
import { dataDir } from '../paths.js'
import type { Env } from '../types.js'

const RECORD = 'allowed.json'
const MAX_RECORD_BYTES = 4 * 1024 * 1024
/** What allow will hash: a script folder is a small thing; a repository's root is not one. */
const MAX_FILES = 500
const MAX_BYTES = 32 * 1024 * 1024
/** Folders that hold no script of the team's and can be huge. */
const PASSED_OVER = new Set(['.git', 'node_modules'])

export interface Trust {
  allowed: boolean
  /** When not allowed: what to read before allowing (relative to the config's folder), and why. */
  read: string[]
  reason?: string
}

interface Record_ {
  files: Record<string, string>
  at: string
}

/** The scripts a config names (team checks, their fixes, team steps and their guards), as absolute paths. */
export function teamScripts(config: Config): string[] {
  if (!config.file) return []
  const dir = dirname(config.file)
  const out = new Set<string>()
  for (const c of Object.values(config.data.checks)) {
    if (c.run) out.add(resolve(dir, c.run))
    if (c.run && c.fix) out.add(resolve(dir, c.fix.run))
  }
  for (const s of Object.values(config.data.steps)) {
    out.add(resolve(dir, s.run))
    if (s.done) out.add(resolve(dir, s.done))
  }
  return [...out]
}

/** sha256 of the config and of every file under the folders holding its scripts, by absolute path. */
export async function fingerprint(config: Config): Promise<Map<string, string>> {
  const { createHash } = await import('node:crypto')
  const files = new Set<string>([config.file!])
  for (const folder of new Set(teamScripts(config).map(dirname))) await walk(folder, files)
  const sums = new Map<string, string>()
  let bytes = 0
  for (const file of [...files].sort()) {
    const data = await readBoundedBytes(file, MAX_BYTES - bytes)
    bytes += data.length
    sums.set(file, createHash('sha256').update(data).digest('hex'))
  }
  return sums
}

async function walk(folder: string, into: Set<string>): Promise<void> {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory() && !PASSED_OVER.has(entry.name)) await walk(path, into)
    // A symlink to a file is read through; one to a folder is not followed (a loop, or the whole disk).
    else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path).then((s) => s.isFile(), () => false)))) into.add(path)
    if (into.size > MAX_FILES) {
      throw new UsageError(`${folder}: more than ${MAX_FILES} files in the folders holding the team's scripts; keep them in a folder of their own (.shipshape/checks)`)
    }
  }
}

const recordFile = (env: Env, home: string) => join(dataDir(env, home), RECORD)

/** This user's records; none when the file is absent or not believable (another user's, writable by others). */
async function readRecords(env: Env, home: string): Promise<Record<string, Record_>> {
  const file = recordFile(env, home)
  const uid = process.getuid?.()
  for (const path of [dirname(file), file]) {
    const st = await lstat(path).catch(() => null)
    if (!st) return {}
    if ((uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return {}
  }
  try {
    const parsed = JSON.parse(await readBoundedFile(file, MAX_RECORD_BYTES)) as { configs?: Record<string, Record_> }
    return parsed && typeof parsed.configs === 'object' && parsed.configs !== null ? parsed.configs : {}
  } catch {
    return {}
  }
}

async function writeRecords(env: Env, home: string, configs: Record<string, Record_>): Promise<string> {
  const file = recordFile(env, home)
  await mkdir(dirname(file), { recursive: true, mode: 0o700 })
  await chmod(dirname(file), 0o700)
  await writeFileAtomic(file, `${JSON.stringify({ version: 1, configs }, null, 2)}\n`, { mode: 0o600, forceMode: true })
  return file
}

const keyOf = (config: Config) => realpath(config.file!)

/** Whether the team's scripts may run: allowed, and nothing changed since. */
export async function trustOf(config: Config, env: Env, home: string): Promise<Trust> {
  const dir = dirname(config.file!)
  const rel = (p: string) => relative(dir, p) || p
  let now: Map<string, string>
  try {
    now = await fingerprint(config)
  } catch (error) {
    return { allowed: false, read: [], reason: (error as Error).message }
  }
  const record = (await readRecords(env, home))[await keyOf(config)]
  if (!record) return { allowed: false, read: [...now.keys()].map(rel) }
  const changed = [...now].filter(([file, sum]) => record.files[file] !== sum).map(([file]) => file)
  const removed = Object.keys(record.files).filter((file) => !now.has(file))
  if (changed.length === 0 && removed.length === 0) return { allowed: true, read: [] }
  return { allowed: false, read: [...changed, ...removed].map(rel), reason: 'changed since `shipshape allow`' }
}

/** Records the config's files as allowed; returns them (relative to the config's folder) and the record file. */
export async function allow(config: Config, env: Env, home: string): Promise<{ files: string[]; record: string }> {
  const sums = await fingerprint(config)
  const records = await readRecords(env, home)
  records[await keyOf(config)] = { files: Object.fromEntries(sums), at: new Date().toISOString() }
  const record = await writeRecords(env, home, records)
  const dir = dirname(config.file!)
  return { files: [...sums.keys()].map((p) => relative(dir, p) || p), record }
}

/** Forgets the config; false when there was nothing to forget. */
export async function revoke(config: Config, env: Env, home: string): Promise<boolean> {
  const records = await readRecords(env, home)
  const key = await keyOf(config)
  if (!records[key]) return false
  delete records[key]
  await writeRecords(env, home, records)
  return true
}

/** The line a team check says when it may not run. */
export function notAllowedSummary(trust: Trust): string {
  const shown = trust.read.slice(0, 8).join(', ') + (trust.read.length > 8 ? ` and ${trust.read.length - 8} more` : '')
  if (!shown) return `not allowed: ${trust.reason ?? 'unknown reason'}`
  return `not allowed yet${trust.reason ? ` (${trust.reason})` : ''}: read ${shown}, then run \`shipshape allow\``
}
