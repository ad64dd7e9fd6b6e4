// `shipshape render <stack>`: fill a stack's templates with typed values, validate the result and
// write it (atomically; an existing different file only with --force) or print it with --out -, which
// is also the default when stdout is a shell pipe (`shipshape render echo --target k8s | kubectl apply -f -`).

import { fstatSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { join, relative } from 'node:path'
import { newCommand, parseArgs, processIo, type Io } from '../lib/command.js'
import { UsageError } from '../lib/errors.js'
import { addStackOptions, defaultOutDir, prepare, type Prepared, type StackOptions } from '../lib/stacks/prepare.js'
import { planOutputs, rotationWarning, writeOutputs } from '../lib/stacks/output.js'
import type { OutputFile } from '../lib/stacks/render.js'
import { loadStack } from '../lib/stacks/catalog.js'
import { clusterNote } from '../lib/stacks/pod-security.js'
import { runMain } from './run-main.js'

export interface RenderOptions extends StackOptions {
  force?: boolean
  showSecrets?: boolean
  rotateSecrets?: boolean
  params?: boolean
}

export function renderCommand(io: Io) {
  return addStackOptions(newCommand('render', io))
    .description('Render a stack (elasticsearch, mongodb, echo) to docker-compose or Kubernetes files, validated before anything is written.')
    .option('--force', 'replace existing files that differ (a .bak copy is kept)')
    .option('--show-secrets', 'print the generated passwords (and allow a Secret on stdout)')
    .option('--rotate-secrets', 'generate new passwords instead of reusing the kept ones (a data volume keeps its first password)')
    .option('--params', "list the stack's parameters with their types and defaults, and render nothing")
    .addHelpText('after', `
Output: ./shipshape/<stack>/<target>/ unless --out; printed when --out is '-' or stdout is a pipe.
Values: defaults < stacks.<name> in shipshape.yaml < --values files < --set.
Passwords are generated once and kept across renders and prints (.env or the Secret in the output
folder, mode 0600; printing creates them in the default folder); --rotate-secrets replaces them.
Printed output stands alone or is refused: echo's compose output needs its nginx template beside it,
so it is written with --out DIR only.

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
  if (opts.rotateSecrets && hasSecrets) io.stderr.write(`shipshape: warning: ${rotationWarning(name)}\n`)
  if (p.outDir === '-') return printRender(p, opts, io)
  const plan = await planOutputs(p.outDir, p.rendered.files, Boolean(opts.force), Boolean(opts.rotateSecrets))
  const result = await writeOutputs(p.outDir, p.rendered.files, Boolean(opts.force), plan)
  const show = (path: string) => relative(io.cwd, path) || '.'
  for (const path of result.written) io.stdout.write(`wrote ${show(path)}\n`)
  for (const path of result.unchanged) io.stdout.write(`unchanged ${show(path)}\n`)
  for (const path of result.backups) io.stdout.write(`backup ${show(path)}\n`)
  // What the manifest's header says the cluster must allow, where a user who did not open it reads it.
  const note = p.target === 'k8s' ? clusterNote(p.values) : undefined
  if (note) io.stdout.write(`${note.replaceAll('\n# ', '\n')}\n`)
  if (hasSecrets) {
    if (opts.showSecrets) for (const [k, v] of Object.entries(p.rendered.secrets)) io.stdout.write(`${k}=${v}\n`)
    else io.stdout.write(`passwords: ${Object.keys(p.rendered.secrets).join(', ')} (kept in ${p.target === 'compose' ? '.env' : 'the Secret'}, mode 0600; --show-secrets prints them)\n`)
  }
  return 0
}

/**
 * Prints a render that stands on its own, or refuses (exit 2) before printing anything. A compose
 * output that needs a second file (echo's nginx template) cannot go through a pipe: compose v1, which
 * shipshape supports, has no inline `configs: content:`. Passwords are printed only with
 * --show-secrets, and come from the default folder's store (created 0600 on first use), so two
 * prints give the same password and match what `render`/`up` write there.
 */
async function printRender(p: Prepared, opts: RenderOptions, io: Io): Promise<number> {
  const name = p.stack.name
  const printed = p.rendered.files.filter((f) => f.path.endsWith('.yaml') && !f.path.includes('/'))
  const store = p.rendered.files.filter((f) => f.secret && !printed.includes(f))
  const needed = p.rendered.files.filter((f) => !printed.includes(f) && !store.includes(f))
  if (needed.length) {
    throw new UsageError(`the ${p.target} output of ${name} needs ${needed.map((f) => f.path).join(', ')} beside ${printed.map((f) => f.path).join(', ')}, which printed output cannot carry; write it with --out DIR (default ./${relative(io.cwd, defaultOutDir(io.cwd, name, p.target))}) and run it from there`)
  }
  const secretFiles = p.rendered.files.filter((f) => f.secret)
  if (secretFiles.length && !opts.showSecrets) {
    throw new UsageError(`the ${p.target} output of ${name} holds generated passwords; add --show-secrets to print them, or write them with --out DIR`)
  }
  if (secretFiles.length) await keepSecrets(p, secretFiles, opts, io)
  // compose reads ${NAME} from .env; printed alone, the file carries the values themselves.
  const inline = (text: string) => (p.target === 'compose' ? text.replace(/\$\{([A-Z][A-Z0-9_]*)\}/g, (ref, k: string) => (Object.hasOwn(p.rendered.secrets, k) ? p.rendered.secrets[k].replaceAll('$', '$$$$') : ref)) : text)
  io.stdout.write(printed.map((f) => inline(f.text)).join('---\n'))
  return 0
}

/** Creates the password store in the default folder on first use (or on --rotate-secrets); never replaces one silently. */
async function keepSecrets(p: Prepared, files: OutputFile[], opts: RenderOptions, io: Io): Promise<void> {
  const dir = defaultOutDir(io.cwd, p.stack.name, p.target)
  // A store that exists and differs (another render's) is left alone: a conflict here is not an error.
  const plan = await planOutputs(dir, files, false, Boolean(opts.rotateSecrets)).catch((error: unknown) => {
    if (error instanceof UsageError) return null
    throw error
  })
  const show = (path: string) => relative(io.cwd, path)
  const known = [...Object.values(p.known.env), ...Object.values(p.known.k8s).flatMap((s) => Object.values(s))]
  const fresh = Object.values(p.rendered.secrets).some((v) => !known.includes(v))
  const toWrite = plan?.filter((f) => f.existing === undefined || (opts.rotateSecrets && f.existing !== f.file.text)) ?? []
  if (toWrite.length) {
    await writeOutputs(dir, toWrite.map((f) => f.file), false, toWrite)
    io.stderr.write(`shipshape: passwords kept in ${toWrite.map((f) => show(f.path)).join(', ')} (mode 0600); later prints and renders reuse them\n`)
  } else if (fresh && !opts.rotateSecrets) {
    io.stderr.write(`shipshape: warning: ${files.map((f) => show(join(dir, f.path))).join(', ')} holds no password for this render, so these are new and will differ next time; write them with --out DIR to keep them\n`)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
