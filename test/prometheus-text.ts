// A strict parser of the Prometheus text exposition format (version 0.0.4), written from its grammar
// (https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details) for the tests:
// any line it does not understand, a sample before its TYPE, a repeated HELP or TYPE, a family split
// in two, a duplicate series or a bad escape throws, naming the line.

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface MetricFamily {
  name: string
  help: string | null
  type: string
  samples: Sample[]
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])

function unescape(text: string, allowed: string, line: number): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    if (!allowed.includes(c)) throw new Error(`line ${line}: bad escape \\${c}`)
    return c === 'n' ? '\n' : c
  })
}

function value(text: string, line: number): number {
  if (text === 'NaN') return NaN
  if (text === '+Inf') return Infinity
  if (text === '-Inf') return -Infinity
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: '${text}' is not a number`)
  return Number(text)
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline')
  const families = new Map<string, MetricFamily>()
  const seen = new Set<string>()
  let current: string | null = null
  const family = (name: string, n: number) => {
    if (current !== name && families.has(name)) throw new Error(`line ${n}: family ${name} is not contiguous`)
    current = name
    let f = families.get(name)
    if (!f) families.set(name, (f = { name, help: null, type: 'untyped', samples: [] }))
    return f
  }
  text.slice(0, -1).split('\n').forEach((raw, i) => {
    const n = i + 1
    if (raw.trim() === '') return
    const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(raw)
    if (meta) {
      const [, kind, name, rest = ''] = meta
      if (!METRIC.test(name) || METRIC.exec(name)![0] !== name) throw new Error(`line ${n}: bad metric name ${name}`)
      const f = family(name, n)
      if (kind === 'HELP') {
        if (f.help !== null) throw new Error(`line ${n}: second HELP for ${name}`)
        f.help = unescape(rest, '\\n', n)
      } else {
        if (f.samples.length) throw new Error(`line ${n}: TYPE after samples of ${name}`)
        if (!TYPES.has(rest.trim())) throw new Error(`line ${n}: unknown type '${rest}'`)
        if (seen.has(`TYPE ${name}`)) throw new Error(`line ${n}: second TYPE for ${name}`)
        seen.add(`TYPE ${name}`)
        f.type = rest.trim()
      }
      return
    }
    if (raw.startsWith('#')) return
    let rest = raw
    const name = METRIC.exec(rest)?.[0]
    if (!name) throw new Error(`line ${n}: expected a metric name: ${raw}`)
    rest = rest.slice(name.length)
    const labels: Record<string, string> = {}
    if (rest.startsWith('{')) {
      rest = rest.slice(1)
      while (!rest.startsWith('}')) {
        const label = LABEL.exec(rest)?.[0]
        if (!label) throw new Error(`line ${n}: expected a label name at '${rest}'`)
        rest = rest.slice(label.length)
        const m = /^="((?:[^"\\\n]|\\.)*)"/.exec(rest)
        if (!m) throw new Error(`line ${n}: expected ="value" after ${label}`)
        if (Object.hasOwn(labels, label)) throw new Error(`line ${n}: label ${label} twice`)
        labels[label] = unescape(m[1], '\\"n', n)
        rest = rest.slice(m[0].length)
        if (rest.startsWith(',')) rest = rest.slice(1)
        else if (!rest.startsWith('}')) throw new Error(`line ${n}: expected , or } at '${rest}'`)
      }
      rest = rest.slice(1)
    }
    const m = /^ (\S+)(?: (-?\d+))?$/.exec(rest)
    if (!m) throw new Error(`line ${n}: expected ' value [timestamp]' at '${rest}'`)
    const f = family(name, n)
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`
    if (seen.has(key)) throw new Error(`line ${n}: duplicate series ${key}`)
    seen.add(key)
    f.samples.push({ name, labels, value: value(m[1], n) })
  })
  return families
}
