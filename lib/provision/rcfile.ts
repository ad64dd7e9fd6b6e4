// Edits a shell start-up file (bash, zsh, fish) the way a person would want: one marked block
// (# >>> shipshape >>> … # <<< shipshape <<<) that re-runs replace in place, every other line left
// byte for byte, DOCKER_HOST lines elsewhere commented out with a note saying why (a broken
// `export DOCKER_HOST = localhost : 2375`, or a leftover that must go), the previous file backed up,
// and the write atomic through a symlink to its target with the file's mode kept.

import { basename } from 'node:path'
import { writeFileAtomic, writeTarget, type WriteOptions } from '../atomic-write.js'
import { RC_MAX_BYTES, readBoundedOrNull } from '../bounded-read.js'

export const BLOCK_START = '# >>> shipshape >>>'
export const BLOCK_END = '# <<< shipshape <<<'
export type ShellKind = 'posix' | 'fish'

export interface RcChange {
  /** The DOCKER_HOST to set in the block, null to have none set anywhere, undefined to leave DOCKER_HOST as it is. */
  dockerHost?: string | null
  /** Lines that put a folder on PATH (or Homebrew's shellenv), kept in the block once each. */
  pathLines?: string[]
  shell: ShellKind
  /** DOCKER_HOST lines (outside the block) to leave as they are; by default every one is commented out. */
  keep?: (line: string) => boolean
}

/** Lines that assign DOCKER_HOST in bash/zsh (`export DOCKER_HOST=`, `DOCKER_HOST =`) or fish (`set -gx DOCKER_HOST`). */
const ASSIGNS = /^\s*(export\s+|declare\s+-x\s+|typeset\s+-x\s+)?DOCKER_HOST\s*=|^\s*set\s+(-\w+\s+)*DOCKER_HOST\b|^\s*setenv\s+DOCKER_HOST\b/
/** A well-formed POSIX assignment: no space around '=' and one word (or quoted) value. */
const WELL_FORMED = /^\s*(export\s+)?DOCKER_HOST=("[^"]*"|'[^']*'|[^\s"';]+)\s*(#.*)?$/

const BLOCK_NOTE = '# Written by shipshape setup; it replaces what is between these markers.'

export function dockerHostLine(shell: ShellKind, value: string): string {
  return shell === 'fish' ? `set -gx DOCKER_HOST ${value}` : `export DOCKER_HOST=${value}`
}

/**
 * The block's lines after the change: what it held (PATH lines, DOCKER_HOST), with DOCKER_HOST
 * replaced when the change sets it and PATH lines added once, before DOCKER_HOST. An empty block goes.
 */
export function blockLines(held: readonly string[], change: RcChange): string[] {
  let entries = held.filter((l) => l.trim() !== '' && l.trim() !== BLOCK_NOTE)
  if (change.dockerHost !== undefined) entries = entries.filter((l) => !ASSIGNS.test(l))
  const firstHost = entries.findIndex((l) => ASSIGNS.test(l))
  const missing = (change.pathLines ?? []).filter((l) => !entries.some((e) => e.trim() === l))
  entries.splice(firstHost === -1 ? entries.length : firstHost, 0, ...missing)
  if (change.dockerHost) entries.push(dockerHostLine(change.shell, change.dockerHost))
  return entries.length ? [BLOCK_START, BLOCK_NOTE, ...entries, BLOCK_END] : []
}

/** A start marker without its end, an end without its start, or a start inside a block: never guessed at. */
export class RcMarkerError extends Error {
  constructor(readonly file: string, readonly line: number, problem: string) {
    super(`${file}:${line}: ${problem}; nothing was changed. Fix the markers by hand (shipshape's block is '${BLOCK_START}', its own lines, then '${BLOCK_END}'), or delete the stray marker line, then run setup again.`)
    this.name = 'RcMarkerError'
  }
}

