// Putting a folder on the user's PATH, in shipshape's marked block of the shell start-up file that a
// new terminal reads: on macOS Terminal opens login shells, so ~/.zprofile (zsh) or ~/.bash_profile
// (bash), where Homebrew's own advice puts its `shellenv` line; on Linux and WSL a terminal opens an
// interactive shell, so the same file DOCKER_HOST goes in. fish reads config.fish either way. For
// Homebrew's prefix the line is `brew shellenv`, which also sets MANPATH and HOMEBREW_PREFIX.

import { join } from 'node:path'
import type { Context, Fix, Step } from '../types.js'
import { shellRcFile } from './docker-host.js'
import { RC_MAX_BYTES, readBoundedOrNull } from '../bounded-read.js'
import { brewPrefix } from './homebrew.js'
import { applyRcChange, BLOCK_END, BLOCK_START, rcSatisfied, shellOfFile, type ShellKind } from './rcfile.js'
import { locateTool } from '../tool-path.js'
import { fishWord, shWord } from '../model/shell-quote.js'

type Ctx = Pick<Context, 'env' | 'home' | 'platform'>

/** The start-up file a new terminal reads, where PATH lines go. */
export function pathRcFile(ctx: Ctx): string {
  if (ctx.platform.kind !== 'macos') return shellRcFile(ctx)
  const shell = (ctx.env.SHELL ?? '').split('/').pop()
  if (shell === 'fish') return join(ctx.home, '.config/fish/config.fish')
  return join(ctx.home, shell === 'bash' ? '.bash_profile' : '.zprofile')
}

const isBrewBin = (ctx: Ctx, dir: string) => ctx.platform.kind === 'macos' && dir === `${brewPrefix(ctx.platform.arch)}/bin`

const posixQuote = (s: string) => shWord(s, 'the folder to put on PATH')
const fishQuote = (s: string) => fishWord(s, 'the folder to put on PATH')

/** The one line that puts `dir` on PATH in this shell. */
export function pathLine(ctx: Ctx, dir: string, shell: ShellKind): string {
  if (isBrewBin(ctx, dir)) {
    const brew = `${dir}/brew`
    return shell === 'fish' ? `${fishQuote(brew)} shellenv | source` : `eval "$(${posixQuote(brew)} shellenv)"`
  }
  return shell === 'fish' ? `set -gx PATH ${fishQuote(dir)} $PATH` : `export PATH=${posixQuote(dir)}:"$PATH"`
}

/** true when shipshape's block in the start-up file already puts `dir` on PATH. */
export async function rcAddsDir(ctx: Ctx, dir: string): Promise<boolean> {
  const file = pathRcFile(ctx)
  const text = await readBoundedOrNull(file, RC_MAX_BYTES)
  if (text === null) return false
  const line = pathLine(ctx, dir, shellOfFile(file))
  const start = text.indexOf(BLOCK_START)
  const end = text.indexOf(BLOCK_END, start)
  return start !== -1 && end !== -1 && text.slice(start, end).split('\n').some((l) => l.trim() === line)
}

/** A step that adds the PATH line (or Homebrew's shellenv) to the block, once. */
export function pathStep(ctx: Ctx, dir: string): Step {
  const file = pathRcFile(ctx)
  const brew = isBrewBin(ctx, dir)
  const change = { pathLines: [pathLine(ctx, dir, shellOfFile(file))], shell: shellOfFile(file) }
  return {
    id: brew ? 'homebrew-shellenv' : `path-${dir.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`,
    title: brew
      ? `Add Homebrew's shellenv line to ${file} so new terminals find brew and what it installs (marked block, backed up first)`
      : `Put ${dir} on PATH in ${file} (marked block, backed up first)`,
    argv: [],
    sudo: false,
    done: () => rcSatisfied(file, change),
    async perform(c) {
      await applyRcChange(file, change, c.now())
    },
  }
}

export const newTerminal = (dir: string) => `Open a new terminal so PATH includes ${dir}.`

/**
 * For a tool installed off PATH: the PATH step, never a reinstall; once the block has the line, only
 * "open a new terminal". null when the tool is on PATH or nowhere.
 */
export async function offPathFix(ctx: Context, tool: string): Promise<Fix | null> {
  const loc = await locateTool(ctx, tool)
  if (!loc?.offPath) return null
  return { steps: loc.offPath.pending ? [] : [pathStep(ctx, loc.offPath.dir)], manual: newTerminal(loc.offPath.dir) }
}
