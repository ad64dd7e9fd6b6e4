// A small strict reader of Apple XML property lists (the plist DTD: dict of key + value, array,
// string, integer, real, true, false, date, data), built on a real XML parser. Anything else throws,
// so a plist launchd would reject fails the test here.

import { XMLParser, XMLValidator } from 'fast-xml-parser'

type Node = Record<string, unknown>
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue }

const tagOf = (node: Node) => {
  const tags = Object.keys(node).filter((k) => k !== ':@')
  if (tags.length !== 1) throw new Error(`expected one element, got ${tags.join(', ')}`)
  return tags[0]
}
const children = (node: Node, tag: string) => (node[tag] as Node[]).filter((c) => tagOf(c) !== '#comment')
const text = (node: Node, tag: string) => {
  const kids = node[tag] as Node[]
  if (kids.length === 0) return ''
  if (kids.length !== 1 || tagOf(kids[0]) !== '#text') throw new Error(`<${tag}> must hold only text`)
  return String(kids[0]['#text'])
}

function value(node: Node): PlistValue {
  const tag = tagOf(node)
  switch (tag) {
    case 'string':
      return text(node, tag)
    case 'integer': {
      const t = text(node, tag)
      if (!/^[-+]?\d+$/.test(t)) throw new Error(`<integer>${t}</integer> is not an integer`)
      return Number(t)
    }
    case 'real':
      return Number(text(node, tag))
    case 'true':
    case 'false':
      if ((node[tag] as Node[]).length) throw new Error(`<${tag}/> must be empty`)
      return tag === 'true'
    case 'array':
      return children(node, tag).map(value)
    case 'dict': {
      const kids = children(node, tag)
      const out: Record<string, PlistValue> = {}
      if (kids.length % 2) throw new Error('<dict> needs key and value pairs')
      for (let i = 0; i < kids.length; i += 2) {
        if (tagOf(kids[i]) !== 'key') throw new Error(`expected <key> in <dict>, got <${tagOf(kids[i])}>`)
        const key = text(kids[i], 'key')
        if (Object.hasOwn(out, key)) throw new Error(`key ${key} twice`)
        out[key] = value(kids[i + 1])
      }
      return out
    }
    default:
      throw new Error(`<${tag}> is not a plist element`)
  }
}

export function parsePlist(xml: string): PlistValue {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} at line ${valid.err.line}`)
  if (!xml.includes('<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">')) throw new Error('missing the plist DOCTYPE')
  const doc = new XMLParser({ preserveOrder: true, ignoreAttributes: false, trimValues: true, parseTagValue: false, commentPropName: '#comment', processEntities: true }).parse(xml) as Node[]
  const roots = doc.filter((n) => tagOf(n) === 'plist')
  if (roots.length !== 1) throw new Error('expected one <plist> root')
  const attrs = roots[0][':@'] as Record<string, string> | undefined
  if (attrs?.['@_version'] !== '1.0') throw new Error('<plist version="1.0"> expected')
  const body = children(roots[0], 'plist')
  if (body.length !== 1) throw new Error('<plist> holds one value')
  return value(body[0])
}
