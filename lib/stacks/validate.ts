// Checks a render before anything is written. Kubernetes objects are read back from the rendered
// text as YAML 1.1 (as kubectl reads them), checked against their schema (kubernetes-models, one model
// per import because the package root is slow to load) and against the rules the schema misses.
// Compose files go through `docker compose config -q` (v2) or `docker-compose config -q` (v1) when
// one is installed: no maintained compose-spec schema package accepts current files (the one on the
// registry dates from 2021 and lacks `include`, `develop` and `start_interval`).

import { UsageError } from '../errors.js'
import type { Context } from '../types.js'
import type { Target } from './catalog.js'
import type { K8sObject, Rendered } from './render.js'
import { DNS_LABEL, DNS_SUBDOMAIN } from './values.js'


// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Model = new (data: any) => { validate(): void }
const MODELS: Record<string, () => Promise<Model>> = {
  'v1/ConfigMap': async () => (await import('kubernetes-models/v1/ConfigMap')).ConfigMap,
  'v1/Namespace': async () => (await import('kubernetes-models/v1/Namespace')).Namespace,
  'v1/Secret': async () => (await import('kubernetes-models/v1/Secret')).Secret,
  'v1/Service': async () => (await import('kubernetes-models/v1/Service')).Service,
  'v1/Pod': async () => (await import('kubernetes-models/v1/Pod')).Pod,
  'apps/v1/Deployment': async () => (await import('kubernetes-models/apps/v1/Deployment')).Deployment,
  'apps/v1/ReplicaSet': async () => (await import('kubernetes-models/apps/v1/ReplicaSet')).ReplicaSet,
  'apps/v1/StatefulSet': async () => (await import('kubernetes-models/apps/v1/StatefulSet')).StatefulSet,
  'batch/v1/Job': async () => (await import('kubernetes-models/batch/v1/Job')).Job,
}

/** Every problem found, as "file: Kind/name: message"; empty when the render is good. */
export async function validateRender(rendered: Rendered, target: Target, ctx: Pick<Context, 'probe' | 'which' | 'env'>): Promise<string[]> {
  const problems: string[] = []
  const { parseAllDocuments } = await import('yaml')
  for (const file of rendered.files.filter((f) => f.path.endsWith('.yaml'))) {
    const objects = parseAllDocuments(file.text, { version: '1.1' }).map((d) => d.toJS({ maxAliasCount: -1 }) as K8sObject)
    if (target === 'k8s') problems.push(...(await validateObjects(objects)).map((p) => `${file.path}: ${p}`))
    else problems.push(...(await validateCompose(file.text, rendered.secrets, ctx)).map((p) => `${file.path}: ${p}`))
  }
  return problems
}

export async function assertValid(rendered: Rendered, target: Target, ctx: Pick<Context, 'probe' | 'which' | 'env'>): Promise<void> {
  const problems = await validateRender(rendered, target, ctx)
  if (problems.length) throw new UsageError(`the rendered ${target} files are not valid; nothing was written:\n  ${problems.join('\n  ')}`)
}

export async function validateObjects(objects: K8sObject[]): Promise<string[]> {
  const problems: string[] = []
  for (const obj of objects) {
    const id = `${obj?.kind ?? '?'}/${obj?.metadata?.name ?? '?'}`
    const load = MODELS[`${obj?.apiVersion}/${obj?.kind}`]
    if (!load) {
      problems.push(`${id}: no schema for ${obj?.apiVersion} ${obj?.kind}`)
      continue
    }
    const Model = await load()
    try {
      new Model(obj).validate()
    } catch (error) {
      problems.push(`${id}: ${(error as Error).message}`)
    }
    problems.push(...rulesFor(obj).map((p) => `${id}: ${p}`))
  }
  problems.push(...servicesSelectSomething(objects))
  return problems
}

// The rules the OpenAPI schema does not carry: the API server enforces them, and we have none here.
function rulesFor(obj: K8sObject): string[] {
  const problems: string[] = []
  const name = String(obj.metadata?.name ?? '')
  // Services need a DNS-1035 label; most other objects a DNS-1123 subdomain.
  if (obj.kind === 'Service' ? !(name.length <= 63 && DNS_LABEL.test(name)) : !(name.length <= 253 && DNS_SUBDOMAIN.test(name))) {
    problems.push(`metadata.name '${name}' is not a valid DNS-1123 name`)
  }
  const most = NAME_LIMITS[String(obj.kind)]
  if (most && name.length > most.max) problems.push(`metadata.name '${name}' is ${name.length} characters; a ${obj.kind}'s name is at most ${most.max} (${most.why})`)
  for (const [path, labels] of labelSets(obj)) problems.push(...labelProblems(path, labels))
  for (const [path, port] of ports(obj)) {
    if (typeof port === 'number' && (port < 1 || port > 65535)) problems.push(`${path} ${port} is not a port (1-65535)`)
  }
  if (obj.kind === 'Service') {
    const spec = obj.spec ?? {}
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (p.nodePort !== undefined && (p.nodePort < 30000 || p.nodePort > 32767)) problems.push(`spec.ports[${i}].nodePort ${p.nodePort} is outside the NodePort range 30000-32767`)
      if (p.nodePort !== undefined && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') problems.push(`spec.ports[${i}].nodePort is set but the Service type is ${spec.type ?? 'ClusterIP'}`)
    }
    if (spec.type === 'ExternalName') {
      if (!spec.externalName) problems.push('an ExternalName Service needs spec.externalName')
      else if (!DNS_SUBDOMAIN.test(spec.externalName) || spec.externalName.length > 253) problems.push(`spec.externalName '${spec.externalName}' is not a DNS name of at most 253 characters`)
      if (spec.selector) problems.push('an ExternalName Service has no selector')
    }
  }
  const selector = obj.spec?.selector?.matchLabels
  const labels = obj.spec?.template?.metadata?.labels
  if (selector) {
    for (const [k, v] of Object.entries(selector)) {
      if (labels?.[k] !== v) problems.push(`spec.selector.matchLabels ${k}=${v} does not match the Pod template's labels`)
    }
  }
  return problems
}

