// DOCKER_HOST, in the environment and in the shell start-up files, judged for this platform. A stale
// value from an old guide is a classic cause of "Docker stopped working": on WSL 2 a leftover
// tcp://localhost:2375 overrides Docker Desktop's integration; plain tcp:// is unencrypted, and to
// another machine it lets anyone on the network run containers as root.

import { isLoopback } from '../lib/docker-facts.js'
import { findAssignments, type RcAssignment } from '../lib/shell-rc.js'
import { dockerHostRcStep } from '../lib/provision/docker-host.js'
import { WSL1_DOCKER_HOST } from '../lib/provision/wsl.js'
import type { Check, Context, Fix, Outcome, Status } from '../lib/types.js'

export const dockerHost = {
  id: 'docker-host',
  title: 'DOCKER_HOST',
  about: {
    looks: 'DOCKER_HOST in this environment and in the shell start-up files that set it',
    why: 'a DOCKER_HOST left from an old guide (tcp://localhost:2375) points docker away from the engine, or at one without TLS',
    statuses: { ok: 'unset, or pointing at an engine that is safe to use', warn: 'set in a way worth a look', fail: 'set to an unencrypted or dead endpoint; the fix comments out the line that sets it' },
  },
  required: false,
  async run(ctx) {
    const unread: string[] = []
    const outcome = judgeDockerHost(ctx, await findAssignments(ctx.home, 'DOCKER_HOST', unread))
    if (!unread.length) return outcome
    // A start-up file we could not read may set DOCKER_HOST: say which, rather than call it fine.
    const details = [...(outcome.details ?? []), ...unread.map((u) => `not read: ${u}`)]
    return outcome.status === 'ok' ? { status: 'warn', summary: `not read: ${unread[0]}`, details } : { ...outcome, details }
  },
  fix: async (ctx) => dockerHostFix(ctx, await findAssignments(ctx.home, 'DOCKER_HOST')),
} satisfies Check

const RANK: Record<Status, number> = { ok: 0, skip: 0, warn: 1, timeout: 2, error: 2, fail: 2 }

interface Verdict {
  status: Status
  why: string
}

