// The real CLI on a pseudo-terminal, as a person at a terminal runs it: util-linux `script` gives the
// child a pty (Ctrl-C written to it becomes SIGINT for the foreground process, as at a keyboard).
// With its own stdin a pipe, script makes a pty that reports 0 rows and 0 columns.

import { spawn } from 'node:child_process'
import { readdir, readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { shellLine } from '../lib/probe.js'
import { cliPath } from './helpers.js'

export interface PtyRun {
  output(): string
  /** Types at the terminal: '\x03' is Ctrl-C, '\x04' Ctrl-D. */
  type(keys: string): void
  /** Waits (bounded: 400 looks, 50 ms apart) for the output to match. */
  waitFor(re: RegExp): Promise<void>
  /** script -e: the CLI's own exit code. */
  exited: Promise<number | null>
}

export function cliOnPty(args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string }): PtyRun {
  const child = spawn('script', ['-qfec', shellLine([process.execPath, cliPath, ...args]), '/dev/null'], { env: opts.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {
    output: () => out,
    type: (keys) => void child.stdin.write(keys),
    async waitFor(re) {
      for (let i = 0; i < 400 && !re.test(out); i++) await sleep(50)
      if (!re.test(out)) {
        child.kill('SIGKILL')
        throw new Error(`never saw ${re} in:\n${out}`)
      }
    },
    exited,
  }
}

/** Pids of live processes named `comm` whose environment holds `marker` (NAME=value), zombies excluded. */
export async function processesWith(marker: string, comm: string): Promise<number[]> {
  const out: number[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const [environ, stat] = await Promise.all([readFile(`/proc/${name}/environ`).catch(() => null), readFile(`/proc/${name}/stat`, 'utf8').catch(() => '')])
    // stat: "pid (comm) state …"
    const [, command, state] = /^\d+ \((.*)\) (\S)/.exec(stat) ?? []
    if (command === comm && state !== 'Z' && environ?.toString('utf8').split('\0').includes(marker)) out.push(Number(name))
  }
  return out
}

/** Looks (bounded) until a process named `comm` with `marker` runs; its pids. */
export async function untilRunning(marker: string, comm: string): Promise<number[]> {
  for (let i = 0; i < 400; i++) {
    const pids = await processesWith(marker, comm)
    if (pids.length) return pids
    await sleep(50)
  }
  throw new Error(`no ${comm} with ${marker} started`)
}
