// A team's shipshape.yaml: which checks are required, version floors, bounds, the stacks it uses and
// the download sources (a team mirror). Optional: with no file, the embedded defaults serve.
// Every error names file:line:column, because a config is edited by hand and read by tired people.

import { resolve } from 'node:path'
import { UsageError, located, preview } from './errors.js'
import { BoundError, readBoundedFile } from './bounded-read.js'
import { MAX_YAML_BYTES, parseYamlInput, toJsBounded } from './yaml-input.js'

export interface CheckSettings {
  required?: boolean
  timeoutMs?: number
  enabled?: boolean
}

export interface ConfigData {
  /** Default bound per check, in milliseconds. */
  timeoutMs?: number
  checks: Record<string, CheckSettings>
  /** Version floors as semver ranges, keyed by tool (docker, compose, kubectl, minikube). */
  versions: Record<string, string>
  /** The stacks this team uses, each with its parameter values. */
  stacks: Record<string, Record<string, unknown>>
  /** Download sources by name, to point installers at a mirror. */
  sources: Record<string, string>
}

export interface Config {
  /** The file it came from, or null for the embedded defaults. */
  file: string | null
  data: ConfigData
  /** "file:line:col" of a value in the file, for messages about it. */
  where(path: readonly (string | number)[], at?: 'key' | 'value'): string
}

export const CONFIG_FILE = 'shipshape.yaml'

export function emptyConfig(): Config {
  return { file: null, data: { checks: {}, versions: {}, stacks: {}, sources: {} }, where: () => 'defaults' }
}

/**
 * Loads `explicit` (must exist) or ./shipshape.yaml (may not). Throws UsageError for anything a user
 * must fix, naming the place.
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<Config> {
  const file = resolve(cwd, explicit ?? CONFIG_FILE)
  let text: string
  try {
    text = await readBoundedFile(file, MAX_YAML_BYTES)
  } catch (error) {
    if (error instanceof BoundError) throw new UsageError(error.message)
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && !explicit) return emptyConfig()
    throw new UsageError(`${file}: cannot read the config file (${code ?? (error as Error).message})`)
  }
  return parseConfig(text, file)
}

export async function parseConfig(text: string, file: string): Promise<Config> {
  const [{ isMap, isPair, isScalar }, { z }] = await Promise.all([import('yaml'), import('zod')])
  // Bounded first: size, duplicate keys, then (below) alias expansion; every refusal names file:line:col.
  const parsed0 = await parseYamlInput(text, file)
  const { doc, lineCounter } = parsed0

  // Find the node a path points at; for a key that should not be there, point at the key itself.
  const where = (path: readonly (string | number)[], at: 'key' | 'value' = 'value'): string => {
    let node: unknown = doc.contents
    let offset: number | undefined = (doc.contents as { range?: number[] } | null)?.range?.[0]
    for (const [i, key] of path.entries()) {
      if (!isMap(node)) break
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key))
      if (!pair) break
      offset = (pair.key as { range?: number[] }).range?.[0] ?? offset
      node = pair.value
      if (at === 'value' || i < path.length - 1) offset = (node as { range?: number[] } | null)?.range?.[0] ?? offset
    }
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset)
    return located(file, pos?.line, pos?.col, '').replace(/: $/, '')
  }

  const duration = z.number().int().positive().max(600_000)
  const schema = z.strictObject({
    timeoutMs: duration.optional(),
    checks: z.record(z.string(), z.strictObject({ required: z.boolean().optional(), timeoutMs: duration.optional(), enabled: z.boolean().optional() }).nullable()).default({}),
    versions: z.record(z.string(), z.string()).default({}),
    stacks: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).default({}),
    sources: z.record(z.string(), z.url()).default({}),
  })
  const raw = (await toJsBounded(parsed0)) ?? {}
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : []
    const field = [...path, ...keys.slice(0, 1)]
    const message = keys.length ? `unknown field '${keys[0]}'` : `${field.join('.') || 'config'}: ${issue.message}`
    throw new UsageError(`${where(field, keys.length ? 'key' : 'value')}: ${message}`)
  }
  const data = parsed.data
  const { validRange } = await import('semver')
  for (const [tool, range] of Object.entries(data.versions)) {
    if (!validRange(range)) throw new UsageError(`${where(['versions', tool])}: versions.${tool}: '${preview(range)}' is not a semver range (try ">=1.30")`)
  }
  return {
    file,
    where,
    data: {
      timeoutMs: data.timeoutMs,
      checks: Object.fromEntries(Object.entries(data.checks).map(([k, v]) => [k, v ?? {}])),
      versions: data.versions,
      stacks: Object.fromEntries(Object.entries(data.stacks).map(([k, v]) => [k, v ?? {}])),
      sources: data.sources,
    },
  }
}
