// The output folder of a render: secrets read back from an earlier render (so re-rendering keeps the
// passwords a data volume was initialised with), and files written atomically. A file that exists
// and differs is replaced, after a backup, when it is still as the last render wrote it (render-record.ts:
// new values render new files); one edited by hand since, or never recorded, only with --force.
// Without it nothing at all is written.

import { chmod, lstat } from 'node:fs/promises'
import { readBeforeReplacing } from '../bounded-read.js'
import { join } from 'node:path'
import { checkFolder, makeDirs, stageFile, type Staged } from '../atomic-write.js'
import { UsageError } from '../errors.js'
import type { Stack, Target } from './catalog.js'
import { manifestName, type KnownSecrets, type OutputFile } from './render.js'
import { handEdit, readRecord, writeRecord } from './render-record.js'

export async function readKnownSecrets(stack: Stack, target: Target, outDir: string): Promise<KnownSecrets> {
  const known: KnownSecrets = { env: {}, k8s: {} }
  if (target === 'compose') {
    const file = join(outDir, '.env')
    const text = await readIfThere(file)
    for (const [i, line] of (text?.split('\n') ?? []).entries()) {
      const entry = parseEnvLine(line)
      if (entry === null) continue
      const where = `${file}:${i + 1}`
      // A password we cannot read would be replaced by a new one, locking out the data volume it set up.
      if (entry === 'unreadable') throw new UsageError(`${where}: cannot read this line as NAME=value (a .env line such as KEY=value, export KEY=value or KEY="value"); nothing was written. Fix the line and run again.`)
      if (entry.value === '' && stack.secrets.includes(entry.key)) throw new UsageError(`${where}: ${entry.key} is empty, and an empty password is refused; nothing was written. Put the password the data was set up with there, or delete the line to have a new one generated for fresh data.`)
      known.env[entry.key] = entry.value
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
export function rotationWarning(stack: string, downArgs: readonly string[] = []): string {
  return `new passwords for ${stack} (--rotate-secrets): a data volume keeps the password it was first started with, so a stack started before will refuse the new ones. Remove its volume first (${['shipshape', 'down', stack, ...downArgs, '--volumes'].join(' ')}, which deletes the data) or change the password inside the running database.`
}

export interface WriteResult {
  written: string[]
  unchanged: string[]
  backups: string[]
}

/**
 * One line of a .env file as compose and a POSIX shell both read it: `KEY=value`, `export KEY=value`,
 * `KEY = value`, a value in single or double quotes, a ` # comment` after an unquoted value. null for
 * blank and comment lines; 'unreadable' for anything else (never guessed at).
 */
export function parseEnvLine(line: string): { key: string; value: string } | null | 'unreadable' {
  const text = line.replace(/\r$/, '').trim()
  if (text === '' || text.startsWith('#')) return null
  const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(text)
  if (!m) return 'unreadable'
  const [, key, raw] = m
  const quoted = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(raw)
  if (quoted) return { key, value: quoted[1].replace(/\\(["\\$`])/g, '$1') }
  const single = /^'([^']*)'\s*(?:#.*)?$/.exec(raw)
  if (single) return { key, value: single[1] }
  if (/^["']/.test(raw)) return 'unreadable'
  const value = raw.replace(/\s+#.*$/, '').trim()
  return /[\s"'\\]/.test(value) ? 'unreadable' : { key, value }
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
  // --rotate-secrets replaces the files that hold the passwords: that is what it asks for. A file still
  // as the last render wrote it is replaced by this one: the values changed, not the file.
  const record = await readRecord(outDir)
  const differing = plan.filter((p) => p.existing !== undefined && p.existing !== p.file.text && !(replaceSecrets && p.file.secret))
  const edits = differing.map((c) => ({ c, edit: handEdit(c.existing!, record[c.file.path]) })).filter(({ edit }) => edit !== 'as-rendered')
  if (edits.length && !force) {
    const edited = edits.filter(({ edit }) => typeof edit === 'number')
    if (edited.length) {
      throw new UsageError(`${edited.map(({ c, edit }) => `${c.path}:${edit}`).join(', ')}: edited by hand since the last render; nothing was written. Move the change into --set, --values or the stack's entry in shipshape.yaml, or use --force to replace ${edited.length > 1 ? 'them' : 'it'} (a .bak copy is kept).`)
    }
    throw new UsageError(`${edits.map(({ c }) => c.path).join(', ')} already ${edits.length > 1 ? 'exist' : 'exists'} and ${edits.length > 1 ? 'differ' : 'differs'} from this render, and no earlier render of ${edits.length > 1 ? 'them' : 'it'} is recorded; nothing was written. Use --force to replace (a .bak copy is kept).`)
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
  if (files.some((f) => f.secret)) {
    await checkFolder(outDir, '.env')
    await makeDirs(outDir, 0o700)
  }
  const staged: Array<{ s: Staged; path: string; exclusive: boolean }> = []
  try {
    for (const { file, path, existing } of plan) {
      // A new secret goes in place only if no concurrent render put one there first (exclusive).
      const exclusive = file.secret && existing === undefined
      if (existing !== file.text) staged.push({ path, exclusive, s: await stageFile(path, file.text, { mode: file.mode, forceMode: true, backup: existing !== undefined, dirMode: 0o755, exclusive }) })
    }
    for (const { s } of staged) await s.backup()
  } catch (error) {
    await Promise.all(staged.map(({ s }) => s.discard()))
    throw error
  }
  // New secrets first: a render that lost the race for them is refused before it changed anything.
  const order = [...staged].sort((a, b) => Number(b.exclusive) - Number(a.exclusive))
  for (const [i, { s }] of order.entries()) {
    const { backup } = await s.commit().catch(async (error: unknown) => {
      await Promise.all(order.slice(i + 1).map((x) => x.s.discard()))
      throw error
    })
    if (backup) result.backups.push(backup)
  }
  result.written.push(...staged.map((x) => x.path))
  for (const { file, path, existing } of plan) {
    if (existing !== file.text) continue
    result.unchanged.push(path)
    // A secret file keeps 0600 even if someone loosened it; never through a link someone planted.
    if ((await lstat(path)).isFile()) await chmod(path, file.mode)
  }
  // What the folder now holds as rendered, so the next render with other values may replace it.
  await writeRecord(outDir, plan.map((p) => p.file))
  return result
}

// Bounded: a named pipe at .env would hang the render, a link to /dev/zero fill the memory.
const readIfThere = async (path: string): Promise<string | undefined> => (await readBeforeReplacing(path)) ?? undefined
