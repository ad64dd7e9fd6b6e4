// The runner: checks run in parallel within their bounds, timeouts kill children, errors stay
// findings, needs skip, exit codes follow the contract.

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { UsageError } from '../../lib/errors.js'
import { boundFor, runChecks, selectChecks, summarise } from '../../lib/runner.js'
import { createProbe } from '../../lib/probe.js'
import type { Check, Finding } from '../../lib/types.js'
import { makeContext } from '../helpers.js'

const slow = (id: string, ms: number, extra: Partial<Check> = {}): Check => ({
  id,
  title: id,
  required: true,
  async run() {
    await sleep(ms)
    return { status: 'ok', summary: `slept ${ms}` }
  },
  ...extra,
})

test('independent checks start at once: each waits for the other to have started', async () => {
  // Run one after the other, the first would wait for the second forever and end as a timeout.
  const started = new Map<string, () => void>()
  const both = ['a', 'b'].map((id) => new Promise<void>((resolve) => started.set(id, resolve)))
  const meeting = (id: string): Check => ({
    id,
    title: id,
    required: true,
    async run() {
      started.get(id)!()
      await Promise.all(both)
      return { status: 'ok', summary: 'met the other' }
    },
  })
  const findings = await runChecks([meeting('a'), meeting('b')], makeContext(), { timeoutMs: 20_000 })
  assert.deepEqual(findings.map((f) => f.status), ['ok', 'ok'])
})

test('a check past its bound is timeout, and its child process (and grandchild) is killed', async () => {
  // A unique sleep length marks our processes in `ps`.
  const marker = `sleep 30.${parseInt(randomBytes(3).toString('hex'), 16)}`
  // A shell that starts a grandchild and waits: both must be gone after the bound.
  const hang: Check = {
    id: 'hang',
    title: 'Hang',
    required: true,
    async run(ctx) {
      await ctx.probe(['sh', '-c', `${marker} & wait`])
      return { status: 'ok', summary: 'returned' }
    },
  }
  const ctx = makeContext()
  const [finding] = await runChecks([hang], ctx, { timeoutMs: 300 })
  assert.equal(finding.status, 'timeout')
  assert.match(finding.summary, /300 ms/)
  const probe = createProbe({ env: process.env })
  let left = ''
  for (let i = 0; i < 20; i++) {
    const ps = await probe(['ps', '-eo', 'pid,args'])
    left = ps.stdout.split('\n').filter((l) => l.includes(marker)).join('\n')
    if (!left) break
    await sleep(100)
  }
  assert.equal(left, '', 'no process of the timed-out check is left')
})

test('a check that throws is error with its message, and the run goes on', async () => {
  const boom: Check = { id: 'boom', title: 'Boom', required: false, run: async () => { throw new Error('kaput') } }
  const findings = await runChecks([boom, slow('after', 1)], makeContext(), {})
  assert.equal(findings[0].status, 'error')
  assert.match(findings[0].summary, /kaput/)
  assert.equal(findings[1].status, 'ok')
})

test('a check whose prerequisite failed is skip with the reason; one that passed lets it run', async () => {
  const failing: Check = { id: 'base', title: 'Base', required: true, run: async () => ({ status: 'fail', summary: 'missing' }) }
  const child: Check = { ...slow('child', 1), needs: ['base'] }
  const [base, c] = await runChecks([failing, child], makeContext(), {})
  assert.equal(base.status, 'fail')
  assert.equal(c.status, 'skip')
  assert.match(c.summary, /base failed/)

  let seen: Record<string, Finding> = {}
  const warnBase: Check = { id: 'base', title: 'Base', required: true, run: async () => ({ status: 'warn', summary: 'old' }) }
  const reader: Check = { id: 'child', title: 'Child', required: true, needs: ['base'], run: async (_ctx, deps) => { seen = deps; return { status: 'ok', summary: 'ran' } } }
  const [, ran] = await runChecks([warnBase, reader], makeContext(), {})
  assert.equal(ran.status, 'ok')
  assert.equal(seen.base.status, 'warn')
})

test("a check's prefetch starts as the run begins, before what it needs is judged, within its own bound", async () => {
  // The needed check finishes only once the prefetch has started: run after it, the prefetch never would.
  let prefetched!: () => void
  const started = new Promise<void>((resolve) => (prefetched = resolve))
  const bounds: (number | undefined)[] = []
  const base: Check = { id: 'base', title: 'Base', required: true, run: async () => (await started, { status: 'ok', summary: 'saw the prefetch' }) }
  const child: Check = { ...slow('child', 1), needs: ['base'], prefetch: (ctx) => (bounds.push(ctx.boundMs), prefetched()) }
  const [b, c] = await runChecks([base, child], makeContext(), { timeoutMs: 5_000 })
  assert.deepEqual([b.status, c.status], ['ok', 'ok'])
  assert.deepEqual(bounds, [5_000])

  // A check that will not run here reads nothing early either.
  const never = (extra: Partial<Check>): Check => ({ ...slow('never', 1), prefetch: () => assert.fail('prefetched a check that does not run'), ...extra })
  await runChecks([never({ appliesTo: (p) => p.kind === 'macos' })], makeContext(), {})
  await runChecks([never({ network: true })], makeContext({ offline: true }), {})
})