/** Throws RcMarkerError unless every start marker has its end marker below it, with no other marker between. */
export function checkMarkers(lines: readonly string[], file: string): void {
  let open = 0
  lines.forEach((line, i) => {
    const bare = line.replace(/\r$/, '').trim()
    if (bare === BLOCK_START) {
      if (open) throw new RcMarkerError(file, i + 1, `a second '${BLOCK_START}' before the end of the block opened at line ${open}`)
      open = i + 1
    } else if (bare === BLOCK_END) {
      if (!open) throw new RcMarkerError(file, i + 1, `'${BLOCK_END}' with no '${BLOCK_START}' above it`)
      open = 0
    }
  })
  if (open) throw new RcMarkerError(file, open, `'${BLOCK_START}' with no '${BLOCK_END}' below it (removing the block would take every line after it)`)
}

/** The line ending most of the file's lines use, so the lines shipshape adds match a CRLF file. */
function lineEnding(text: string): '\n' | '\r\n' {
  const crlf = text.split('\r\n').length - 1
  const lf = text.split('\n').length - 1 - crlf
  return crlf > lf ? '\r\n' : '\n'
}

/** The new text of an rc file: pure, so every rule is tested without a disk. Throws RcMarkerError for damaged markers. */
export function editRcText(text: string, change: RcChange, file = 'the rc file'): string {
  const endsWithNewline = text === '' || text.endsWith('\n')
  const lines = text === '' ? [] : (endsWithNewline ? text.slice(0, -1) : text).split('\n')
  checkMarkers(lines, file)
  const cr = lineEnding(text) === '\r\n' ? '\r' : ''
  const out: string[] = []
  const held: string[] = []
  let blockAt = -1
  let inBlock = false
  for (const line of lines) {
    const bare = line.replace(/\r$/, '')
    if (bare.trim() === BLOCK_START) {
      inBlock = true
      if (blockAt === -1) blockAt = out.length
      continue
    }
    if (inBlock) {
      if (bare.trim() === BLOCK_END) inBlock = false
      else held.push(bare)
      continue
    }
    if (change.dockerHost !== undefined && ASSIGNS.test(bare) && !change.keep?.(bare)) {
      const broken = change.shell === 'posix' && !/^\s*set/.test(bare) && !WELL_FORMED.test(bare)
      const why = broken
        ? 'this DOCKER_HOST line is broken (the shell cannot parse it)'
        : change.dockerHost === null
          ? 'DOCKER_HOST must not be set here (it overrides the working Docker context)'
          : 'DOCKER_HOST is now set in the shipshape block'
      const own = line.endsWith('\r') ? '\r' : ''
      out.push(`# shipshape: commented out the next line: ${why}.${own}`, `# ${bare}${own}`)
      continue
    }
    out.push(line)
  }
  const block = blockLines(held, change).map((l) => l + cr)
  if (block.length) {
    if (blockAt === -1) out.push(...block)
    else out.splice(blockAt, 0, ...block)
  }
  if (out.length === 0) return ''
  return out.join('\n') + (endsWithNewline || block.length ? '\n' : '')
}

export interface RcResult {
  /** The file written (a symlink's target). */
  file: string
  changed: boolean
  backup: string | null
}

/** Applies the change to `path`; writes nothing when the text would not change. */
export async function applyRcChange(path: string, change: RcChange, now: Date, opts: Pick<WriteOptions, 'beforeRename'> = {}): Promise<RcResult> {
  const target = await writeTarget(path)
  const before = (await readBoundedOrNull(target, RC_MAX_BYTES)) ?? ''
  const after = editRcText(before, change, path)
  if (after === before) return { file: target, changed: false, backup: null }
  const stamp = now.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')
  const written = await writeFileAtomic(target, after, { mode: 0o644, backup: true, backupPath: (t) => `${t}.shipshape-${stamp}.bak`, ...opts })
  return { file: target, changed: true, backup: written.backup }
}

/** true when the file already reads as the change would leave it. */
export async function rcSatisfied(path: string, change: RcChange): Promise<boolean> {
  const text = (await readBoundedOrNull(path, RC_MAX_BYTES)) ?? ''
  return editRcText(text, change, path) === text
}

/** fish's config.fish and conf.d/*.fish take fish syntax; everything else POSIX. */
export const shellOfFile = (file: string): ShellKind => (basename(file).endsWith('.fish') ? 'fish' : 'posix')
