// `shipshape allow`: this user read the team's scripts in shipshape.yaml and lets them run (as
// direnv's `allow`); `--revoke` takes that back. What is recorded, and where: lib/team/trust.ts.

import { homedir } from 'node:os'
import { pathToFileURL } from 'node:url'
import { newCommand, parseArgs, processIo, type Io } from '../lib/command.js'
import { CONFIG_FILE, loadConfig } from '../lib/config.js'
import { UsageError } from '../lib/errors.js'
import { allow, revoke, teamScripts } from '../lib/team/trust.js'
import { runMain } from './run-main.js'

export interface AllowOptions {
  config?: string
  revoke?: boolean
}

export function allowCommand(io: Io) {
  return newCommand('allow', io)
    .description("Let the team checks and steps of shipshape.yaml run for you, once you have read their scripts.")
    .option('--config <file>', 'a shipshape.yaml other than ./shipshape.yaml')
    .option('--revoke', 'forget the permission: the team scripts stop running')
    .addHelpText('after', `
What is allowed is the config and every file in the folders holding its scripts, as they are now:
a change to any of them (a pull that edits a check) asks again. The record is yours alone, in
$XDG_DATA_HOME/shipshape (default ~/.local/share/shipshape).

Examples:
  shipshape allow
  shipshape allow --revoke`)
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cmd = allowCommand(io)
  parseArgs(cmd, argv)
  const opts = cmd.opts<AllowOptions>()
  const config = await loadConfig(io.cwd, opts.config)
  if (!config.file) throw new UsageError(`no ${CONFIG_FILE} here: run it where the team's ${CONFIG_FILE} is, or give --config FILE`)
  const home = io.env.HOME || homedir()
  if (opts.revoke) {
    const forgot = await revoke(config, io.env, home)
    io.stdout.write(forgot ? `Revoked: the team scripts of ${config.file} no longer run.\n` : `${config.file} was not allowed; nothing to revoke.\n`)
    return 0
  }
  if (teamScripts(config).length === 0) {
    io.stdout.write(`${config.file} names no team checks or steps: nothing to allow.\n`)
    return 0
  }
  const { files } = await allow(config, io.env, home)
  io.stdout.write(`Allowed ${config.file}: its team checks and steps now run for you, until one of these changes:\n${files.map((f) => `  ${f}`).join('\n')}\n`)
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