// Names the API server accepts but whose Pods it then cannot create (the controllers put the name
// in a label, and a label value is at most 63 characters).
const NAME_LIMITS: Record<string, { max: number; why: string }> = {
  StatefulSet: { max: 52, why: 'its Pods get the label controller-revision-hash=<name>-<10-character hash>, at most 63' },
  Job: { max: 63, why: 'its Pods get the label job-name=<name>, at most 63' },
  Service: { max: 63, why: 'a DNS-1035 label' },
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/

function labelSets(obj: K8sObject): Array<[string, Record<string, unknown>]> {
  const sets: Array<[string, unknown]> = [
    ['metadata.labels', obj.metadata?.labels],
    ['spec.template.metadata.labels', obj.spec?.template?.metadata?.labels],
    ['spec.selector.matchLabels', obj.spec?.selector?.matchLabels],
    ['spec.selector', obj.kind === 'Service' ? obj.spec?.selector : undefined],
  ]
  return sets.filter((s): s is [string, Record<string, unknown>] => typeof s[1] === 'object' && s[1] !== null)
}

function labelProblems(path: string, labels: Record<string, unknown>): string[] {
  const problems: string[] = []
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/')
    const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : ['', key]
    if (name.length > 63 || !LABEL_NAME.test(name) || (slash >= 0 && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))) problems.push(`${path} key '${key}' is not a label key`)
    const text = String(value)
    if (text.length > 63) problems.push(`${path} ${key}='${text}' is ${text.length} characters; a label value is at most 63`)
    else if (!LABEL_VALUE.test(text)) problems.push(`${path} ${key}='${text}' is not a label value (letters, digits, '-', '_', '.', starting and ending with a letter or digit)`)
  }
  return problems
}

function ports(obj: K8sObject): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = []
  const podSpec = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec
  for (const c of podSpec?.containers ?? []) for (const p of c.ports ?? []) out.push([`container ${c.name} containerPort`, p.containerPort])
  if (obj.kind === 'Service') for (const p of obj.spec?.ports ?? []) out.push(['spec.ports.port', p.port], ['spec.ports.targetPort', p.targetPort])
  return out
}

// A Service whose selector matches no Pod in the same manifest would route nowhere.
function servicesSelectSomething(objects: K8sObject[]): string[] {
  const podLabels = objects.flatMap((o) => (o.kind === 'Pod' ? [o.metadata?.labels ?? {}] : o.spec?.template ? [o.spec.template.metadata?.labels ?? {}] : []))
  return objects
    .filter((o) => o.kind === 'Service' && o.spec?.selector)
    .filter((svc) => !podLabels.some((labels) => Object.entries(svc.spec.selector).every(([k, v]) => labels[k] === v)))
    .map((svc) => `Service/${svc.metadata?.name}: its selector matches no Pod template in this manifest`)
}

/** docker compose config -q (v2) or docker-compose config -q (v1), reading the file from stdin. */
async function validateCompose(text: string, secrets: Record<string, string>, ctx: Pick<Context, 'probe' | 'which' | 'env'>): Promise<string[]> {
  const argv = await composeCommand(ctx)
  if (!argv) return []
  // The secrets go in the environment so interpolation finds them, as .env will supply them.
  const r = await ctx.probe([...argv, '-f', '-', 'config', '-q'], { input: text, env: { ...ctx.env, ...secrets }, timeoutMs: 30_000 })
  if (r.ok) return []
  return [`${argv.join(' ')} config rejects it: ${(r.stderr || r.stdout).trim()}`]
}

/** The compose command on this machine: v2 plugin first, then v1, or null when neither answers. */
export async function composeCommand(ctx: Pick<Context, 'probe' | 'which'>): Promise<string[] | null> {
  if (await ctx.which('docker')) {
    const v2 = await ctx.probe(['docker', 'compose', 'version', '--short'], { timeoutMs: 10_000 })
    if (v2.ok) return ['docker', 'compose']
  }
  if (await ctx.which('docker-compose')) return ['docker-compose']
  return null
}