/** What a value of DOCKER_HOST means here. */
export function judgeValue(value: string, ctx: Pick<Context, 'platform' | 'env'>): Verdict {
  // `unix://$XDG_RUNTIME_DIR/docker.sock` (rootless Docker) is fine; `$(…)` or `tcp://$HOST` is only
  // known once the shell runs it, and the environment check judges the result.
  if (/[$`]/.test(value) && !/^unix:\/\//.test(value)) return { status: 'ok', why: `${value}: computed by the shell at start-up; judged from the environment instead` }
  const tls = Boolean(ctx.env.DOCKER_TLS_VERIFY) && ctx.env.DOCKER_TLS_VERIFY !== '0'
  const url = value.includes('://') ? value : `tcp://${value}` // docker reads a bare host:port as tcp://
  const scheme = url.slice(0, url.indexOf('://')).toLowerCase()
  const host = url.slice(url.indexOf('://') + 3).replace(/^[^@/]*@/, '').replace(/(:\d+)?(\/.*)?$/, '')
  const wsl = ctx.platform.kind === 'wsl' ? ctx.platform.wsl : null
  if (scheme === 'unix' || scheme === 'npipe') {
    if (wsl === 1) return { status: 'fail', why: `${value}: WSL 1 has no local daemon socket; point DOCKER_HOST at Docker Desktop's exposed daemon (tcp://localhost:2375)` }
    return { status: 'ok', why: `${value}: a local socket` }
  }
  if (scheme === 'ssh') return { status: 'ok', why: `${value}: a remote daemon over ssh (encrypted)` }
  if (scheme !== 'tcp') return { status: 'fail', why: `${value}: docker does not understand the scheme '${scheme}'` }
  if (!isLoopback(host)) {
    if (!tls) return { status: 'fail', why: `${value}: unencrypted tcp to another machine without DOCKER_TLS_VERIFY: anyone on the network can run containers as root there` }
    return { status: 'ok', why: `${value}: a remote daemon over TLS` }
  }
  if (wsl === 2) return { status: 'fail', why: `${value}: on WSL 2 this overrides Docker Desktop's WSL integration and a native engine's socket; unset it` }
  if (tls) return { status: 'ok', why: `${value}: loopback with TLS` }
  return { status: 'warn', why: `${value}: UNENCRYPTED daemon port: any local process or forwarded port can run containers as root${wsl === 1 ? " (what Docker Desktop's WSL 1 setup needs; prefer WSL 2)" : ''}` }
}

export function judgeDockerHost(ctx: Pick<Context, 'platform' | 'env'>, lines: RcAssignment[]): Outcome {
  const findings: Verdict[] = []
  const env = ctx.env.DOCKER_HOST
  if (env) findings.push({ ...judgeValue(env, ctx), why: `environment: ${judgeValue(env, ctx).why}` })
  for (const l of lines) {
    const where = `${l.file}:${l.line}`
    if (l.broken) findings.push({ status: 'warn', why: `${where}: broken line '${l.text}': ${l.broken}` })
    else if (l.action === 'set' && l.value !== null) findings.push({ ...judgeValue(l.value, ctx), why: `${where}: ${judgeValue(l.value, ctx).why}` })
  }
  const setAnywhere = Boolean(env) || lines.some((l) => l.action === 'set' && !l.broken)
  if (ctx.platform.kind === 'wsl' && ctx.platform.wsl === 1 && !setAnywhere) {
    findings.push({ status: 'fail', why: "not set: WSL 1 has no local daemon; set DOCKER_HOST=tcp://localhost:2375 and enable Docker Desktop's 'Expose daemon on tcp://localhost:2375 without TLS'" })
  }
  const details = [...lines.map((l) => `${l.file}:${l.line}: ${l.text}`), ...findings.map((f) => `${f.status}: ${f.why}`)]
  const worst = findings.reduce<Verdict | null>((w, f) => (!w || RANK[f.status] > RANK[w.status] ? f : w), null)
  if (!worst) return { status: 'ok', summary: env ? `${env}` : 'not set: docker uses its active context', details }
  if (worst.status === 'ok') return { status: 'ok', summary: worst.why, details }
  const more = findings.filter((f) => f.status !== 'ok').length - 1
  return { status: worst.status, summary: worst.why + (more > 0 ? ` (+${more} more, see details)` : ''), details }
}

/** Comment out or correct the lines that are wrong; the provisioning rcfile editor will apply this. */
export function dockerHostFix(ctx: Context, lines: RcAssignment[]): Fix | null {
  const bad = lines.filter((l) => l.broken || (l.value !== null && judgeValue(l.value, ctx).status !== 'ok'))
  const todo = bad.map((l) => `comment out ${l.file}:${l.line} (${l.text})`)
  const envBad = ctx.env.DOCKER_HOST && judgeValue(ctx.env.DOCKER_HOST, ctx).status !== 'ok'
  if (envBad) todo.push('run `unset DOCKER_HOST` in this shell (or open a new one after fixing the files)')
  if (ctx.platform.kind === 'wsl' && ctx.platform.wsl === 1) todo.push('set DOCKER_HOST=tcp://localhost:2375 in ~/.bashrc (WSL 1 reaches Docker Desktop only this way)')
  if (!todo.length) return null
  // One rc-file edit does what the list says: comments out the bad lines (keeping good ones), sets WSL 1's value.
  const keep = (line: string) => !bad.some((b) => b.text.trim() === line.trim())
  return { steps: [dockerHostRcStep(ctx, ctx.platform.kind === 'wsl' && ctx.platform.wsl === 1 ? WSL1_DOCKER_HOST : null, keep)], manual: todo.join('\n') }
}
