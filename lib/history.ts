// The record of scheduled runs in ~/.shipshape/history.jsonl, one compact JSON line per run, so
// `shipshape history` can show drift: a check that went from ok to fail, a version that moved.
// Bounded: past maxBytes the file is rotated to history.jsonl.1 (the previous .1 is dropped), so the
// two together never hold much more than twice the bound.

import { appendFile, mkdir, readFile, rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
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

/** Appends one run; rotates first when the file has reached its bound. One write per line, so concurrent runs do not interleave. */
export async function appendHistory(file: string, entry: HistoryEntry, maxBytes = HISTORY_MAX_BYTES): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 })
  const size = await stat(file).then((s) => s.size, () => 0)
  const line = JSON.stringify(entry) + '\n'
  if (size > 0 && size + line.length > maxBytes) await rename(file, `${file}.1`)
  await appendFile(file, line, { mode: 0o600 })
}

/** The recorded runs, oldest first; a damaged line (a disk that filled up mid-write) is passed over. */
export async function readHistory(file: string): Promise<HistoryEntry[]> {
  const texts = await Promise.all([`${file}.1`, file].map((f) => readFile(f, 'utf8').catch(() => '')))
  const entries: HistoryEntry[] = []
  for (const line of texts.join('\n').split('\n')) {
    if (!line.trim()) continue
    try {
      const e = JSON.parse(line) as HistoryEntry
      if (typeof e.startedAt === 'string' && Array.isArray(e.checks)) entries.push(e)
    } catch {
      // skip
    }
  }
  return entries.sort((a, b) => a.startedAt.localeCompare(b.startedAt))
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
