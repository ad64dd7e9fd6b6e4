// `shipshape render <stack>`: fill a stack's templates with typed values, validate the result and
// write it (atomically; an existing different file only with --force) or print it with --out -, which
// is also the default when stdout is a shell pipe (`shipshape render echo --target k8s | kubectl apply -f -`).

import { fstatSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { relative } from 'node:path'
import { newCommand, parseArgs, processIo, type Io } from '../lib/command.js'
import { UsageError } from '../lib/errors.js'
import { addStackOptions, prepare, type StackOptions } from '../lib/stacks/prepare.js'
import { writeOutputs } from '../lib/stacks/output.js'
import { loadStack } from '../lib/stacks/catalog.js'
import { runMain } from './run-main.js'

export interface RenderOptions extends StackOptions {
  force?: boolean
  showSecrets?: boolean
  params?: boolean
}

export function renderCommand(io: Io) {
  return addStackOptions(newCommand('render', io))
    .description('Render a stack (elasticsearch, mongodb, echo) to docker-compose or Kubernetes files, validated before anything is written.')
    .option('--force', 'replace existing files that differ (a .bak copy is kept)')
    .option('--show-secrets', 'print the generated passwords (and allow a Secret on stdout)')
    .option('--params', "list the stack's parameters with their types and defaults, and render nothing")
    .addHelpText('after', `
Output: ./shipshape/<stack>/<target>/ unless --out; printed when --out is '-' or stdout is a pipe.
Values: defaults < stacks.<name> in shipshape.yaml < --values files < --set.
Passwords are generated once and kept across renders (.env or the Secret in the output, mode 0600).

Examples:
  shipshape render elasticsearch
  shipshape render echo --params
  shipshape render echo --target k8s --set workload=pod --set serviceType=NodePort --out -
  shipshape render mongodb --values team.yaml --set port=27018`)
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cmd = renderCommand(io)
  parseArgs(cmd, argv)
  const opts = cmd.opts<RenderOptions>()
  return render(cmd.args[0], { ...opts, out: opts.out ?? (stdoutIsPipe(io) ? '-' : undefined) }, io)
}

async function listParams(name: string, io: Io): Promise<number> {
  const stack = await loadStack(name)
  const rows = Object.entries(stack.params).map(([k, p]) => [k, p.type === 'enum' ? (p.values ?? []).join('|') : p.type, p.default === undefined ? '-' : String(p.default), p.description])
  const width = (i: number) => Math.max(...rows.map((r) => r[i].length))
  io.stdout.write(`${stack.title} (${name}); set with --set key=value, --values FILE or stacks.${name} in shipshape.yaml\n\n`)
  for (const r of rows) io.stdout.write(`  ${r[0].padEnd(width(0))}  ${r[1].padEnd(width(1))}  ${r[2].padEnd(width(2))}  ${r[3]}\n`)
  return 0
}

function stdoutIsPipe(io: Io): boolean {
  const fd = (io.stdout as { fd?: unknown }).fd
  try {
    return typeof fd === 'number' && fstatSync(fd).isFIFO()
  } catch {
    return false
  }
}

export async function render(name: string, opts: RenderOptions, io: Io): Promise<number> {
  if (opts.params) return listParams(name, io)
  const p = await prepare(name, opts, io)
  for (const w of p.warnings) io.stderr.write(`shipshape: warning: ${w}\n`)
  const hasSecrets = p.rendered.files.some((f) => f.secret)
  if (p.outDir === '-') {
    const main = p.rendered.files.filter((f) => f.path.endsWith('.yaml') && !f.path.includes('/'))
    if (main.some((f) => f.secret) && !opts.showSecrets) {
      throw new UsageError(`the ${p.target} output of ${name} holds generated passwords; add --show-secrets to print them, or write them with --out DIR`)
    }
    io.stdout.write(main.map((f) => f.text).join('---\n'))
    const rest = p.rendered.files.filter((f) => !main.includes(f))
    if (rest.length) io.stderr.write(`shipshape: not printed (written only with --out DIR): ${rest.map((f) => f.path).join(', ')}\n`)
    return 0
  }
  const result = await writeOutputs(p.outDir, p.rendered.files, Boolean(opts.force))
  const show = (path: string) => relative(io.cwd, path) || '.'
  for (const path of result.written) io.stdout.write(`wrote ${show(path)}\n`)
  for (const path of result.unchanged) io.stdout.write(`unchanged ${show(path)}\n`)
  for (const path of result.backups) io.stdout.write(`backup ${show(path)}\n`)
  if (hasSecrets) {
    if (opts.showSecrets) for (const [k, v] of Object.entries(p.rendered.secrets)) io.stdout.write(`${k}=${v}\n`)
    else io.stdout.write(`passwords: ${Object.keys(p.rendered.secrets).join(', ')} (kept in ${p.target === 'compose' ? '.env' : 'the Secret'}, mode 0600; --show-secrets prints them)\n`)
  }
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
