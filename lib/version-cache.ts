// Remembers what `tool --version` printed for a binary that has not changed since, so repeated runs
// (scheduled checks, `serve`, a re-run after a fix) skip slow starts like Python's docker-compose v1.
// A binary is "unchanged" when its resolved path, size, modification time and inode all match.
// Only versions of files are cached, never a daemon's or a cluster's state. The cache is a
// convenience: a corrupt, unreadable or unwritable file is ignored, never an error.

import { lstat, realpath, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { homeOwnerOf, writeFileAtomic } from './atomic-write.js'
import { readJsonObject } from './bounded-read.js'
import { cacheDir } from './paths.js'
import type { Context, ProbeOptions, ProbeResult } from './types.js'

const FILE = 'versions.json'

interface Entry {
  /** resolved path, size, mtime and inode of the binary when `stdout` was recorded */
  id: string
  stdout: string
}

interface Store {
  file: string
  entries: Record<string, Entry>
  save(): Promise<void>
  /** Why the cache is neither read nor written (another user could forge or redirect it), or null. */
  untrusted: string | null
}

export interface VersionResult extends ProbeResult {
  cached: boolean
  /** Set when the cache was passed over, saying why. */
  untrusted?: string
}

/** What a check's detail line says about where a version came from. */
export const cacheTag = (r: VersionResult) => (r.cached ? ' (cached)' : r.untrusted ? ` (version cache not used: ${r.untrusted})` : '')

/**
 * Runs `bin ...args` (bin is a path from ctx.which), or returns what it printed last time if the
 * binary has not changed. Only successful runs are recorded (or those `usable` accepts: a command
 * whose exit code says nothing about what it printed); --no-cache (ctx.noCache) always runs
 * the command and refreshes the entry.
 */
export async function versionOutput(ctx: Context, bin: string, args: readonly string[], opts: ProbeOptions & { usable?: (r: ProbeResult) => boolean } = {}): Promise<VersionResult> {
  const [store, id] = await Promise.all([loadStore(ctx), identity(bin)])
  const key = [bin, ...args].join(' ')
  const hit = store.entries[key]
  if (!ctx.noCache && id && hit?.id === id) return { ok: true, code: 0, stdout: hit.stdout, stderr: '', timedOut: false, ms: 0, cached: true }
  const { usable = (r: ProbeResult) => r.ok, ...probeOpts } = opts
  const result = await ctx.probe([bin, ...args], probeOpts)
  if (store.untrusted) return { ...result, cached: false, untrusted: store.untrusted }
  if (usable(result) && !result.timedOut && id) {
    store.entries[key] = { id, stdout: result.stdout }
    await store.save()
  }
  return { ...result, cached: false }
}

/** Nothing to answer from: --no-cache, or no version recorded yet (a first run on this machine). */
export async function cacheIsCold(ctx: Context): Promise<boolean> {
  return Boolean(ctx.noCache) || Object.keys((await loadStore(ctx)).entries).length === 0
}

async function identity(bin: string): Promise<string | null> {
  try {
    const real = await realpath(bin)
    const s = await stat(real)
    return `${real}|${s.size}|${s.mtimeMs}|${s.ino}`
  } catch {
    return null
  }
}

// One store per run, shared by every check; writes are chained so parallel checks never interleave.
function loadStore(ctx: Context): Promise<Store> {
  return ctx.facts.once('version-cache', async () => {
    const file = join(cacheDir(ctx.env, ctx.home, ctx.platform.kind === 'macos'), FILE)
    const untrusted = await untrustedCache(file)
    const entries = untrusted ? {} : await readEntries(file)
    let chain = Promise.resolve()
    const save = () => {
      chain = chain.then(async () => void (await writeFileAtomic(file, JSON.stringify({ version: 1, entries }, null, 1) + '\n', { mode: 0o600 }))).catch(() => {})
      return chain
    }
    return { file, entries, save, untrusted }
  })
}

/**
 * Why a cache file or its folder cannot be trusted: another user owns it or can write it, so it could
 * hold a forged version or be swapped for a link to one of your files. null when both are yours alone
 * (or not there yet).
 */
async function untrustedCache(file: string): Promise<string | null> {
  const uid = process.geteuid?.() ?? -1
  if (uid === -1) return null
  const owner = await homeOwnerOf(file)
  if (owner) return `running as root with the HOME of uid ${owner.uid}: root does not write that user's cache`
  for (const path of [dirname(file), file]) {
    const s = await lstat(path).catch(() => null)
    if (!s) continue
    if (s.uid !== uid) return `${path} belongs to another user (uid ${s.uid})`
    if (s.mode & 0o022) return `${path} can be written by other users (mode 0${(s.mode & 0o777).toString(8)})`
    if (path === file && !s.isFile()) return `${path} is not a regular file`
  }
  return null
}

async function readEntries(file: string): Promise<Record<string, Entry>> {
  const doc = await readJsonObject(file)
  if (doc?.version !== 1 || typeof doc.entries !== 'object' || doc.entries === null) return {}
  const out: Record<string, Entry> = {}
  for (const [k, v] of Object.entries(doc.entries as Record<string, Partial<Entry>>)) {
    if (typeof v?.id === 'string' && typeof v.stdout === 'string') out[k] = { id: v.id, stdout: v.stdout }
  }
  return out
}

