// The output folder of a render: secrets read back from an earlier render (so re-rendering keeps the
// passwords a data volume was initialised with), and files written atomically. A file that exists
// and differs is replaced only with --force, after a backup; without it nothing at all is written.

import { chmod, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import { UsageError } from '../errors.js'
import type { Stack, Target } from './catalog.js'
import { manifestName, type KnownSecrets, type OutputFile } from './render.js'

export async function readKnownSecrets(stack: Stack, target: Target, outDir: string): Promise<KnownSecrets> {
  const known: KnownSecrets = { env: {}, k8s: {} }
  if (target === 'compose') {
    const text = await readIfThere(join(outDir, '.env'))
    for (const line of text?.split('\n') ?? []) {
      const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim())
      if (m) known.env[m[1]] = m[2]
    }
    return known
  }
  const text = await readIfThere(join(outDir, manifestName(stack)))
  if (!text) return known
  const { parseAllDocuments } = await import('yaml')
  for (const doc of parseAllDocuments(text, { version: '1.1' })) {
    const obj = doc.toJS({ maxAliasCount: -1 }) as { kind?: string; metadata?: { name?: string }; stringData?: Record<string, string>; data?: Record<string, string> } | null
    if (obj?.kind !== 'Secret' || !obj.metadata?.name) continue
    const data = Object.fromEntries(Object.entries(obj.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString('utf8')]))
    known.k8s[`Secret/${obj.metadata.name}`] = { ...data, ...Object.fromEntries(Object.entries(obj.stringData ?? {}).map(([k, v]) => [k, String(v)])) }
  }
  return known
}

/** Said whenever passwords are replaced: the data outlives them. */
export function rotationWarning(stack: string): string {
  return `new passwords for ${stack} (--rotate-secrets): a data volume keeps the password it was first started with, so a stack started before will refuse the new ones. Remove its volume first (shipshape down ${stack} --volumes, which deletes the data) or change the password inside the running database.`
}

export interface WriteResult {
  written: string[]
  unchanged: string[]
  backups: string[]
}

export interface PlannedFile {
  file: OutputFile
  path: string
  existing: string | undefined
}

/**
 * What writing would do, found before any write: each file with what is there now. A file that
 * exists and differs without --force refuses the whole write (UsageError); `up --dry-run` asks this
 * very function, so its answer is the real run's.
 */
export async function planOutputs(outDir: string, files: OutputFile[], force: boolean, replaceSecrets = false): Promise<PlannedFile[]> {
  const plan: PlannedFile[] = []
  for (const file of files) {
    const path = join(outDir, file.path)
    plan.push({ file, path, existing: await readIfThere(path) })
  }
  // --rotate-secrets replaces the files that hold the passwords: that is what it asks for.
  const conflicts = plan.filter((p) => p.existing !== undefined && p.existing !== p.file.text && !(replaceSecrets && p.file.secret))
  if (conflicts.length && !force) {
    throw new UsageError(`${conflicts.map((c) => c.path).join(', ')} already ${conflicts.length > 1 ? 'exist' : 'exists'} and ${conflicts.length > 1 ? 'differ' : 'differs'} from this render; nothing was written. Use --force to replace (a .bak copy is kept).`)
  }
  return plan
}

/** "would write …" lines for a dry run of planOutputs' answer. */
export function describePlan(plan: readonly PlannedFile[]): string[] {
  return plan.map((p) => (p.existing === undefined ? `would write ${p.path}` : p.existing === p.file.text ? `unchanged ${p.path}` : `would replace ${p.path} (a .bak copy is kept)`))
}

/** Writes every file or none: conflicts (existing, different, no --force) are found before any write. */
export async function writeOutputs(outDir: string, files: OutputFile[], force: boolean, planned?: PlannedFile[]): Promise<WriteResult> {
  const result: WriteResult = { written: [], unchanged: [], backups: [] }
  const plan = planned ?? (await planOutputs(outDir, files, force))
  for (const { file, path, existing } of plan) {
    if (existing === file.text) {
      result.unchanged.push(path)
      await chmod(path, file.mode) // a secret file keeps 0600 even if someone loosened it
      continue
    }
    const { backup } = await writeFileAtomic(path, file.text, { mode: file.mode, forceMode: true, backup: existing !== undefined })
    if (backup) result.backups.push(backup)
    result.written.push(path)
  }
  return result
}

async function readIfThere(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
