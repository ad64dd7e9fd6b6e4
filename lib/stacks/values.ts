// A stack's parameter values, merged in one order: defaults < the team's shipshape.yaml
// (stacks.<name>) < each --values FILE (later wins) < each --set key=value (later wins).
// Every value is checked against its parameter's type where it comes in, so an error names the file,
// line and column (or the --set flag) and the parameter; nothing is rendered from a bad value.

import { isIPv4, isIPv6 } from 'node:net'
import { resolve } from 'node:path'
import { UsageError, preview } from '../errors.js'
import { BoundError, readBoundedFile } from '../bounded-read.js'
import { MAX_YAML_BYTES, parseYamlInput } from '../yaml-input.js'
import type { Config } from '../config.js'
import type { Param, Stack } from './catalog.js'
import { closest } from '../suggest.js'

export type Value = string | number | boolean
/** Resolved values; an optional parameter nobody set is absent. */
export type Values = Record<string, Value>

export interface ValueSources {
  config?: Config
  valuesFiles?: string[]
  sets?: string[]
  cwd: string
}

export async function resolveValues(stack: Stack, sources: ValueSources): Promise<Values> {
  const values: Values = {}
  for (const [name, param] of Object.entries(stack.params)) {
    if (param.default !== undefined) values[name] = coerce(stack, name, param.default, `templates/${stack.name}/stack.yaml`)
  }
  const fromConfig = sources.config?.data.stacks[stack.name] ?? {}
  for (const [name, raw] of Object.entries(fromConfig)) {
    const where = sources.config!.where(['stacks', stack.name, name])
    values[name] = coerce(stack, name, raw, where)
  }
  for (const file of sources.valuesFiles ?? []) Object.assign(values, await readValuesFile(stack, resolve(sources.cwd, file)))
  for (const set of sources.sets ?? []) {
    const eq = set.indexOf('=')
    if (eq <= 0) throw new UsageError(`--set '${set}': expected key=value`)
    const name = set.slice(0, eq)
    // A control character (refused below) is shown escaped, not printed raw into the message.
    values[name] = coerce(stack, name, set.slice(eq + 1), `--set ${CONTROL.test(set) ? JSON.stringify(set) : set}`)
  }
  return values
}

