// Where a tool is, when the shell cannot find it. The commonest "it doesn't work" on a new machine is
// a tool that is installed but not on PATH: Homebrew on Apple Silicon lives in /opt/homebrew, which
// no shell knows until its `shellenv` line is in the login file; Docker Desktop's CLIs sit in the
// app bundle; kubectl's docs install into ~/.local/bin, which a login shell may not have. So before a
// check says "not installed" (and a fix reinstalls), it looks where the installers put things. System
// folders are read under SHIPSHAPE_HOST_ROOT; folders under HOME are read where HOME is, as the rc
// files are.

import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { brewPrefix } from './provision/homebrew.js'
import { hostPath } from './provision/files.js'
import { rcAddsDir } from './provision/shell-path.js'
import type { Context, Outcome } from './types.js'

export interface ToolLocation {
  /** The executable to run: found on PATH, or in an installer's folder. */
  bin: string
  /** Set when the tool is not on this process's PATH: the folder it is in, and whether the user's rc block already adds it (a new terminal would find it). */
  offPath: { dir: string; pending: boolean } | null
}

/** The folders installers put `tool` in on this platform, as the user would write them. */
export function installDirs(ctx: Pick<Context, 'platform' | 'home'>, tool: string): string[] {
  const home = (p: string) => join(ctx.home, p)
  if (ctx.platform.kind === 'macos') {
    // Homebrew's prefix for this CPU first; /usr/local/bin is also where kubectl's and minikube's
    // docs install by hand, and Intel Homebrew's prefix.
    const dirs = [`${brewPrefix(ctx.platform.arch)}/bin`, '/usr/local/bin', home('.local/bin')]
    if (tool === 'docker' || tool === 'kubectl') dirs.push('/Applications/Docker.app/Contents/Resources/bin', home('.docker/bin'))
    return [...new Set(dirs)]
  }
  // Linux and WSL: kubectl's and minikube's docs install into /usr/local/bin (or ~/.local/bin without
  // root); snap puts its commands in /snap/bin.
  return ['/usr/local/bin', home('.local/bin'), '/snap/bin', '/usr/bin']
}

const isHomeDir = (ctx: Pick<Context, 'home'>, dir: string) => dir === ctx.home || dir.startsWith(`${ctx.home}/`)

/** The tool on PATH, or in an installer's folder that PATH lacks; null when it is nowhere. */
export async function locateTool(ctx: Context, tool: string): Promise<ToolLocation | null> {
  const onPath = await ctx.which(tool)
  if (onPath) return { bin: onPath, offPath: null }
  const pathDirs = new Set((ctx.env.PATH ?? '').split(':').filter(Boolean))
  for (const dir of installDirs(ctx, tool)) {
    if (pathDirs.has(dir)) continue
    const file = join(isHomeDir(ctx, dir) ? dir : hostPath(ctx, dir), tool)
    if (!(await isExecutable(file))) continue
    return { bin: file, offPath: { dir, pending: await rcAddsDir(ctx, dir) } }
  }
  return null
}

async function isExecutable(file: string): Promise<boolean> {
  const s = await stat(file).catch(() => null)
  return s !== null && s.isFile() && (s.mode & 0o111) !== 0
}

/**
 * What a tool check says when the tool is off PATH and nothing puts it there yet: a failure whose fix
 * (through the check's installer table, lib/provision/fixes.ts) is the PATH line, never a reinstall.
 */
export function offPathOutcome(tool: string, loc: ToolLocation, ctx: Pick<Context, 'env'>): Outcome | null {
  if (!loc.offPath || loc.offPath.pending) return null
  return { status: 'fail', summary: offPathSummary(tool, loc)!, details: [`PATH=${ctx.env.PATH ?? ''}`] }
}

/** A check that ran the tool from its folder says so: ok becomes a warning until a new terminal. */
export function pendingPath(tool: string, loc: ToolLocation, outcome: Outcome): Outcome {
  if (!loc.offPath || outcome.status !== 'ok') return outcome
  return { ...outcome, status: 'warn', summary: `${outcome.summary}; ${offPathSummary(tool, loc)}` }
}

/** The words a check uses for a tool found off PATH. */
export function offPathSummary(tool: string, loc: ToolLocation): string | null {
  if (!loc.offPath) return null
  const at = join(loc.offPath.dir, tool)
  return loc.offPath.pending
    ? `${tool} is at ${at}; your shell's start-up file puts ${loc.offPath.dir} on PATH, but this shell started before that: open a new terminal`
    : `${tool} is installed at ${at} but ${loc.offPath.dir} is not on PATH`
}
