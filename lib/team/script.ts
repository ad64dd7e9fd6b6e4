// How a team's script runs: a .mjs or .js file in a child node with shipshape's zx preloaded
// (zx-preload.ts), anything else as an executable. Always through the probe, so each runs in its
// own process group within its bound (killed with its group), stdin closed, output bounded, and
// cwd the config's folder: a script's process.exit or cd() cannot touch shipshape.

import { extname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { projectRoot } from '../paths.js'

/** The argv that runs `file` (relative to `dir`, the config's folder). */
export function scriptArgv(dir: string, file: string): string[] {
  const path = resolve(dir, file)
  if (isNodeScript(path)) return [process.execPath, '--import', preloadUrl(), path]
  return [path]
}

export function isNodeScript(path: string): boolean {
  return ['.mjs', '.js'].includes(extname(path))
}

function preloadUrl(): string {
  return pathToFileURL(join(projectRoot, 'dist/lib/team/zx-preload.js')).href
}
