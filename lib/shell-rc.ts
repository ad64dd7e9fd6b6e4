// Finds where a user's shell start-up files set an environment variable (DOCKER_HOST above all),
// with file and line, including lines that are broken (`export DOCKER_HOST = localhost : 2375`,
// which one popular guide printed: the shell rejects it at every start and sets nothing).
// Read-only: the doctor names the lines; provisioning reuses these positions to rewrite them.

import { readdir, realpath } from 'node:fs/promises'
import { BoundError, RC_MAX_BYTES, readBoundedFile } from './bounded-read.js'
import { join } from 'node:path'
import { shUnquoteWord } from './model/shell-quote.js'

export type Shell = 'bash' | 'zsh' | 'fish' | 'sh'

export interface RcFile {
  /** As the user knows it: under their home, even when it is a symlink. */
  path: string
  shell: Shell
}

export interface RcAssignment {
  file: string
  /** 1-based */
  line: number
  shell: Shell
  /** The line as written, trimmed. */
  text: string
  /** 'set' assigns or exports; 'unset' removes the variable. */
  action: 'set' | 'unset'
  /** The value the shell would get; null for unset and broken lines. */
  value: string | null
  /** Why the shell cannot run this line as meant, or null when it can. */
  broken: string | null
}

/**
 * The start-up files each shell reads, relative to HOME, in the order a person would look at them.
 * The one list: doctor reads these and setup edits these, so setup can fix whatever doctor names.
 * Each shell's first file is where setup puts its block for a login shell of that kind.
 */
const FIXED_RC_FILES: ReadonlyArray<{ rel: string; shell: Shell }> = [
  { rel: '.bashrc', shell: 'bash' },
  { rel: '.bash_profile', shell: 'bash' },
  { rel: '.profile', shell: 'sh' },
  { rel: '.zshrc', shell: 'zsh' },
  { rel: '.zprofile', shell: 'zsh' },
  // Read by every zsh, interactive or not: a DOCKER_HOST here reaches scripts too.
  { rel: '.zshenv', shell: 'zsh' },
  { rel: join('.config', 'fish', 'config.fish'), shell: 'fish' },
]

/** The file that gets shipshape's block for the login shell `shellName` (bash's .bashrc unless zsh or fish). */
export function mainRcFile(home: string, shellName: string): string {
  const shell = (['zsh', 'fish'].includes(shellName) ? shellName : 'bash') as Shell
  return join(home, FIXED_RC_FILES.find((f) => f.shell === shell)!.rel)
}

/** The start-up files each shell reads (fish's conf.d/*.fish included), in the order a person would look at them. */
export async function rcFiles(home: string): Promise<RcFile[]> {
  const fixed: RcFile[] = FIXED_RC_FILES.map((f) => ({ path: join(home, f.rel), shell: f.shell }))
  const confd = join(home, '.config', 'fish', 'conf.d')
  const extra = await readdir(confd).then(
    (names) => names.filter((n) => n.endsWith('.fish')).sort().map((n) => ({ path: join(confd, n), shell: 'fish' as const })),
    () => [],
  )
  return [...fixed, ...extra]
}

/**
 * Every line in the user's start-up files that sets, unsets or botches `name`. A file that is not a
 * plain file (a FIFO) or is too large is not read; why goes into `unread` when given.
 */
export async function findAssignments(home: string, name: string, unread?: string[]): Promise<RcAssignment[]> {
  const seen = new Set<string>()
  const out: RcAssignment[] = []
  for (const rc of await rcFiles(home)) {
    let real: string
    let text: string
    try {
      real = await realpath(rc.path)
      text = await readBoundedFile(real, RC_MAX_BYTES)
    } catch (error) {
      if (error instanceof BoundError) unread?.push(error.message)
      continue
    }
    // .profile symlinked to .bashrc is one file: report its lines once.
    if (seen.has(real)) continue
    seen.add(real)
    text.split(/\r?\n/).forEach((line, i) => {
      const found = parseLine(line, name, rc.shell)
      if (found) out.push({ file: rc.path, line: i + 1, shell: rc.shell, text: line.trim(), ...found })
    })
  }
  return out
}

type Parsed = Pick<RcAssignment, 'action' | 'value' | 'broken'>

/** Reads one line the way its shell would, as far as `name` is concerned; null when it does not touch it. */
export function parseLine(line: string, name: string, shell: Shell): Parsed | null {
  const code = line.trim()
  const n = escape(name)
  if (code.startsWith('#') || !new RegExp(`\\b${n}\\b`).test(code)) return null
  if (shell === 'fish') {
    const set = code.match(new RegExp(`^set\\s+((?:-[a-zA-Z]+|--[a-z]+)\\s+)*${n}(?:\\s+(.*))?$`))
    if (set) {
      const flags = set[1] ?? ''
      if (/(^|\s)(-[a-zA-Z]*e[a-zA-Z]*|--erase)\b/.test(flags)) return { action: 'unset', value: null, broken: null }
      const rest = (set[2] ?? '').trim()
      if (rest.startsWith('=')) return { action: 'set', value: null, broken: `fish's set takes no '=': this sets ${name} to the list '${rest}'` }
      return { action: 'set', value: unquote(rest), broken: null }
    }
  }
  const unset = code.match(new RegExp(`^(?:unset|set\\s+-e)\\s+(?:-v\\s+)?${n}\\b`))
  if (unset) return { action: 'unset', value: null, broken: null }
  // export NAME=value, NAME=value, declare -x NAME=value, typeset -x NAME=value
  const assign = code.match(new RegExp(`^(?:(?:export|declare\\s+-x|typeset\\s+-x)\\s+)?${n}=(.*)$`))
  if (assign) {
    const raw = assign[1]
    if (/^\s/.test(raw) && raw.trim() !== '') return { action: 'set', value: null, broken: `space after '=': the shell sets ${name} to '' and runs '${raw.trim()}' as a command` }
    return { action: 'set', value: unquote(stripComment(raw)), broken: null }
  }
  if (new RegExp(`^(?:export\\s+)?${n}\\s+=`).test(code)) {
    return { action: 'set', value: null, broken: `spaces around '=': the shell rejects this line at every start and leaves ${name} as it was` }
  }
  return null
}

function stripComment(raw: string): string {
  if (/^["']/.test(raw)) return raw
  return raw.replace(/\s+#.*$/, '').trim()
}

// The value as the shell would see it after quote removal (no expansion); an open quote keeps the text.
const unquote = (raw: string): string => shUnquoteWord(raw.trim())?.value ?? raw.trim()

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
