#!/usr/bin/env node
// The `shipshape` executable. It only picks the command and loads that one script, so a command
// pays for its own imports and nothing else; each script parses its own flags.

import module from 'node:module'
import { pathToFileURL } from 'node:url'
import { realpathSync } from 'node:fs'
import { UsageError } from '../lib/errors.js'
import { toolVersion } from '../lib/paths.js'
import { closest, didYouMean } from '../lib/suggest.js'
import type { Io } from '../lib/io.js'
import { runMain, type Main } from './run-main.js'

interface Entry {
  summary: string
  /** Not listed in --help: run by setup.sh, not by people. */
  hidden?: boolean
  /** The command's module: its main, and in the bundle (build/bundle.ts) the runMain that goes with it. */
  load: () => Promise<{ main: Main; runMain?: typeof runMain }>
}

export const COMMANDS: Record<string, Entry> = {
  doctor: { summary: 'check this machine and say what is wrong and the exact fix', load: () => import('./doctor.js') },
  setup: { summary: 'install and configure what doctor finds missing, after showing the plan', load: () => import('./setup.js') },
  render: { summary: 'render a stack (elasticsearch, mongodb, echo) to compose or Kubernetes files', load: () => import('./render.js') },
  up: { summary: 'render a stack, start it and wait until it is healthy', load: () => import('./up.js') },
  down: { summary: 'stop a stack (volumes are kept unless --volumes)', load: () => import('./down.js') },
  checklist: { summary: 'write an onboarding checklist of this machine in Markdown', load: () => import('./checklist.js') },
  schedule: { summary: 'run the checks on a schedule (install, remove, status) and record each run', load: () => import('./schedule.js') },
  history: { summary: 'show recent scheduled runs and what changed between them', load: () => import('./history.js') },
  serve: { summary: 'serve /healthz and /metrics over HTTP for load balancers and Prometheus', load: () => import('./serve.js') },
  init: { summary: 'write a commented shipshape.yaml and an example team check to start from', load: () => import('./init.js') },
  allow: { summary: "let the team checks and steps of shipshape.yaml run, once you have read them", load: () => import('./allow.js') },
  explain: { summary: 'explain a check: what it looks at, why, what each status means, the fix here', load: () => import('./explain.js') },
  completion: { summary: 'print a shell completion script (bash, zsh or fish)', load: () => import('./completion.js') },
  'self-install': { summary: 'install the shipshape command for this user', hidden: true, load: () => import('./self-install.js') },
}

function help(): string {
  const listed = Object.entries(COMMANDS).filter(([, e]) => !e.hidden)
  const width = Math.max(...listed.map(([c]) => c.length))
  const lines = listed.map(([name, e]) => `  ${name.padEnd(width)}  ${e.summary}`)
  return `Usage: shipshape <command> [options]

Gets a machine ready for Docker, Compose, kubectl and minikube, and keeps it that way.

Commands:
${lines.join('\n')}

Run 'shipshape <command> --help' (or 'shipshape help <command>') for a command's options.
Exit codes: 0 ok, 1 a required check or step failed, 2 bad input (nothing changed).
`
}

// Node 22.1 and later keep V8's compiled code for our modules on disk, so the next start skips
// compiling them (the command's modules load after this line); Node 20 has no such cache.
;(module as { enableCompileCache?: () => unknown }).enableCompileCache?.()

const commandNamed = (name: string | undefined): Entry | undefined => (name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined)

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  // `shipshape help doctor` is `shipshape doctor --help`.
  if (name === 'help' && rest.length > 0 && commandNamed(rest[0])) return (await commandNamed(rest[0])!.load()).main(['--help'], io)
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest.length > 0) throw new UsageError(`no command '${rest[0]}'.${didYouMean(rest[0], Object.keys(COMMANDS), ` Commands: ${Object.keys(COMMANDS).join(', ')}`)}`)
    io.stdout.write(help())
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${toolVersion()}\n`)
    return 0
  }
  const entry = commandNamed(name)
  if (!entry && name.startsWith('-')) throw new UsageError(`unknown option '${name}'.${didYouMean(name, ['--help', '--version'], '')} Run 'shipshape --help' for the commands.`)
  if (!entry) {
    const near = closest(name, Object.keys(COMMANDS))
    throw new UsageError(`unknown command '${name}'. ${near ? `Did you mean '${near}'?` : `Commands: ${Object.keys(COMMANDS).join(', ')}`}`)
  }
  return (await entry.load()).main(rest, io)
}

/**
 * Why this node cannot run shipshape, or null. package.json's engines, said at start: on an older
 * node a later step would fail as if it were a bug (process.getBuiltinModule arrived in 20.16,
 * undici needs 20.18).
 */
export function unsupportedNode(version: string): string | null {
  const [major, minor] = version.split('.').map(Number)
  return major > 20 || (major === 20 && minor >= 18) ? null : `needs Node.js 20.18 or later, and this is ${version}: ./setup.sh installs one`
}

// Run when executed, including through npm's bin symlink. A command runs under the handler its own
// module brings, where it brings one: in the bundle each command is a file with its own copy of the
// handler, the error classes and the table of running probes, and those must be one copy.
const invoked = process.argv[1] ? pathToFileURL(realpathSync(process.argv[1])).href : ''
if (import.meta.url === invoked) {
  const tooOld = unsupportedNode(process.versions.node)
  if (tooOld) {
    process.stderr.write(`shipshape: ${tooOld}\n`)
    process.exit(1)
  }
  const [first, ...others] = process.argv.slice(2)
  // `shipshape help doctor` runs as `shipshape doctor --help`, under doctor's own handler.
  const [name, rest] = first === 'help' && commandNamed(others[0]) ? [others[0], ['--help']] : [first, others]
  const entry = commandNamed(name)
  // No top-level await: the bundle is CommonJS (build/bundle.ts).
  if (entry) void entry.load().then((command) => (command.runMain ?? runMain)(command.main, rest))
  else runMain(main)
}
