// What render, up and down share: their stack flags, and the one path from those flags to a checked
// render (config → values → the stack's rules → secrets read back → render → validate). Nothing is
// written here; a bad input ends in a UsageError before any file or container is touched.

import { resolve } from 'node:path'
import type { Command } from 'commander'
import { loadConfig } from '../config.js'
import { didYouMean } from '../suggest.js'
import { createContext } from '../context.js'
import { UsageError } from '../errors.js'
import type { Io } from '../command.js'
import type { Context } from '../types.js'
import { loadStack, TARGETS, type Stack, type Target } from './catalog.js'
import { readKnownSecrets } from './output.js'
import { hostForm, renderStack, type KnownSecrets, type Rendered } from './render.js'
import { applyRules } from './rules.js'
import { assertValid } from './validate.js'
import { resolveValues, type Values } from './values.js'

export interface StackOptions {
  target: string
  set?: string[]
  values?: string[]
  out?: string
  config?: string
  /** New passwords instead of the ones kept in the output folder (render and up only). */
  rotateSecrets?: boolean
  /** --offline (up, down): the network checks skip, as network.offline in shipshape.yaml says. */
  offline?: boolean
}

export interface Prepared {
  ctx: Context
  stack: Stack
  target: Target
  values: Values
  rendered: Rendered
  /** Absolute output folder, or '-' for stdout. */
  outDir: string
  warnings: string[]
  /** The passwords read back from the store before this render. */
  known: KnownSecrets
}

const repeat = (value: string, previous: string[] = []) => [...previous, value]

export function addStackOptions(cmd: Command): Command {
  return cmd
    .argument('<stack>', 'elasticsearch, mongodb or echo')
    .option('--target <target>', `what to render to: ${TARGETS.join(' or ')}`, 'compose')
    .option('--set <key=value>', 'set a parameter (repeatable; wins over --values)', repeat)
    .option('--values <file>', 'a YAML file of parameter: value (repeatable; later files win)', repeat)
    .option('--out <dir>', 'output folder (default ./shipshape/<stack>/<target>)')
    .option('--config <file>', 'a shipshape.yaml other than ./shipshape.yaml')
}

export const defaultOutDir = (cwd: string, stack: string, target: string) => resolve(cwd, 'shipshape', stack, target)

export async function prepare(name: string, opts: StackOptions, io: Io): Promise<Prepared> {
  if (!(TARGETS as readonly string[]).includes(opts.target)) throw new UsageError(`unknown target '${opts.target}'.${didYouMean(opts.target, [...TARGETS, 'kubernetes']).replace("'kubernetes'", "'k8s'")} Use ${TARGETS.join(' or ')}.`)
  const target = opts.target as Target
  const stack = await loadStack(name)
  if (!stack.targets.includes(target)) throw new UsageError(`stack ${name} does not render to ${target}`)
  const config = await loadConfig(io.cwd, opts.config)
  const ctx = await createContext({ env: io.env, cwd: io.cwd, config, offline: opts.offline })
  const given = await resolveValues(stack, { config, valuesFiles: opts.values, sets: opts.set, cwd: io.cwd })
  const { values, warnings } = applyRules(stack.name, given, ctx.platform)
  const outDir = opts.out === '-' ? '-' : opts.out ? resolve(io.cwd, opts.out) : defaultOutDir(io.cwd, name, target)
  // Printing reads (and render creates) the passwords in the default folder, so every print and
  // every written render agree; only --rotate-secrets starts afresh.
  const known = opts.rotateSecrets ? { env: {}, k8s: {} } : await readKnownSecrets(stack, target, outDir === '-' ? defaultOutDir(io.cwd, name, target) : outDir)
  const rendered = await renderStack(stack, target, values, known)
  await assertValid(rendered, target, ctx)
  return { ctx, stack, target, values, rendered, outDir, warnings, known }
}

/** A published port's URL with its {param} placeholders filled. */
export function urlsOf(p: Pick<Prepared, 'stack' | 'values'>): Array<{ service: string; url: string }> {
  return p.stack.ports.map((port) => ({
    service: port.service,
    url: port.url.replace(/\{(\w+)\}/g, (_, k: string) => (p.stack.params[k]?.type === 'ip' ? hostForm(p.stack.params[k], p.values[k] ?? '') : encodeURIComponent(String(p.values[k] ?? '')))),
  }))
}
