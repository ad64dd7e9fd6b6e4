// Where the project's own files are: compiled code lives in dist/, templates and package.json beside it.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Env } from './types.js'

/** The project root: dist/lib/paths.js → ../../ */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

/** The program `shipshape` runs: the bundle of scripts/cli.ts that `npm run build` writes (build/bundle.ts). */
export const cliEntry = fileURLToPath(new URL('../../dist/cli/shipshape.js', import.meta.url))

let version: string | undefined
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
  return version
}

/** shipshape's cache folder: $XDG_CACHE_HOME/shipshape, else ~/Library/Caches/shipshape on macOS, else ~/.cache/shipshape. */
export function cacheDir(env: Env, home: string, macos: boolean): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'shipshape')
  return macos ? join(home, 'Library', 'Caches', 'shipshape') : join(home, '.cache', 'shipshape')
}

/** shipshape's data folder (what `shipshape allow` records): $XDG_DATA_HOME/shipshape, else ~/.local/share/shipshape. */
export function dataDir(env: Env, home: string): string {
  return env.XDG_DATA_HOME ? join(env.XDG_DATA_HOME, 'shipshape') : join(home, '.local', 'share', 'shipshape')
}
