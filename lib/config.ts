// A team's shipshape.yaml: which checks are required, version floors, bounds, the stacks it uses and
// the download sources (a team mirror). Optional: with no file, the embedded defaults serve.
// Every error names file:line:column, because a config is edited by hand and read by tired people.

import { stat } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import { UsageError, located, preview } from './errors.js'
import { BoundError, readBoundedFile } from './bounded-read.js'
import { MAX_YAML_BYTES, parseYamlInput, toJsBounded } from './yaml-input.js'

export interface CheckSettings {
  required?: boolean
  timeoutMs?: number
  enabled?: boolean
  /** A team check (lib/team/): the script that judges it, relative to the config's folder. */
  run?: string
  title?: string
  /** What the check looks at and why the team wants it, for people reading about it. */
  description?: string
  /** A script setup runs to fix it, relative to the config's folder. */
  fix?: { run: string }
}

/** A team's onboarding step for setup: `run` does it, `done` (exit 0) says it already holds. */
export interface TeamStepSettings {
  title?: string
  run: string
  done?: string
  /** Other step ids (the team's or shipshape's own) that must succeed first. */
  needs: string[]
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
  /** How this machine reaches the network: offline (check nothing remote) and the registries the team uses. */
  network: NetworkSettings
  /** A team's onboarding steps, by id. */
  steps: Record<string, TeamStepSettings>
}

export interface NetworkSettings {
  offline?: boolean
  /** Each host[:port] or an https:// URL. */
  registries: string[]
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
  const data: ConfigData = { checks: {}, versions: {}, stacks: {}, sources: {}, network: { registries: [] }, steps: {} }
  return { file: null, data, where: () => 'defaults' }
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
  const [{ isMap, isPair, isScalar, isSeq }, { z }, { closest }] = await Promise.all([import('yaml'), import('zod'), import('./suggest.js')])
  // Bounded first: size, duplicate keys, then (below) alias expansion; every refusal names file:line:col.
  const parsed0 = await parseYamlInput(text, file)
  const { doc, lineCounter } = parsed0

