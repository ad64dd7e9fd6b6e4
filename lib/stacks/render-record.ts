// What the last render wrote to an output folder, kept beside it (.shipshape-rendered.json): each
// file's sha256 and a short hash of each line. A file still as rendered may be replaced by a render
// with other values (a .bak is kept); one edited by hand since is refused, naming the first line that
// changed, so a hand edit is never lost to `render --set port=8081`.

import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { BoundError, readBoundedFile } from '../bounded-read.js'
import { writeFileAtomic } from '../atomic-write.js'

export const RECORD_FILE = '.shipshape-rendered.json'

/** A file as last rendered: its sha256 and each line's first 8 hex digits of sha256. */
export interface RenderedPrint {
  sha256: string
  lines: string[]
}

export type RenderRecord = Record<string, RenderedPrint>

const sha = (text: string) => createHash('sha256').update(text).digest('hex')

export function fingerprint(text: string): RenderedPrint {
  return { sha256: sha(text), lines: text.split('\n').map((l) => sha(l).slice(0, 8)) }
}

/** The record in `outDir`; empty when there is none, or when it cannot be read as one (then no file counts as "as rendered"). */
export async function readRecord(outDir: string): Promise<RenderRecord> {
  try {
    const parsed: unknown = JSON.parse(await readBoundedFile(join(outDir, RECORD_FILE), 4 * 2 ** 20))
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
    const ok = (v: unknown): v is RenderedPrint => typeof (v as RenderedPrint)?.sha256 === 'string' && Array.isArray((v as RenderedPrint).lines)
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => ok(v)))
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof BoundError || (error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw error
  }
}

/**
 * Whether `existing` is the file as last rendered: 'as-rendered', the first line (1-based) that
 * differs from the last render, or 'unknown' when no render of it was recorded.
 */
export function handEdit(existing: string, print: RenderedPrint | undefined): 'as-rendered' | 'unknown' | number {
  if (!print) return 'unknown'
  if (sha(existing) === print.sha256) return 'as-rendered'
  const lines = existing.split('\n')
  for (let i = 0; i < Math.max(lines.length, print.lines.length); i++) {
    if (lines[i] === undefined || sha(lines[i]).slice(0, 8) !== print.lines[i]) return i + 1
  }
  return lines.length
}

/** Records `files` as rendered now, keeping the entries of the folder's other files. Mode 0600: line hashes of .env lines. */
export async function writeRecord(outDir: string, files: ReadonlyArray<{ path: string; text: string }>): Promise<void> {
  const record = await readRecord(outDir)
  for (const f of files) record[f.path] = fingerprint(f.text)
  await writeFileAtomic(join(outDir, RECORD_FILE), `${JSON.stringify(record, null, 1)}\n`, { mode: 0o600, forceMode: true })
}
