// A team's onboarding steps from shipshape.yaml (`steps.<id>`), as plan steps: `done` is asked first,
// as every built-in step's guard is, and `run` is the command. Both are scripts run like a team
// check's (script.ts), from the config's folder.

import { dirname } from 'node:path'
import type { Config } from '../config.js'
import type { Step } from '../types.js'
import { scriptArgv } from './script.js'

/** A guard is a question: it gets a short bound, and a hang means "not known to be done". */
const DONE_TIMEOUT_MS = 10_000

export function teamSteps(config: Config): Step[] {
  if (!config.file) return []
  const dir = dirname(config.file)
  return Object.entries(config.data.steps).map(([id, s]) => ({
    id,
    title: s.title ?? id,
    argv: scriptArgv(dir, s.run),
    sudo: false,
    cwd: dir,
    reason: 'shipshape.yaml',
    ...(s.needs.length ? { needs: s.needs } : {}),
    ...(s.done !== undefined
      ? { done: async (ctx) => (await ctx.probe(scriptArgv(dir, s.done!), { cwd: dir, timeoutMs: DONE_TIMEOUT_MS })).ok }
      : {}),
  }) satisfies Step)
}
