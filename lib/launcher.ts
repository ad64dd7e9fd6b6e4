// The `shipshape` command on a user's PATH: setup.sh installs a small launcher at ~/.local/bin/shipshape
// that runs this clone with the Node it was set up with. A Node that setup.sh downloaded lives in
// shipshape's data folder, one folder per version, with `current` linking to the one in use; the
// launcher and scheduled jobs name `current`, so they survive a NODE_VERSION bump in setup.sh.

import { realpath } from 'node:fs/promises'
import { join, relative, isAbsolute } from 'node:path'
import { writeFileAtomic } from './atomic-write.js'
import { readBoundedOrNull } from './bounded-read.js'
import { shWord } from './model/shell-quote.js'
import type { Env } from './types.js'

/** Where setup.sh unpacks its own Node: ${XDG_DATA_HOME:-~/.local/share}/shipshape/node. */
export function privateNodeRoot(env: Env, home: string): string {
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'shipshape', 'node')
}

/**
 * The node to name in a launcher or a scheduled job: for setup.sh's own Node, the path through the
 * `current` link (a versioned path disappears when setup.sh moves to a newer Node); any other as given.
 */
export async function stableNodePath(node: string, env: Env, home: string): Promise<string> {
  const root = privateNodeRoot(env, home)
  const inside = relative(root, node)
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) return node
  const current = join(root, 'current', 'bin', 'node')
  const [a, b] = await Promise.all([realpath(node).catch(() => null), realpath(current).catch(() => null)])
  return a !== null && a === b ? current : node
}

export const launcherPath = (home: string) => join(home, '.local', 'bin', 'shipshape')

const MARK = "# shipshape's launcher, written by setup.sh"

export function launcherText(node: string, entry: string): string {
  return `#!/bin/sh
${MARK}: runs the shipshape clone it names with the Node it was set up with.
# Run ./setup.sh again to rewrite it; delete this file to remove the command.
exec ${shWord(node, 'the node path')} ${shWord(entry, "shipshape's path")} "$@"
`
}

export interface LauncherResult {
  kind: 'written' | 'unchanged' | 'foreign'
  path: string
}

/** Writes the launcher (0755, atomically), never over a file that is not one of ours. */
export async function installLauncher(home: string, node: string, entry: string): Promise<LauncherResult> {
  const path = launcherPath(home)
  const text = launcherText(node, entry)
  // Anything there that is not a small file of ours (another tool's shipshape, a pipe, a folder) stays.
  const old = await readBoundedOrNull(path, 64 * 1024).catch(() => '')
  if (old === text) return { kind: 'unchanged', path }
  if (old !== null && !old.includes(MARK)) return { kind: 'foreign', path }
  await writeFileAtomic(path, text, { mode: 0o755, forceMode: true })
  return { kind: 'written', path }
}
