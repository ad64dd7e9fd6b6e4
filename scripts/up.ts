// `shipshape up <stack>`: render (as `render` does), check what the stack needs, start it, and wait
// until it is healthy, within --timeout. Prints where it answers; a stack that does not come up fails
// with the last log lines of what did not.

import { pathToFileURL } from 'node:url'
import { positiveInt, newCommand, parseArgs, processIo, type Io } from '../lib/command.js'
import { composeUp, downCommandFor, k8sUp } from '../lib/stacks/apply.js'
import { addRunOptions, checkNeeds, runOptions, type UpDownOptions } from '../lib/stacks/run-options.js'
import { addStackOptions, prepare } from '../lib/stacks/prepare.js'
import { describePlan, planOutputs, rotationWarning, writeOutputs } from '../lib/stacks/output.js'
import { runMain } from './run-main.js'

export function upCommand(io: Io) {
  return addRunOptions(addStackOptions(newCommand('up', io)))
    .description('Render a stack, check what it needs, start it and wait until it is healthy.')
    .option('--timeout <ms>', 'how long to wait for the stack to be healthy, in milliseconds', positiveInt, 300_000)
    .option('--force', 'replace rendered files that differ (a .bak copy is kept)')
    .option('--rotate-secrets', 'generate new passwords instead of reusing the kept ones (a data volume keeps its first password)')
    .addHelpText('after', `
Examples:
  shipshape up elasticsearch
  shipshape up echo --set port=8081 --timeout 60000
  shipshape up echo --target k8s --set serviceType=NodePort
  shipshape up mongodb --dry-run

Before anything is written or started, every check the stack needs for the target (stack.yaml's
needs: the daemon, compose, free ports, vm.max_map_count for Elasticsearch, a reachable cluster for
k8s) must be ok; a warning refuses too, with its fix. --no-checks skips them. --dry-run runs the same
checks and file comparison and exits with the code the real run would.`)
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cmd = upCommand(io)
  parseArgs(cmd, argv)
  return up(cmd.args[0], cmd.opts<UpDownOptions & { force?: boolean }>(), io)
}

export async function up(name: string, opts: UpDownOptions & { force?: boolean }, io: Io): Promise<number> {
  const run = runOptions(name, opts)
  const p = await prepare(name, { ...opts, out: opts.out === '-' ? undefined : opts.out }, io)
  for (const w of p.warnings) io.stderr.write(`shipshape: warning: ${w}\n`)
  // A dry run takes every step the real run takes up to the first change, so it refuses (and exits)
  // exactly where the real run would: a differing file first (exit 2), then the stack's needs (exit 1).
  const plan = await planOutputs(p.outDir, p.rendered.files, Boolean(opts.force), Boolean(opts.rotateSecrets))
  if (opts.rotateSecrets && p.rendered.files.some((f) => f.secret)) io.stderr.write(`shipshape: warning: ${rotationWarning(name, downCommandFor(p, run.project).slice(3))}\n`)
  if (await checkNeeds(p, opts, io)) return 1
  if (run.dryRun) for (const line of describePlan(plan)) io.stdout.write(`# ${line}\n`)
  else await writeOutputs(p.outDir, p.rendered.files, Boolean(opts.force), plan)
  return p.target === 'compose' ? composeUp(p, run, io) : k8sUp(p, run, io)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
