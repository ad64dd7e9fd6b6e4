// A clock that drifted (WSL 2 after sleep, a laptop without time sync) breaks TLS ("certificate is
// not yet valid") and apt. We compare this machine's time with the Date header of the first registry
// that answered the registries check: the same request, shared through ctx.facts, never a second one.

import { neededByStacks } from '../lib/network/needed.js'
import { probeRegistries } from '../lib/network/registries.js'
import type { Check, Context, Fix, Outcome } from '../lib/types.js'

export const WARN_SKEW_S = 60
export const FAIL_SKEW_S = 300

export const clock = {
  id: 'clock',
  title: 'Clock',
  about: {
    looks: 'this machine\'s time against the Date header of the first registry that answered',
    why: 'TLS refuses certificates outside their dates, so a clock off by minutes breaks pulls',
    statuses: { ok: 'within 60 s', warn: 'over 60 s off', fail: 'over 5 minutes off; the fix turns on time sync' },
  },
  required: false,
  network: true,
  async run(ctx) {
    const [run, needed] = await Promise.all([probeRegistries(ctx), neededByStacks(ctx, 'clock')])
    const answered = run.results.find((r) => r.reach.ok && r.reach.date && Number.isFinite(Date.parse(r.reach.date)))
    if (!answered || !answered.reach.ok) {
      const hint = run.results.some((r) => !r.reach.ok && r.reach.problem === 'not-yet-valid') ? " (a certificate 'not yet valid' suggests this clock is behind)" : ''
      const why = run.results.length ? 'no registry answered with a Date header' : 'no registry to compare with (see the registries check)'
      return { status: 'skip', summary: `${why}, so the skew cannot be measured${hint}` }
    }
    const skewS = (Date.parse(answered.reach.date!) - answered.at.getTime()) / 1000
    return judgeSkew(skewS, answered.target.name, needed.length > 0)
  },
  fix: (ctx) => clockFix(ctx),
} satisfies Check

/** skewS: the registry's time minus ours, in seconds (positive: this machine is behind). */
export function judgeSkew(skewS: number, registry: string, needed: boolean): Outcome {
  const size = Math.abs(skewS)
  const way = skewS > 0 ? 'behind' : 'ahead of'
  const details = [`compared with the Date header of ${registry} (1 s resolution)`]
  // The header has whole seconds; a second either way is measurement, not drift.
  if (size < WARN_SKEW_S) return { status: 'ok', summary: `within ${Math.max(1, Math.ceil(size))} s of ${registry}'s clock`, details }
  const text = `this machine's clock is ${duration(size)} ${way} ${registry}'s`
  if (size <= FAIL_SKEW_S) return { status: 'warn', summary: `${text} (over ${WARN_SKEW_S} s)`, details }
  return { status: 'fail', required: needed, summary: `${text}: TLS and apt fail beyond a few minutes`, details }
}

function duration(seconds: number): string {
  const s = Math.round(seconds)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}

export function clockFix(ctx: Context): Fix {
  switch (ctx.platform.kind) {
    case 'wsl':
      return {
        steps: [{ id: 'clock-hwclock', title: "Set WSL's clock from the hardware clock", argv: ['hwclock', '-s'], sudo: true }],
        manual: "If it drifts again after sleep, run `wsl --shutdown` from Windows (WSL 2's clock is set again at start).",
      }
    case 'macos':
      return { steps: [], manual: 'System Settings > General > Date & Time: turn on "Set time and date automatically".' }
    default:
      return {
        steps: [{ id: 'clock-ntp', title: 'Turn on network time (systemd-timesyncd)', argv: ['timedatectl', 'set-ntp', 'true'], sudo: true }],
        manual: 'Without systemd-timesyncd: sudo apt-get install systemd-timesyncd (or chrony), then check with `timedatectl`.',
      }
  }
}
