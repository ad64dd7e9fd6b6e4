// What a fix may propose, decided in one place for doctor, setup and every report:
// - a check that timed out or errored learned nothing, so it proposes no install, removal or rewrite:
//   only how to look again (a longer --timeout, the command to run by hand);
// - steps that refuse root (minikube start with the docker driver, brew) are not planned when we are
//   root with no invoking user to go back to; the fix says what to do instead;
// - what is already done is left out, by the same plan `setup --only <check>` builds;
// - the lines say how this machine gets root (nothing as root, sudo, or su -c without sudo).

import { shellLine } from '../probe.js'
import { stepText } from '../report/fix-text.js'
import type { Context, Finding, Fix } from '../types.js'
import { buildPlan, orderByNeeds } from './plan.js'
import { privilegeOf, rootWithoutUser } from './privilege.js'

/** A command a check ran, as the runner saw it: still running (`settled` false), killed, or its exit. */
export interface ProbeRecord {
  argv: readonly string[]
  settled: boolean
  timedOut: boolean
  code: number | null
}

export interface Look {
  /** The commands the check ran, in order. */
  probes?: readonly ProbeRecord[]
  /** The check's bound in ms. */
  boundMs?: number
}

/** No change for an unknown cause: what could not be learned, and how to look. */
export function unknownCauseFix(finding: Pick<Finding, 'id' | 'status'>, look: Look = {}): Fix {
  const probes = look.probes ?? []
  const stuck = probes.find((p) => !p.settled || p.timedOut || p.code === null) ?? probes.at(-1)
  const lines = [
    finding.status === 'timeout'
      ? `shipshape could not learn the state in time, so it proposes no change. Look again with a longer bound: shipshape doctor --only ${finding.id} --timeout ${Math.max(10_000, (look.boundMs ?? 3_000) * 3)}`
      : `shipshape could not learn the state, so it proposes no change. Look again: shipshape doctor --only ${finding.id} --verbose`,
  ]
  if (stuck) lines.push(`Or run by hand: ${shellLine(stuck.argv)}`)
  return { steps: [], manual: lines.join('\n') }
}

/** A check's fix as every report shows it and `setup --only <check>` would plan it. */
export async function settleFix(ctx: Context, finding: Finding, fix: Fix | null, look: Look = {}): Promise<Fix | null> {
  if (finding.status === 'timeout' || finding.status === 'error') {
    // Advice with no steps (restart Docker Desktop) still helps; any step would act on a guess.
    const unknown = unknownCauseFix(finding, look)
    const keep = fix && fix.steps.length === 0 && fix.manual ? `${fix.manual}\n` : ''
    return { steps: [], manual: keep + unknown.manual, privilege: await privilegeOf(ctx) }
  }
  if (!fix) return null
  const manual: string[] = []
  let steps = orderByNeeds(fix.steps.map((s) => ({ ...s, reason: s.reason ?? finding.id })))
  if (rootWithoutUser(ctx)) {
    const refused = new Set<string>()
    for (const s of steps) if (s.asUser || s.needs?.some((n) => refused.has(n))) refused.add(s.id)
    for (const s of steps.filter((x) => refused.has(x.id))) {
      manual.push(`Not planned as root (it refuses to run as root, and there is no user to run it as): log in as your own user and run: ${stepText(s)}`)
    }
    steps = steps.filter((s) => !refused.has(s.id))
  }
  // What to do instead of a step left out comes first: the fix's own advice may build on it.
  if (fix.manual) manual.push(fix.manual)
  const plan = await buildPlan(ctx, [{ ...finding, fix: { steps } }])
  if (plan.steps.length === 0 && manual.length === 0) return null
  const { manual: _given, ...rest } = fix
  return { ...rest, steps: plan.steps, ...(manual.length ? { manual: manual.join('\n') } : {}), privilege: await privilegeOf(ctx) }
}
