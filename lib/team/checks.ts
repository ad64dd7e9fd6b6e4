// A team's own checks from shipshape.yaml (`checks.<id>` with `run:`), as Check objects the runner
// runs like the built-in ones: same bounds, formats, history, serve and setup plan. Each runs only
// when this user allowed the config's scripts (trust.ts); otherwise it says what to read first.

import { dirname } from 'node:path'
import type { Config } from '../config.js'
import type { Check, Context, Fix, Step } from '../types.js'
import { outcomeOf } from './report.js'
import { scriptArgv } from './script.js'
import { notAllowedSummary, trustOf, type Trust } from './trust.js'

/** A team check: a Check that also keeps the description the team wrote, for people reading about it. */
export interface TeamCheck extends Check {
  team: true
  description?: string
  /** The script, relative to the config's folder. */
  script: string
}

/** Asked once per run (per context), since serve and schedule run again and files may change between. */
export function trustFor(ctx: Context): Promise<Trust> {
  return ctx.facts.once('team-trust', () => trustOf(ctx.config, ctx.env, ctx.home))
}

export function teamChecks(config: Config): TeamCheck[] {
  if (!config.file) return []
  const dir = dirname(config.file)
  const out: TeamCheck[] = []
  for (const [id, c] of Object.entries(config.data.checks)) {
    if (!c.run) continue
    const title = c.title ?? id
    const fix = c.fix
    const fixStep = (): Step | null =>
      fix ? { id: `fix-${id}`, title: `Fix ${title} (${fix.run})`, argv: scriptArgv(dir, fix.run), sudo: false, cwd: dir, reason: id } : null
    out.push({
      id,
      title,
      team: true,
      script: c.run,
      ...(c.description !== undefined ? { description: c.description } : {}),
      required: c.required ?? false,
      async run(ctx) {
        const trust = await trustFor(ctx)
        if (!trust.allowed) {
          const status = ctx.config.data.checks[id]?.required ? 'fail' : 'warn'
          return { status, summary: notAllowedSummary(trust), details: ['team checks run only after you read them and run `shipshape allow`'], fix: null }
        }
        const outcome = await outcomeOf(await ctx.probe(scriptArgv(dir, c.run!), { cwd: dir }), ctx.boundMs)
        const step = outcome.status === 'fail' || outcome.status === 'warn' ? fixStep() : null
        if (step) outcome.fix = { steps: [step], ...(outcome.fix?.manual ? { manual: outcome.fix.manual } : {}) } satisfies Fix
        return outcome
      },
    })
  }
  return out
}
