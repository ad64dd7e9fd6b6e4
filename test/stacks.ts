// Seams for the stack tests: render a stack in memory with given values, secrets masked so golden
// files stay stable, and read a render back the way kubectl and docker-compose v1 do (YAML 1.1).

import { loadStack, type Target } from '../lib/stacks/catalog.js'
import { renderStack, type KnownSecrets, type Rendered } from '../lib/stacks/render.js'
import { applyRules } from '../lib/stacks/rules.js'
import { resolveValues } from '../lib/stacks/values.js'
import { debian12 } from './helpers.js'

export const STACKS = ['echo', 'elasticsearch', 'mongodb'] as const
export const noSecrets = (): KnownSecrets => ({ env: {}, k8s: {} })

export async function renderWith(name: string, target: Target, sets: string[] = [], known = noSecrets()): Promise<Rendered> {
  const stack = await loadStack(name)
  const given = await resolveValues(stack, { sets, cwd: process.cwd() })
  return renderStack(stack, target, applyRules(name, given, debian12).values, known)
}

/** The render as one text, each generated password replaced by <NAME>. */
export function masked(r: Rendered): string {
  let text = r.files.map((f) => `#### ${f.path}\n${f.text}`).join('')
  for (const [name, value] of Object.entries(r.secrets)) text = text.replaceAll(value, `<${name}>`)
  return text
}

export async function readYaml11(text: string): Promise<unknown[]> {
  const { parseAllDocuments } = await import('yaml')
  return parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS({ maxAliasCount: -1 }))
}
