// The stacks shipshape ships: templates/<stack>/stack.yaml declares a stack's parameters (typed, with
// defaults), the host ports it publishes, the doctor checks it needs and which template files make up
// each target. This file loads and checks those declarations; render.ts fills the templates.

import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { UsageError } from '../errors.js'
import { closest } from '../suggest.js'

// The suggester lives in lib/suggest.ts now (commands and check ids use it too); still importable here.
export { closest }
import { projectRoot } from '../paths.js'

export const TARGETS = ['compose', 'k8s'] as const
export type Target = (typeof TARGETS)[number]

export const PARAM_TYPES = ['string', 'int', 'bool', 'port', 'quantity', 'image', 'dns-name', 'dns-subdomain', 'ip', 'host-path', 'enum', 'version'] as const
export type ParamType = (typeof PARAM_TYPES)[number]

export interface Param {
  type: ParamType
  description: string
  /** Absent: the parameter is optional and a slot it fills is left out of the output. */
  default?: string | number | boolean
  values?: string[]
  min?: number
  /** The largest number, or for a dns-name the most characters. */
  max?: number
  /** A regular expression a string must match. */
  pattern?: string
}

export interface PublishedPort {
  param: string
  service: string
  /** Where it answers, with {param} placeholders. */
  url: string
}

export interface TemplateFile {
  file: string
  /** Rendered only when every listed parameter has (one of) these values. */
  when?: Record<string, string | string[]>
}

export interface Stack {
  name: string
  title: string
  dir: string
  targets: Target[]
  needs: Record<Target, string[]>
  secrets: string[]
  params: Record<string, Param>
  ports: PublishedPort[]
  files: Record<Target, TemplateFile[]>
}

export const templatesDir = (root = projectRoot) => join(root, 'templates')

export async function listStacks(root = projectRoot): Promise<string[]> {
  const entries = await readdir(templatesDir(root), { withFileTypes: true })
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()
}

/** Loads a stack by name; an unknown name is a UsageError that suggests the closest one. */
export async function loadStack(name: string, root = projectRoot): Promise<Stack> {
  const known = await listStacks(root)
  if (!known.includes(name)) {
    const near = closest(name, known)
    throw new UsageError(`unknown stack '${name}'.${near ? ` Did you mean '${near}'?` : ''} Stacks: ${known.join(', ')}`)
  }
  const dir = join(templatesDir(root), name)
  const file = join(dir, 'stack.yaml')
  const { z } = await import('zod')
  const { parse } = await import('yaml')
  const scalar = z.union([z.string(), z.number(), z.boolean()])
  const fileEntry = z.union([z.string().transform((file) => ({ file })), z.strictObject({ file: z.string(), when: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional() })])
  const schema = z.strictObject({
    title: z.string(),
    targets: z.array(z.enum(TARGETS)),
    needs: z.strictObject({ compose: z.array(z.string()).default([]), k8s: z.array(z.string()).default([]) }),
    secrets: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).default([]),
    params: z.record(
      z.string().regex(/^[a-z][A-Za-z0-9]*$/),
      z.strictObject({
        type: z.enum(PARAM_TYPES),
        description: z.string(),
        default: scalar.optional(),
        values: z.array(z.string()).optional(),
        min: z.number().optional(),
        max: z.number().optional(),
        pattern: z.string().optional(),
      }),
    ),
    ports: z.array(z.strictObject({ param: z.string(), service: z.string(), url: z.string() })).default([]),
    files: z.strictObject({ compose: z.array(fileEntry).default([]), k8s: z.array(fileEntry).default([]) }),
  })
  // A broken stack.yaml is our bug, not the user's: let it surface as one.
  const data = schema.parse(parse(await readFile(file, 'utf8')))
  return { name, dir, ...data }
}
