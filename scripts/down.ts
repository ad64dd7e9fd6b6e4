// `shipshape down <stack>`: stop and remove a stack's containers (or Kubernetes objects). Volumes
// (volume claims) are kept unless --volumes, so the data survives a down and up.

import { pathToFileURL } from 'node:url'
import { positiveInt, newCommand, parseArgs, processIo, type Io } from '../lib/command.js'
import { composeDown, k8sDown } from '../lib/stacks/apply.js'
import { addRunOptions, checkNeeds, runOptions, type UpDownOptions } from '../lib/stacks/run-options.js'
import { addStackOptions, prepare } from '../lib/stacks/prepare.js'
import { runMain } from './run-main.js'

export function downCommand(io: Io) {
  return addRunOptions(addStackOptions(newCommand('down', io)), 'stop')
    .description('Stop a stack and remove its containers; volumes are kept unless --volumes.')
    .option('--volumes', 'remove the data volumes (volume claims) too')
    .option('--timeout <ms>', 'bound for stopping, in milliseconds', positiveInt, 120_000)
    .addHelpText('after', `
Examples:
  shipshape down elasticsearch
  shipshape down mongodb --volumes
  shipshape down echo --target k8s --dry-run`)
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cmd = downCommand(io)
  parseArgs(cmd, argv)
  return down(cmd.args[0], cmd.opts<UpDownOptions & { volumes?: boolean }>(), io)
}

export async function down(name: string, opts: UpDownOptions & { volumes?: boolean }, io: Io): Promise<number> {
  const run = { ...runOptions(name, opts), volumes: Boolean(opts.volumes) }
  const p = await prepare(name, { ...opts, out: opts.out === '-' ? undefined : opts.out }, io)
  // Stopping needs the engine or cluster to answer (not free ports, nor a registry); a dry run asks the same.
  if (await checkNeeds(p, opts, io, 'down')) return 1
  return p.target === 'compose' ? composeDown(p, run, io) : k8sDown(p, run, io)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
