// `shipshape history`: the recent scheduled runs and what changed between them, newest first, so a
// drift (docker-daemon went from ok to fail, kubectl moved from 1.31 to 1.32) shows at a glance.

import { homedir } from 'node:os'
import { pathToFileURL } from 'node:url'
import { InvalidArgumentError } from 'commander'
import { newCommand, Option, parseArgs, processIo, type Io } from '../lib/command.js'
import { diffRuns, historyFile, isRegression, loadHistory, type Change, type HistoryEntry } from '../lib/history.js'
import { painter, wantsColor } from '../lib/report/style.js'
import { runMain } from './run-main.js'

interface HistoryOptions {
  format: 'human' | 'json'
  limit: number
}

const count = (v: string) => {
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`'${v}' is not a positive whole number.`)
  return n
}

export function historyCommand(io: Io) {
  return newCommand('history', io)
    .description('Show recent scheduled runs and what changed between them (status transitions, version moves).')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .option('--limit <n>', 'how many recent runs to show', count, 10)
    .addHelpText('after', `
Runs are recorded by 'shipshape schedule install' in ~/.shipshape/history.jsonl.`)
}

const describe = (c: Change) =>
  c.kind === 'status' ? `${c.id}: ${c.from} → ${c.to}` : c.kind === 'version' ? `${c.id}: version ${c.from} → ${c.to}` : c.kind === 'added' ? `${c.id}: new check (${c.to})` : `${c.id}: no longer checked (was ${c.from})`

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cmd = historyCommand(io)
  parseArgs(cmd, argv)
  const opts = cmd.opts<HistoryOptions>()
  const file = historyFile(io.env.HOME || homedir())
  const { entries: all, skipped } = await loadHistory(file)
  const unreadable = skipped ? `${skipped} unreadable line${skipped > 1 ? 's' : ''} in ${file} skipped (cut short or damaged)` : ''
  const shown = all.slice(-opts.limit)
  // Each run with the changes since the run before it (which may be older than the ones shown).
  const runs = shown.map((run, i) => {
    const before: HistoryEntry | undefined = all[all.length - shown.length + i - 1]
    return { run, changes: before ? diffRuns(before, run) : [] }
  })
  if (opts.format === 'json') {
    io.stdout.write(JSON.stringify({ file, skipped, runs: runs.reverse().map(({ run, changes }) => ({ ...run, changes })) }, null, 2) + '\n')
    return 0
  }
  if (unreadable) io.stderr.write(`shipshape: note: ${unreadable}\n`)
  if (!all.length) {
    io.stdout.write(`No runs recorded yet in ${file}. Record them with: shipshape schedule install\n`)
    return 0
  }
  const paint = painter(wantsColor(io.env, Boolean(io.stdout.isTTY)))
  const out = [`Last ${shown.length} of ${all.length} recorded runs, newest first (${file}):`, '']
  for (const { run, changes } of runs.reverse()) {
    const bad = run.checks.filter((c) => ['fail', 'timeout', 'error'].includes(c.status)).map((c) => c.id)
    const verdict = run.exitCode === 0 ? paint('green', 'ready') : paint('red', 'not ready')
    out.push(`${run.startedAt}  ${verdict}  ${run.checks.length} checks${bad.length ? `, failing: ${bad.join(', ')}` : ''}`)
    if (run.error) out.push(`    ${paint('red', `✗ ${run.error}`)}`)
    for (const c of changes) out.push(`    ${isRegression(c) ? paint('red', `✗ ${describe(c)}`) : `• ${describe(c)}`}`)
  }
  io.stdout.write(out.join('\n') + '\n')
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
