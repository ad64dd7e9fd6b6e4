// What doctor and the checklist need to know of a stack without rendering it: the host ports it
// publishes (with the team's values from shipshape.yaml) and the checks it needs. Read from the
// stack's own templates/<stack>/stack.yaml, the one place that declares them. Our own files, so
// they are parsed without the validation `render` does, which doctor should not pay for; and since
// loading a YAML parser costs doctor more than all its other work on a warm run, `npm run build`
// also writes them as JSON (dist/stacks.json), used while each stack.yaml is unchanged.

import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { projectRoot } from '../paths.js'
import type { Platform } from '../types.js'
import type { Stack } from './catalog.js'
import type { Values } from './values.js'

type Declared = Pick<Stack, 'title' | 'needs' | 'params' | 'ports'>

export interface HostPort {
  stack: string
  port: number
  /** What listens there, for messages: "elasticsearch kibana". */
  what: string
  /** The stack parameter that sets it ("port", "kibanaPort"), for the fix's stacks.<stack>.<param>. */
  param?: string
}

export interface StackNeeds {
  name: string
  /** Check ids for a laptop (compose), then a cluster (k8s); empty when the stack is unknown. */
  needs: string[]
  known: boolean
}

export const INDEX_FILE = 'dist/stacks.json'

interface IndexEntry {
  /** size and mtime of stack.yaml when it was read */
  id: string
  stack: Declared
}

const stackFile = (root: string, name: string) => join(root, 'templates', name, 'stack.yaml')
const identity = (path: string) => stat(path).then((s) => `${s.size}|${s.mtimeMs}`, () => null)

/** A shipped stack's declarations (from the index while its stack.yaml is unchanged), or null. */
export async function declaredStack(name: string, root = projectRoot): Promise<Declared | null> {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return null
  const file = stackFile(root, name)
  const [index, id] = await Promise.all([readIndex(root), identity(file)])
  if (id === null) return null
  if (index[name]?.id === id) return index[name].stack
  return parseStackFile(file)
}

async function parseStackFile(file: string): Promise<Declared | null> {
  const text = await readFile(file, 'utf8').catch(() => null)
  if (text === null) return null
  const { parse } = await import('yaml')
  const { title, needs, params, ports } = parse(text) as Declared
  return { title, needs, params, ports }
}

let indexes = new Map<string, Promise<Record<string, IndexEntry>>>()
function readIndex(root: string): Promise<Record<string, IndexEntry>> {
  if (!indexes.has(root)) {
    indexes.set(root, readFile(join(root, INDEX_FILE), 'utf8').then((t) => JSON.parse(t) as Record<string, IndexEntry>, () => ({})))
  }
  return indexes.get(root)!
}

/** Writes dist/stacks.json from the templates (run by `npm run build`). */
export async function writeIndex(root = projectRoot): Promise<string> {
  const { writeFileAtomic } = await import('../atomic-write.js')
  const index: Record<string, IndexEntry> = {}
  for (const name of await shippedStacks(root)) {
    const file = stackFile(root, name)
    const [id, stack] = await Promise.all([identity(file), parseStackFile(file)])
    if (id && stack) index[name] = { id, stack }
  }
  indexes = new Map()
  return (await writeFileAtomic(join(root, INDEX_FILE), JSON.stringify(index) + '\n')).path
}

export async function shippedStacks(root = projectRoot): Promise<string[]> {
  const { listStacks } = await import('./catalog.js')
  return listStacks(root)
}

/** Host ports of the stacks in use (every shipped stack's when none is configured), with the team's values. */
export async function hostPorts(inUse: Record<string, Record<string, unknown>>, root = projectRoot): Promise<HostPort[]> {
  const names = Object.keys(inUse).length ? Object.keys(inUse) : await shippedStacks(root)
  const out: HostPort[] = []
  for (const name of names) {
    const stack = await declaredStack(name, root)
    for (const p of stack?.ports ?? []) {
      const port = Number(inUse[name]?.[p.param] ?? stack!.params[p.param]?.default)
      if (Number.isInteger(port)) out.push({ stack: name, port, what: `${name} ${p.service}`, param: p.param })
    }
  }
  return out
}

/** A parameter of a stack in use: the team's value, else the stack's default; undefined when unknown. */
export async function stackValue(name: string, param: string, inUse: Record<string, Record<string, unknown>>, root = projectRoot): Promise<unknown> {
  if (inUse[name]?.[param] !== undefined) return inUse[name][param]
  return (await declaredStack(name, root))?.params[param]?.default
}

export async function stackNeeds(names: readonly string[], root = projectRoot): Promise<StackNeeds[]> {
  return Promise.all(
    names.map(async (name) => {
      const stack = await declaredStack(name, root)
      const needs = stack ? [...new Set([...(stack.needs.compose ?? []), ...(stack.needs.k8s ?? [])])] : []
      return { name, needs, known: stack !== null }
    }),
  )
}

export interface StackImage {
  stack: string
  image: string
}

/**
 * The images the stacks in use run, with the team's values: the `image` parameters, and what the
 * stack's rules derive (Elasticsearch's image from its version). A value the rules refuse is for
 * `render` to report; here the parameters as given still name the images.
 */
export async function stackImages(inUse: Record<string, Record<string, unknown>>, platform: Platform, root = projectRoot): Promise<StackImage[]> {
  const out: StackImage[] = []
  for (const name of Object.keys(inUse)) {
    const stack = await declaredStack(name, root)
    if (!stack) continue
    const values: Values = {}
    for (const [param, p] of Object.entries(stack.params)) if (p.default !== undefined) values[param] = p.default
    for (const [param, v] of Object.entries(inUse[name] ?? {})) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[param] = v
    const { applyRules } = await import('./rules.js')
    let derived = values
    try {
      derived = applyRules(name, values, platform).values
    } catch {
      // keep the values as given
    }
    const images = Object.entries(stack.params).filter(([, p]) => p.type === 'image').map(([param]) => derived[param])
    for (const image of new Set(images)) if (typeof image === 'string' && image) out.push({ stack: name, image })
  }
  return out
}