  // Find the node a path points at; for a key that should not be there, point at the key itself.
  const where = (path: readonly (string | number)[], at: 'key' | 'value' = 'value'): string => {
    let node: unknown = doc.contents
    let offset: number | undefined = (doc.contents as { range?: number[] } | null)?.range?.[0]
    for (const [i, key] of path.entries()) {
      if (isSeq(node) && typeof key === 'number') {
        node = node.items[key]
        offset = (node as { range?: number[] } | undefined)?.range?.[0] ?? offset
        continue
      }
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
  const unknown = (path: readonly (string | number)[], what: string, name: string, known: readonly string[]): UsageError => {
    const near = closest(name, known)
    return new UsageError(`${where(path, 'key')}: unknown ${what} '${name}'.${near ? ` Did you mean '${near}'?` : ''} Known: ${known.join(', ')}`)
  }

  const duration = z.number().int().positive().max(600_000)
  const script = z.string().min(1).refine((p) => !isAbsolute(p), { message: "a script's path is relative to the config file's folder" })
  const checkSettings = z.strictObject({
    required: z.boolean().optional(),
    timeoutMs: duration.optional(),
    enabled: z.boolean().optional(),
    run: script.optional(),
    title: z.string().min(1).max(200).optional(),
    description: z.string().max(4000).optional(),
    fix: z.strictObject({ run: script }).optional(),
  })
  const teamStep = z.strictObject({
    title: z.string().min(1).max(200).optional(),
    run: script,
    done: script.optional(),
    needs: z.array(z.string()).default([]),
  })
  const network = z.strictObject({
    offline: z.boolean().optional(),
    registries: z.array(z.string().refine(isRegistry, { message: 'expected host[:port] (registry.example.com:5000) or an https:// URL' })).default([]),
  })
  const schema = z.strictObject({
    timeoutMs: duration.optional(),
    // An empty section (`checks:` with nothing under it) is YAML's null: read as no entries.
    checks: z.record(z.string(), checkSettings.nullable()).nullable().transform((v) => v ?? {}).default({}),
    versions: z.record(z.string(), z.string()).nullable().transform((v) => v ?? {}).default({}),
    stacks: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).nullable().transform((v) => v ?? {}).default({}),
    sources: z.record(z.string(), z.url()).nullable().transform((v) => v ?? {}).default({}),
    network: network.nullable().default({ registries: [] }),
    steps: z.record(z.string().regex(TEAM_ID, { message: TEAM_ID_RULE }), teamStep).default({}),
  })
  // The fields each strict mapping allows, for "Did you mean" under an unknown one.
  const fieldsAt = (path: readonly PropertyKey[]): string[] =>
    path.length === 0 ? Object.keys(schema.shape)
      : path[0] === 'checks' && path[2] === 'fix' ? ['run']
      : path[0] === 'checks' ? Object.keys(checkSettings.shape)
      : path[0] === 'network' ? Object.keys(network.shape)
      : path[0] === 'steps' ? Object.keys(teamStep.shape) : []
  const raw = (await toJsBounded(parsed0)) ?? {}
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${where([])}: a config is a mapping of fields (timeoutMs, checks, versions, stacks, sources, network)`)
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    // A misspelt key explains the missing one beside it (fix: {rn: …} lacks run): name it first.
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0]
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
    if (issue.code === 'unrecognized_keys') throw unknown([...path, issue.keys[0]], 'field', issue.keys[0], fieldsAt(path))
    throw new UsageError(`${where(path)}: ${path.join('.') || 'config'}: ${issue.message}`)
  }
  const data = parsed.data

  // Names a section is keyed by must be names shipshape knows: a typo would otherwise be ignored.
  // A check with `run:` is the team's own; one without is a setting of a built-in check.
  const checkNames = Object.keys(data.checks)
  if (checkNames.length) {
    const { checkIds } = await import('../checks/index.js')
    const known = checkIds()
    for (const id of checkNames) {
      const settings = data.checks[id]
      if (settings?.run !== undefined) {
        const at = `${where(['checks', id], 'key')}: checks.${id}`
        if (known.includes(id)) throw new UsageError(`${at}: '${id}' is a built-in check; rename the team's check (e.g. 'team-${id}')`)
        if (!TEAM_ID.test(id)) throw new UsageError(`${at}: ${TEAM_ID_RULE}`)
        continue
      }
      if (!known.includes(id)) throw unknown(['checks', id], 'check id', id, known)
      const teamOnly = (['title', 'description', 'fix'] as const).find((k) => settings?.[k] !== undefined)
      if (teamOnly) {
        throw new UsageError(`${where(['checks', id, teamOnly], 'key')}: checks.${id}.${teamOnly}: only a team check (one with run:) takes ${teamOnly}`)
      }
    }
  }
  await checkTeamParts(data.checks, data.steps, dirname(file), where, unknown)
  const { FLOORS } = await import('./versions.js')
  for (const tool of Object.keys(data.versions)) if (!Object.hasOwn(FLOORS, tool)) throw unknown(['versions', tool], 'tool', tool, Object.keys(FLOORS))
  const { DEFAULT_SOURCES } = await import('./provision/sources.js')
  for (const name of Object.keys(data.sources)) if (!Object.hasOwn(DEFAULT_SOURCES, name)) throw unknown(['sources', name], 'source', name, Object.keys(DEFAULT_SOURCES))
  const { default: validRange } = await import('semver/ranges/valid.js')
  for (const [tool, range] of Object.entries(data.versions)) {
    if (!validRange(range)) throw new UsageError(`${where(['versions', tool])}: versions.${tool}: '${preview(range)}' is not a semver range (try ">=1.30")`)
  }
  // The text of a value as written in the file, for a message about what YAML made of it (8.10 → 8.1).
  const writtenAt = (path: readonly (string | number)[]): string | undefined => {
    const node = doc.getIn(path, true) as { range?: number[] } | undefined
    return node?.range ? text.slice(node.range[0], node.range[1]) : undefined
  }
  const stacks = await checkStacks(data.stacks, where, unknown, writtenAt)
  return {
    file,
    where,
    data: {
      timeoutMs: data.timeoutMs,
      checks: Object.fromEntries(Object.entries(data.checks).map(([k, v]) => [k, v ?? {}])),
      versions: data.versions,
      stacks,
      sources: data.sources,
      network: { offline: data.network?.offline, registries: data.network?.registries ?? [] },
      steps: data.steps,
    },
  }
}