async function readValuesFile(stack: Stack, file: string): Promise<Values> {
  let text: string
  try {
    text = await readBoundedFile(file, MAX_YAML_BYTES)
  } catch (error) {
    if (error instanceof BoundError) throw new UsageError(error.message)
    throw new UsageError(`${file}: cannot read the values file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  const { isMap, isPair, isScalar } = await import('yaml')
  const { doc, at } = await parseYamlInput(text, file)
  if (doc.contents === null) return {}
  if (!isMap(doc.contents)) throw new UsageError(at(doc.contents.range?.[0], 'a values file is a mapping of parameter: value'))
  const values: Values = {}
  for (const pair of doc.contents.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue
    const name = String(pair.key.value)
    const where = at(pair.key.range?.[0], '').replace(/: $/, '')
    const node = pair.value
    if (!isScalar(node)) throw new UsageError(`${where}: parameter '${name}': expected a single value, not a list or mapping`)
    values[name] = coerce(stack, name, node.value, where, node.range ? text.slice(node.range[0], node.range[1]) : undefined)
  }
  return values
}

/**
 * Checks one incoming value against its parameter and returns it typed; throws UsageError naming `where`.
 * Only the stack's name and parameters are read, so config.ts checks shipshape.yaml with the
 * declarations from the build's index, without loading the templates.
 */
export function coerce(stack: Pick<Stack, 'name' | 'params'>, name: string, raw: unknown, where: string, written?: string): Value {
  const param = Object.hasOwn(stack.params, name) ? stack.params[name] : undefined
  if (!param) {
    const near = closest(name, Object.keys(stack.params))
    throw new UsageError(`${where}: unknown parameter '${name}' for stack ${stack.name}.${near ? ` Did you mean '${near}'?` : ''} Parameters: ${Object.keys(stack.params).join(', ')}`)
  }
  const fail = (expected: string): never => {
    throw new UsageError(`${where}: parameter '${name}': expected ${expected}, got ${typeof raw === 'string' ? JSON.stringify(preview(raw)) : JSON.stringify(raw)}`)
  }
  if (raw === '' || raw === null || raw === undefined) fail('a value (an empty one is not allowed)')
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : undefined
  // A newline, tab or escape in a value ends up in an environment variable, a label or a file name,
  // where it breaks the engine's or the cluster's parsing, or hides what the terminal shows.
  const control = text === undefined ? null : CONTROL.exec(text)
  if (control) {
    throw new UsageError(`${where}: parameter '${name}': control characters are not allowed (found U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`)
  }
  switch (param.type) {
    case 'bool':
      if (typeof raw === 'boolean') return raw
      if (raw === 'true' || raw === 'false') return raw === 'true'
      return fail('true or false')
    case 'int':
    case 'port': {
      const n = typeof raw === 'number' ? raw : text !== undefined && /^-?\d+$/.test(text) ? Number(text) : NaN
      if (!Number.isSafeInteger(n)) fail('a whole number')
      const [min, max] = param.type === 'port' ? [param.min ?? 1, param.max ?? 65535] : [param.min, param.max]
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) fail(`a ${param.type === 'port' ? 'port' : 'number'} from ${min ?? '-∞'} to ${max ?? '∞'}`)
      return n
    }
    case 'quantity':
      if (text === undefined || !QUANTITY.test(text)) fail('a quantity such as 512Mi, 2Gi or 1000000000')
      return text!
    case 'image':
      if (typeof raw !== 'string' || !IMAGE.test(raw)) fail('an image reference such as nginx:1.27-alpine or registry.example/team/app:1.0')
      return raw as string
    case 'dns-name': {
      const max = Math.min(param.max ?? 63, 63)
      if (typeof raw !== 'string' || !DNS_LABEL.test(raw)) fail(`a DNS-1123 name: at most ${max} lowercase letters, digits and '-', starting with a letter and ending with a letter or digit`)
      if ((raw as string).length > max) fail(`at most ${max} characters (${(raw as string).length} given), so that the Kubernetes objects and labels made from it stay within their limits`)
      return raw as string
    }
    case 'dns-subdomain':
      if (typeof raw !== 'string' || !DNS_SUBDOMAIN.test(raw)) fail("a DNS name: lowercase letters, digits, '-' and '.', each label at most 63 characters, starting and ending with a letter or digit")
      if ((raw as string).length > 253) fail(`a DNS name of at most 253 characters (${(raw as string).length} given)`)
      if ((raw as string).split('.').some((label) => label.length > 63)) fail('a DNS name whose labels (between dots) are at most 63 characters each')
      return raw as string
    case 'ip':
      // The engine refuses 999.999.999.999 only when it publishes the port, long after the render.
      if (typeof raw !== 'string' || !(isIPv4(raw) || isIPv6(raw))) fail('an IPv4 address (four numbers 0-255, such as 127.0.0.1) or an IPv6 literal (such as ::1)')
      return raw as string
    case 'host-path':
      // compose splits a volume on ':' (source:target:mode), so a path with one means another mount.
      if (typeof raw !== 'string') fail('a host path (quote it in YAML)')
      if ((raw as string).includes(':')) fail("a host path without ':' (compose reads ':' as the separator of source, target and mode)")
      return raw as string
    case 'enum':
      if (typeof raw !== 'string' || !param.values?.includes(raw)) fail(`one of ${param.values?.join(', ')}`)
      return raw as string
    case 'version': {
      // YAML reads `version: 8.10` as the number 8.1: say what was written and how to quote it.
      if (typeof raw === 'number') {
        const shown = written ?? String(raw)
        throw new UsageError(`${where}: parameter '${name}': YAML reads ${shown} as the number ${raw}, not a version; quote it: ${name}: "${shown}"`)
      }
      if (typeof raw !== 'string' || !VERSION.test(raw)) fail('a version: major.minor or major.minor.patch, such as 8.19 or 8.19.10')
      return raw as string
    }
    case 'string':
      if (typeof raw !== 'string') {
        if (typeof raw === 'number') throw new UsageError(`${where}: parameter '${name}': YAML reads ${written ?? raw} as a number; quote it: ${name}: "${written ?? raw}"`)
        fail('a string (quote it in YAML)')
      }
      if (param.pattern && !new RegExp(param.pattern).test(raw as string)) fail(`a value of the form this parameter takes (${param.description})`)
      return raw as string
  }
}

/** One to three dot-separated whole numbers: 8, 8.19, 8.19.10. */
const VERSION = /^\d+(\.\d+){0,2}$/
export const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
/** C0 controls (newline and tab too), DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const IMAGE = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/

const SUFFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 }

/** A Kubernetes quantity in bytes, for compose's mem_limit (which does not read "Gi"). */
export function quantityBytes(q: string): number {
  const m = QUANTITY.exec(q)
  if (!m) throw new TypeError(`not a quantity: ${q}`)
  return Math.round(parseFloat(q) * (m[2] ? SUFFIX[m[2]] : 1))
}

export type { Param }