test('a tool is looked up on PATH once per run, however many checks and guards ask; the next run looks again', async () => {
  const asked: string[] = []
  const ctx = makeContext({ which: async (cmd) => (asked.push(cmd), `/usr/bin/${cmd}`) })
  const asks = (id: string): Check => ({ id, title: id, required: true, run: async (c) => ({ status: (await c.which('docker')) ? 'ok' : 'fail', summary: 'looked' }) })
  await runChecks([asks('a'), asks('b'), asks('c')], ctx, {})
  assert.deepEqual(asked, ['docker'])
  await runChecks([asks('a')], ctx, {})
  assert.deepEqual(asked, ['docker', 'docker'])
})

test('a check that does not apply to the platform is skip', async () => {
  const macOnly = { ...slow('mac', 1), appliesTo: (p: { kind: string }) => p.kind === 'macos' } as Check
  const [f] = await runChecks([macOnly], makeContext(), {})
  assert.equal(f.status, 'skip')
  assert.match(f.summary, /does not apply on linux/)
})

test('fixes are attached to problems only', async () => {
  const withFix: Check = {
    id: 'x', title: 'X', required: true,
    run: async () => ({ status: 'fail', summary: 'no' }),
    fix: () => ({ steps: [{ id: 'install-x', title: 'Install X', argv: ['apt-get', 'install', '-y', 'x'], sudo: true }] }),
  }
  const okWithFix: Check = { ...withFix, id: 'y', run: async () => ({ status: 'ok', summary: 'yes' }) }
  const [x, y] = await runChecks([withFix, okWithFix], makeContext(), {})
  assert.deepEqual(x.fix?.steps.map((s) => s.id), ['install-x'])
  assert.equal(y.fix, null)
})

test('exit codes: 0 with warnings, 1 for a required failure, timeout or error, --strict makes warnings 1', () => {
  const f = (status: Finding['status'], required = true): Finding => ({ id: status, title: status, required, status, summary: '', version: null, details: [], durationMs: 0, fix: null })
  assert.equal(summarise([f('ok'), f('warn'), f('skip')]).exitCode, 0)
  assert.equal(summarise([f('ok'), f('fail')]).exitCode, 1)
  assert.equal(summarise([f('timeout')]).exitCode, 1)
  assert.equal(summarise([f('error')]).exitCode, 1)
  assert.equal(summarise([f('fail', false)]).exitCode, 0, 'an optional check failing does not fail the run')
  assert.equal(summarise([f('fail', false)], true).exitCode, 1)
  assert.equal(summarise([f('warn')], true).exitCode, 1)
  const s = summarise([f('ok'), f('ok'), f('warn'), f('skip')])
  assert.deepEqual({ ...s }, { ok: 2, warn: 1, fail: 0, skip: 1, timeout: 0, error: 0, exitCode: 0 })
})

test('selection: --only brings what it needs, --skip removes, unknown ids are usage errors', () => {
  const registry = [slow('a', 1), { ...slow('b', 1), needs: ['a'] }, slow('c', 1)]
  const ctx = makeContext()
  assert.deepEqual(selectChecks(registry, ctx, { only: ['b'] }).map((c) => c.id), ['a', 'b'])
  assert.deepEqual(selectChecks(registry, ctx, { skip: ['c'] }).map((c) => c.id), ['a', 'b'])
  assert.throws(() => selectChecks(registry, ctx, { only: ['nope'] }), (e: unknown) => e instanceof UsageError && /unknown check id 'nope'/.test(e.message))
})

test('bounds: --timeout beats config, config beats the check default, 3000 ms otherwise', () => {
  const ctx = makeContext()
  ctx.config.data.checks.a = { timeoutMs: 700 }
  assert.equal(boundFor(slow('a', 1), ctx, { timeoutMs: 50 }), 50)
  assert.equal(boundFor(slow('a', 1), ctx, {}), 700)
  assert.equal(boundFor(slow('b', 1, { timeoutMs: 900 }), ctx, {}), 900)
  assert.equal(boundFor(slow('c', 1), ctx, {}), 3000)
})

test('a check that is required here (a stack in use needs it) fails the run; the team\'s config still wins', async () => {
  const needed: Check = { id: 'needed', title: 'Needed', required: false, run: async () => ({ status: 'fail', summary: 'too low', required: true }) }
  const [f] = await runChecks([needed], makeContext(), {})
  assert.equal(f.required, true)
  assert.equal(summarise([f]).exitCode, 1)
  const ctx = makeContext()
  ctx.config.data.checks.needed = { required: false }
  const [relaxed] = await runChecks([needed], ctx, {})
  assert.equal(relaxed.required, false)
  assert.equal(summarise([relaxed]).exitCode, 0)
})
