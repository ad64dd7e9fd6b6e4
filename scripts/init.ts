// `shipshape init`: a commented shipshape.yaml for this machine and an example team check in zx,
// never over a file that is there; then what to do next.

import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { stageFile } from '../lib/atomic-write.js'
import { newCommand, parseArgs, processIo, type Io } from '../lib/command.js'
import { CONFIG_FILE } from '../lib/config.js'
import { UsageError } from '../lib/errors.js'
import { exists } from '../lib/provision/files.js'
import { detectPlatform } from '../lib/platform.js'
import { shippedStacks } from '../lib/stacks/declared.js'
import { EXAMPLE_CHECK, EXAMPLE_SCRIPT, initConfig } from '../lib/team/init-files.js'
import { runMain } from './run-main.js'

export function initCommand(io: Io) {
  return newCommand('init', io)
    .description('Write a commented shipshape.yaml for this machine and an example team check (.shipshape/checks/example.mjs).')
    .addHelpText('after', `
Neither file is overwritten: if one is there, nothing is written (exit 2).
The stacks rendered under ./shipshape/ go in the config's stacks.

Examples:
  shipshape init && shipshape allow && shipshape doctor`)
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  parseArgs(initCommand(io), argv)
  const files = [CONFIG_FILE, EXAMPLE_CHECK]
  for (const f of files) {
    if (await exists(join(io.cwd, f))) throw new UsageError(`${join(io.cwd, f)} is there already; init does not overwrite it, and wrote nothing`)
  }
  const hostRoot = io.env.SHIPSHAPE_HOST_ROOT || '/'
  const platform = await detectPlatform({ hostRoot, env: io.env, arch: io.env.SHIPSHAPE_ARCH || process.arch })
  // render writes ./shipshape/<stack>/<target>/: the stacks this machine already uses.
  const known = await shippedStacks()
  const rendered = await readdir(join(io.cwd, 'shipshape'), { withFileTypes: true }).catch(() => [])
  const stacks = rendered.filter((d) => d.isDirectory() && known.includes(d.name)).map((d) => d.name).sort()
  // Both written in full before either is put in place: a full disk leaves neither.
  const staged = [
    await stageFile(join(io.cwd, CONFIG_FILE), await initConfig(stacks, platform)),
    await stageFile(join(io.cwd, EXAMPLE_CHECK), EXAMPLE_SCRIPT),
  ]
  for (const s of staged) await s.commit()
  io.stdout.write(`Wrote ${CONFIG_FILE}${stacks.length ? ` (stacks: ${stacks.join(', ')})` : ''} and ${EXAMPLE_CHECK}.

Next:
  1. Read both, and make the example check your team's own (README: "Team checks").
  2. shipshape allow     let the team checks in ${CONFIG_FILE} run for you
  3. shipshape doctor
  4. Commit ${CONFIG_FILE} and .shipshape/ (not ./shipshape/: render's output holds passwords).
`)
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