/** A team check's or step's id: it goes in --only, --skip and report formats, so a plain word. */
const TEAM_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
const TEAM_ID_RULE = 'an id is letters, digits, -, _ and . (at most 64), starting with a letter or digit'

/**
 * The scripts a team check or step names must be files beside the config, and a step's needs must
 * be steps: a missing script found at a run would look like a failing check rather than a typo.
 */
async function checkTeamParts(
  checks: Record<string, CheckSettings | null>,
  steps: Record<string, TeamStepSettings>,
  dir: string,
  where: Where,
  unknown: (path: readonly (string | number)[], what: string, name: string, known: readonly string[]) => UsageError,
): Promise<void> {
  const scripts: { path: (string | number)[]; file: string }[] = []
  for (const [id, c] of Object.entries(checks)) {
    if (c?.run !== undefined) scripts.push({ path: ['checks', id, 'run'], file: c.run })
    if (c?.run !== undefined && c.fix) scripts.push({ path: ['checks', id, 'fix', 'run'], file: c.fix.run })
  }
  const stepIds = Object.keys(steps)
  if (stepIds.length) {
    const { STEP_IDS } = await import('./provision/fixes.js')
    for (const [id, s] of Object.entries(steps)) {
      if (STEP_IDS.includes(id)) {
        throw new UsageError(`${where(['steps', id], 'key')}: steps.${id}: '${id}' is one of shipshape's own steps; rename the team's step`)
      }
      scripts.push({ path: ['steps', id, 'run'], file: s.run })
      if (s.done !== undefined) scripts.push({ path: ['steps', id, 'done'], file: s.done })
      for (const [i, need] of s.needs.entries()) {
        if (stepIds.includes(need) || STEP_IDS.includes(need)) continue
        throw unknown(['steps', id, 'needs', i], 'step', need, [...stepIds, ...STEP_IDS])
      }
    }
  }
  for (const s of scripts) {
    const isFile = await stat(resolve(dir, s.file)).then((st) => st.isFile(), () => false)
    if (!isFile) throw new UsageError(`${where(s.path)}: ${s.path.join('.')}: no file ${resolve(dir, s.file)}`)
  }
}

type Where = (path: readonly (string | number)[], at?: 'key' | 'value') => string

/**
 * Each stacks.<name> must be a shipped stack, and each value must pass its parameter's type and limits
 * with the same code `render` uses (values.ts), so doctor's ports check never sees a port it cannot
 * test. The parameters come from the build's JSON index, so no template is parsed here.
 */
async function checkStacks(
  given: Record<string, Record<string, unknown> | null>,
  where: Where,
  unknown: (path: readonly (string | number)[], what: string, name: string, known: readonly string[]) => UsageError,
  writtenAt: (path: readonly (string | number)[]) => string | undefined,
): Promise<Record<string, Record<string, unknown>>> {
  const names = Object.keys(given)
  if (names.length === 0) return {}
  const [{ declaredStack, shippedStacks }, { coerce }] = await Promise.all([import('./stacks/declared.js'), import('./stacks/values.js')])
  const known = await shippedStacks()
  const out: Record<string, Record<string, unknown>> = {}
  for (const name of names) {
    const stack = known.includes(name) ? await declaredStack(name) : null
    if (!stack) throw unknown(['stacks', name], 'stack', name, known)
    out[name] = {}
    for (const [param, raw] of Object.entries(given[name] ?? {})) {
      const at = where(['stacks', name, param], Object.hasOwn(stack.params, param) ? 'value' : 'key')
      out[name][param] = coerce({ name, params: stack.params }, param, raw, `${at}: stacks.${name}.${param}`, writtenAt(['stacks', name, param]))
    }
  }
  return out
}

/** A registry as a team writes it: host[:port] (registry.example.com, localhost:5000, [::1]:5000) or an https:// URL. */
export function isRegistry(text: string): boolean {
  if (text.startsWith('https://')) {
    try {
      return new URL(text).hostname !== ''
    } catch {
      return false
    }
  }
  const m = /^(?:([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)|\[([0-9A-Fa-f:.]+)\])(?::(\d{1,5}))?$/.exec(text)
  if (!m) return false
  return m[3] === undefined || (Number(m[3]) >= 1 && Number(m[3]) <= 65535)
}
