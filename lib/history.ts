// The record of scheduled runs in ~/.shipshape/history.jsonl, one compact JSON line per run, so
// `shipshape history` can show drift: a check that went from ok to fail, a version that moved.
// Bounded: past maxBytes the file is rotated to history.jsonl.1 (the previous .1 is dropped), so the
// two together never hold much more than twice the bound. Rotation happens under a lock file, after
// a second look at the size, so two runs rotating at once cannot rotate twice (which would drop the
// rotated history) nor trip over each other's rename.

import { open, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { appendPrivate, makeDirs } from './atomic-write.js'
import { readBoundedFile } from './bounded-read.js'
import type { Report, Status } from './types.js'

export const HISTORY_MAX_BYTES = 512 * 1024

export interface HistoryCheck {
  id: string
  status: Status
  version: string | null
  required: boolean
}

export interface HistoryEntry {
  startedAt: string
  durationMs: number
  exitCode: number
  version: string
  platform: string
  checks: HistoryCheck[]
  /** What the run itself could not do (write the textfile, say); it then exited 1. */
  error?: string
}

export const historyDir = (home: string) => join(home, '.shipshape')
export const historyFile = (home: string) => join(historyDir(home), 'history.jsonl')

export function toEntry(report: Report): HistoryEntry {
  return {
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    exitCode: report.summary.exitCode,
    version: report.version,
    platform: report.platform.kind,
    checks: report.checks.map((f) => ({ id: f.id, status: f.status, version: f.version, required: f.required })),
  }
}

/** How long a rotation waits for another run's lock, and when a lock is taken as left by a crash. */
const LOCK_WAIT_MS = 2_000
const LOCK_STALE_MS = 30_000

/** Appends one run; rotates first when the file has reached its bound. One write per line, so concurrent runs do not interleave. */
export async function appendHistory(file: string, entry: HistoryEntry, maxBytes = HISTORY_MAX_BYTES): Promise<void> {
  await makeDirs(join(file, '..'), 0o700)
  const line = JSON.stringify(entry) + '\n'
  const size = await stat(file).then((s) => s.size, () => 0)
  if (size > 0 && size + line.length > maxBytes) await rotate(file, line.length, maxBytes)
  // A line cut short (a full disk, a killed run) must not swallow this one: start on a line of our own.
  const cut = await lastByteIsNot(file, 0x0a)
  await appendPrivate(file, (cut ? '\n' : '') + line)
}

async function rotate(file: string, adding: number, maxBytes: number): Promise<void> {
  const lock = `${file}.lock`
  if (!(await takeLock(lock))) return // another run holds it for long: grow a little now, rotate next time
  try {
    // Another run may have rotated while we waited: look again before rotating.
    const size = await stat(file).then((s) => s.size, () => 0)
    if (size > 0 && size + adding > maxBytes) await rename(file, `${file}.1`)
  } finally {
    await rm(lock, { force: true })
  }
}

async function takeLock(lock: string): Promise<boolean> {
  const until = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      await (await open(lock, 'wx', 0o600)).close()
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0)
    if (age > LOCK_STALE_MS) await rm(lock, { force: true })
    else if (Date.now() > until) return false
    else await new Promise((r) => setTimeout(r, 10 + Math.random() * 20))
  }
}

async function lastByteIsNot(file: string, byte: number): Promise<boolean> {
  const fh = await open(file, 'r').catch(() => null)
  if (!fh) return false
  try {
    const { size } = await fh.stat()
    if (size === 0) return false
    const buf = Buffer.alloc(1)
    await fh.read(buf, 0, 1, size - 1)
    return buf[0] !== byte
  } finally {
    await fh.close()
  }
}

export interface HistoryRead {
  /** The recorded runs, oldest first. */
  entries: HistoryEntry[]
  /** Lines that are not a run (cut short, damaged, or another shape): passed over and counted. */
  skipped: number
}

/** The recorded runs, oldest first; a damaged line (a disk that filled up mid-write) is passed over. */
export async function readHistory(file: string): Promise<HistoryEntry[]> {
  return (await loadHistory(file)).entries
}

/** The recorded runs and how many lines could not be read. Never throws for what is in the file. */
export async function loadHistory(file: string): Promise<HistoryRead> {
  // Each file is rotated at maxBytes, give or take a few concurrent lines; one much larger is not ours.
  const texts = await Promise.all([`${file}.1`, file].map((f) => readBoundedFile(f, 4 * HISTORY_MAX_BYTES).catch(() => '')))
  const entries: HistoryEntry[] = []
  let skipped = 0
  for (const line of texts.join('\n').split('\n')) {
    if (!line.trim()) continue
    // A run appended after a line cut short (by an older shipshape) shares its line: find where it starts.
    const at = line.lastIndexOf('{"startedAt":')
    const whole = asEntry(line)
    const e = whole ?? (at > 0 ? asEntry(line.slice(at)) : null)
    if (e) entries.push(e)
    if (!whole) skipped++
  }
  return { entries: entries.sort((a, b) => a.startedAt.localeCompare(b.startedAt)), skipped }
}

function asEntry(text: string): HistoryEntry | null {
  let e: unknown
  try {
    e = JSON.parse(text)
  } catch {
    return null
  }
  if (!e || typeof e !== 'object') return null
  const r = e as Partial<HistoryEntry>
  if (typeof r.startedAt !== 'string' || !Array.isArray(r.checks) || typeof r.exitCode !== 'number') return null
  const checkOk = (c: unknown) => !!c && typeof c === 'object' && typeof (c as HistoryCheck).id === 'string' && typeof (c as HistoryCheck).status === 'string'
  if (!r.checks.every(checkOk)) return null
  return r as HistoryEntry
}

export interface Change {
  id: string
  kind: 'status' | 'version' | 'added' | 'removed'
  from: string | null
  to: string | null
}

const GOOD = new Set<Status>(['ok', 'warn', 'skip'])

/** What changed from one run to the next: status transitions and version moves, in check order. */
export function diffRuns(before: HistoryEntry, after: HistoryEntry): Change[] {
  const prev = new Map(before.checks.map((c) => [c.id, c]))
  const changes: Change[] = []
  for (const c of after.checks) {
    const p = prev.get(c.id)
    prev.delete(c.id)
    if (!p) {
      changes.push({ id: c.id, kind: 'added', from: null, to: c.status })
      continue
    }
    if (p.status !== c.status) changes.push({ id: c.id, kind: 'status', from: p.status, to: c.status })
    // A version that disappears because the tool broke is already a status change.
    if (p.version !== c.version && p.version && c.version) changes.push({ id: c.id, kind: 'version', from: p.version, to: c.version })
  }
  for (const p of prev.values()) changes.push({ id: p.id, kind: 'removed', from: p.status, to: null })
  return changes
}

/** A change for the worse: something that worked and now does not. */
export const isRegression = (c: Change) => c.kind === 'status' && GOOD.has(c.from as Status) && !GOOD.has(c.to as Status)
