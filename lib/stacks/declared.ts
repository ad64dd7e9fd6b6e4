// What doctor and the checklist need to know of a stack without rendering it: the host ports it
// publishes (with the team's values from shipshape.yaml) and the checks it needs. Read from the
// stack's own templates/<stack>/stack.yaml, the one place that declares them. Our own files, so
// they are parsed without the validation `render` does, which doctor should not pay for.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { projectRoot } from '../paths.js'
import type { Stack } from './catalog.js'

type Declared = Pick<Stack, 'title' | 'needs' | 'params' | 'ports'>

export interface HostPort {
  stack: string
  port: number
  /** What listens there, for messages: "elasticsearch kibana". */
  what: string
}

export interface StackNeeds {
  name: string
  /** Check ids for a laptop (compose), then a cluster (k8s); empty when the stack is unknown. */
  needs: string[]
  known: boolean
}

async function declared(name: string, root: string): Promise<Declared | null> {
  const text = await readFile(join(root, 'templates', name, 'stack.yaml'), 'utf8').catch(() => null)
  if (text === null || !/^[a-z][a-z0-9-]*$/.test(name)) return null
  const { parse } = await import('yaml')
  return parse(text) as Declared
}

async function shippedStacks(root: string): Promise<string[]> {
  const { listStacks } = await import('./catalog.js')
  return listStacks(root)
}

/** Host ports of the stacks in use (every shipped stack's when none is configured), with the team's values. */
export async function hostPorts(inUse: Record<string, Record<string, unknown>>, root = projectRoot): Promise<HostPort[]> {
  const names = Object.keys(inUse).length ? Object.keys(inUse) : await shippedStacks(root)
  const out: HostPort[] = []
  for (const name of names) {
    const stack = await declared(name, root)
    for (const p of stack?.ports ?? []) {
      const port = Number(inUse[name]?.[p.param] ?? stack!.params[p.param]?.default)
      if (Number.isInteger(port)) out.push({ stack: name, port, what: `${name} ${p.service}` })
    }
  }
  return out
}

export async function stackNeeds(names: readonly string[], root = projectRoot): Promise<StackNeeds[]> {
  return Promise.all(
    names.map(async (name) => {
      const stack = await declared(name, root)
      const needs = stack ? [...new Set([...(stack.needs.compose ?? []), ...(stack.needs.k8s ?? [])])] : []
      return { name, needs, known: stack !== null }
    }),
  )
}
