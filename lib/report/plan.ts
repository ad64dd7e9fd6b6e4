// How a provisioning plan and its results read: for a person (numbered steps, the exact command or
// what shipshape does itself, why each is there) and as the `setup --format json` document.

import { describePlatform } from '../platform.js'
import type { Plan, StepResult } from '../provision/plan.js'
import type { Platform, Privilege, Step, Summary } from '../types.js'
import { stepText } from './fix-text.js'
import { jsonStep } from './json.js'
import type { Paint } from './style.js'

export interface SetupDocument {
  platform: Platform
  steps: Step[]
  satisfied: Step[]
  skipped: Step[]
  manual: string[]
  notes: string[]
  results?: StepResult[]
  logFile?: string
  /** Doctor's summary after the steps ran. */
  after?: Summary
}

/** `privilege`: how this machine gets root, so commands are shown as they will run (no sudo as root). */
export function renderPlanHuman(platform: Platform, plan: Plan, notes: string[], paint: Paint, privilege: Privilege = 'sudo', version?: string): string {
  const out = [`shipshape${version ? ` ${version}` : ''} setup · ${describePlatform(platform)}`, '']
  for (const n of notes) out.push(paint('dim', n))
  if (notes.length) out.push('')
  if (plan.steps.length === 0) out.push(paint('green', 'Nothing to install or change.'))
  else out.push(`Plan (${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}):`)
  plan.steps.forEach((s, i) => {
    out.push(`  ${String(i + 1).padStart(2)}. ${paint('bold', s.title)}${s.reason ? paint('dim', `  [${s.reason}]`) : ''}`)
    // A step shipshape performs shows its shell equivalent; one with none shows no line pointing back at setup.
    if (!s.argv.length && !s.shell?.length) out.push(`      ${paint('dim', '(shipshape does this itself: written atomically, backed up first)')}`)
    else out.push(`      $ ${stepText(s, privilege)}${s.argv.length ? '' : paint('dim', '  (shipshape does this itself: verified, written atomically)')}`)
  })
  if (plan.satisfied.length) out.push('', paint('dim', `Already done: ${plan.satisfied.map((s) => s.id).join(', ')}`))
  if (plan.skipped.length) out.push(paint('dim', `Skipped (--skip): ${plan.skipped.map((s) => s.id).join(', ')}`))
  if (plan.manual.length) out.push('', 'By hand:', ...plan.manual.map((m) => `  • ${m.replaceAll('\n', '\n    ')}`))
  return out.join('\n') + '\n'
}

export function renderResultsHuman(results: StepResult[], logFile: string, paint: Paint): string {
  const out: string[] = []
  const failed = results.filter((r) => r.status !== 'ok')
  for (const r of failed) out.push(paint('red', `✗ ${r.id}: ${r.error ?? r.status}`))
  const ok = results.length - failed.length
  out.push(`${ok} of ${results.length} step${results.length === 1 ? '' : 's'} done${failed.length ? `, ${failed.filter((r) => r.status === 'failed').length} failed, ${failed.filter((r) => r.status === 'blocked').length} not run` : ''}. Log: ${logFile}`)
  return out.join('\n') + '\n'
}

export function renderSetupJson(doc: SetupDocument, privilege?: Privilege): string {
  const step = (s: Step) => jsonStep(s, privilege)
  return JSON.stringify({
    ...doc,
    steps: doc.steps.map(step),
    satisfied: doc.satisfied.map(step),
    skipped: doc.skipped.map(step),
  }, null, 2) + '\n'
}
