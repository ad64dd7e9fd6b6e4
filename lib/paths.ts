// Where the project's own files are: compiled code lives in dist/, templates and package.json beside it.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The project root: dist/lib/paths.js → ../../ */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

/** The program `shipshape` runs: the bundle of scripts/cli.ts that `npm run build` writes (build/bundle.ts). */
export const cliEntry = fileURLToPath(new URL('../../dist/cli/shipshape.js', import.meta.url))

let version: string | undefined
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
  return version
}
