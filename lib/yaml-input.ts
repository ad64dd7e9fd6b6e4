// YAML that a person hands us (shipshape.yaml, --values files), parsed within bounds: a size limit
// (also checked before reading, by lib/bounded-read.ts), duplicate keys found with one Set per
// mapping (yaml's own `uniqueKeys` compares every key with every other: minutes for 80k keys), and
// alias expansion capped, each refused as a UsageError at file:line:column.

import type { Document, LineCounter } from 'yaml'
import { UsageError, located, preview } from './errors.js'

/** The largest YAML file shipshape reads (stated in the README); real configs are a few KiB. */
export const MAX_YAML_BYTES = 1024 * 1024
/** How many alias expansions toJS may do; an alias bomb needs millions. */
export const MAX_ALIAS_COUNT = 1000

export interface ParsedYaml {
  doc: Document
  lineCounter: LineCounter
  /** "file:line:col: message" for an offset in the text. */
  at(offset: number | undefined, message: string): string
}

/** Parses one YAML document a person wrote; throws UsageError with file:line:column for anything wrong. */
export async function parseYamlInput(text: string, file: string): Promise<ParsedYaml> {
  if (Buffer.byteLength(text) > MAX_YAML_BYTES) throw new UsageError(`${file}: larger than ${MAX_YAML_BYTES} bytes; shipshape reads YAML files up to 1 MB`)
  const { parseDocument, LineCounter, visit, isScalar } = await import('yaml')
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false })
  const at = (offset: number | undefined, message: string) => {
    const pos = offset === undefined ? undefined : lineCounter.linePos(offset)
    return located(file, pos?.line, pos?.col, message)
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    throw new UsageError(at(e.pos[0], `invalid YAML: ${preview(e.message.split('\n')[0], 200)}`))
  }
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>()
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue
        const key = String(pair.key.value)
        if (seen.has(key)) throw new UsageError(at(pair.key.range?.[0], `duplicate key '${preview(key)}' (each key may appear once in a mapping)`))
        // toJS would set the object's prototype from it, so the key would vanish instead of being refused as unknown.
        if (key === '__proto__') throw new UsageError(at(pair.key.range?.[0], `the key '__proto__' is not allowed (it names no check, stack or setting)`))
        seen.add(key)
      }
    },
  })
  return { doc, lineCounter, at }
}

/** doc.toJS() with alias expansion bounded: an alias bomb is a UsageError at its first alias, not an exhausted heap. */
export async function toJsBounded(parsed: ParsedYaml): Promise<unknown> {
  try {
    return parsed.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error
    const { visit } = await import('yaml')
    let offset: number | undefined
    visit(parsed.doc, {
      Alias(_, node) {
        offset = node.range?.[0]
        return visit.BREAK
      },
    })
    throw new UsageError(parsed.at(offset, `aliases expand to too much data (more than ${MAX_ALIAS_COUNT} expansions); write the values out instead`))
  }
}
