// `shipshape self-install --node PATH`: what setup.sh runs once shipshape is built, so that `shipshape`
// is a command in every new terminal: the launcher at ~/.local/bin/shipshape, and ~/.local/bin on PATH
// through shipshape's marked block of the shell's start-up file when it is not there yet. Not listed
// in `shipshape --help`: a person runs ./setup.sh, which knows which Node it set up.

import { dirname, isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import { newCommand, parseArgs, processIo, type Io } from '../lib/command.js'
import { createContext } from '../lib/context.js'
import { UsageError } from '../lib/errors.js'
import { installLauncher, stableNodePath } from '../lib/launcher.js'
import { cliEntry } from '../lib/paths.js'
import { newTerminal, pathStep, rcAddsDir } from '../lib/provision/shell-path.js'
import { runMain } from './run-main.js'

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cmd = newCommand('self-install', io)
    .description("Install the `shipshape` command for this user (setup.sh runs this; it names the Node to use).")
    .requiredOption('--node <path>', 'the node executable the launcher runs shipshape with')
  parseArgs(cmd, argv)
  const given = cmd.opts<{ node: string }>().node
  if (!isAbsolute(given)) throw new UsageError(`--node takes an absolute path, not '${given}'`)
  const ctx = await createContext({ env: io.env, cwd: process.cwd() })
  const node = await stableNodePath(given, ctx.env, ctx.home)
  const say = (line: string) => io.stderr.write(`shipshape: ${line}\n`)

  const launcher = await installLauncher(ctx.home, node, cliEntry)
  if (launcher.kind === 'foreign') {
    say(`${launcher.path} exists and is not shipshape's launcher, so it was left alone; run ${cliEntry} with ${node} instead`)
    return 1
  }
  if (launcher.kind === 'written') say(`installed ${launcher.path} (runs ${cliEntry} with ${node})`)

  const bin = dirname(launcher.path)
  const onPath = (ctx.env.PATH ?? '').split(':').includes(bin)
  if (!onPath && !(await rcAddsDir(ctx, bin))) {
    const step = pathStep(ctx, bin)
    await step.perform!(ctx)
    say(`${step.title.replace(/^Put/, 'put')}. ${newTerminal(bin)}`)
  } else if (!onPath) say(newTerminal(bin))
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
