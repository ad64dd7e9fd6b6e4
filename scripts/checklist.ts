// `shipshape checklist`: an onboarding checklist of this machine in Markdown, to print or keep in a
// file. With --output, a re-run updates the generated block and keeps the notes a person added.

import { readBeforeReplacing } from '../lib/bounded-read.js'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { registry } from '../checks/index.js'
import { writeFileAtomic } from '../lib/atomic-write.js'
import { mergeChecklist } from '../lib/checklist-file.js'
import { collect } from '../lib/collect.js'
import { csv, newCommand, parseArgs, positiveInt, processIo, type Io } from '../lib/command.js'
import { render } from '../lib/report/index.js'
import { openItems } from '../lib/report/markdown.js'
import { runMain } from './run-main.js'

interface ChecklistOptions {
  output?: string
  title?: string
  config?: string
  only?: string[]
  skip?: string[]
  timeout?: number
  offline?: boolean
}

export function checklistCommand(io: Io) {
  return newCommand('checklist', io)
    .description('Write an onboarding checklist of this machine in Markdown: every check with its version, the fix under each open item, and the stacks the team uses.')
    .option('--output <file>', 'write (or update) this file instead of printing; notes below the generated block are kept')
    .option('--title <title>', 'heading of the checklist', 'Machine checklist')
    .option('--config <file>', 'a shipshape.yaml other than ./shipshape.yaml')
    .option('--only <ids>', 'check only these (comma-separated)', csv)
    .option('--skip <ids>', 'leave these out (comma-separated)', csv)
    .option('--timeout <ms>', 'bound for every check, in milliseconds', positiveInt)
    .option('--offline', 'skip the network checks (registries, proxy, clock); network.offline in shipshape.yaml says the same')
    .addHelpText('after', `
Exits 0 once the checklist is written, whatever it found (open items are the point of it);
'shipshape doctor' gives the verdict as an exit code.

Examples:
  shipshape checklist > ONBOARDING.md
  shipshape checklist --output ONBOARDING.md --title "Alice's laptop"`)
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cmd = checklistCommand(io)
  parseArgs(cmd, argv)
  const opts = cmd.opts<ChecklistOptions>()
  const { report, config } = await collect(registry, { env: io.env, cwd: io.cwd, config: opts.config, only: opts.only, skip: opts.skip, timeout: opts.timeout, offline: opts.offline })
  const block = await render('markdown', report, { verbose: false, color: false, title: opts.title, stacks: Object.keys(config.data.stacks) })
  if (!opts.output) {
    io.stdout.write(block)
    return 0
  }
  const file = resolve(io.cwd, opts.output)
  const existing = await readBeforeReplacing(file)
  const { backup } = await writeFileAtomic(file, mergeChecklist(existing, block), { backup: existing !== null, dirMode: 0o755 })
  const open = openItems(report).length
  io.stdout.write(`${existing === null ? 'Wrote' : 'Updated'} ${opts.output}: ${open} open item${open === 1 ? '' : 's'}${backup ? ` (previous version in ${opts.output}.bak)` : ''}\n`)
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
