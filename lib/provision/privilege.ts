// Who runs setup, and how a step gets root or goes back to the invoking user. Steps that need root
// run through `sudo -n` when we are not root (stdin is closed, so sudo must not prompt: a missing
// ticket fails the step by name instead of hanging); with neither root nor sudo they fail by name.
// SHIPSHAPE_UID overrides the process's uid so tests can plan as an ordinary user while CI runs as root.

import type { Context, Privilege, Probe } from '../types.js'

export function isRoot(ctx: Pick<Context, 'env'>): boolean {
  const forced = ctx.env.SHIPSHAPE_UID
  if (forced !== undefined && forced !== '') return forced === '0'
  return process.getuid?.() === 0
}

/** The person setup is for: SUDO_USER under sudo, else USER/LOGNAME; null when that is root. */
export function invokingUser(ctx: Pick<Context, 'env'>): string | null {
  const name = (isRoot(ctx) ? ctx.env.SUDO_USER : undefined) || ctx.env.USER || ctx.env.LOGNAME || null
  return name && name !== 'root' ? name : null
}

/** The prefix that makes a command run as root: none when root, `sudo -n` otherwise. */
export function asRoot(ctx: Pick<Context, 'env'>): string[] {
  return isRoot(ctx) ? [] : ['sudo', '-n']
}

export class PrivilegeError extends Error {}

/**
 * A probe that answers sudo's password prompt: every `sudo -n …` becomes `sudo -S -p '' …` with the
 * password on stdin. sudo's cached ticket cannot help here (it is kept per terminal, and the probe's
 * children have none), so the password the person typed once is handed to each call, never logged.
 */
export function withSudoPassword(probe: Probe, password: string): Probe {
  return (argv, opts = {}) => {
    if (argv[0] !== 'sudo' || argv[1] !== '-n') return probe(argv, opts)
    return probe(['sudo', '-S', '-p', '', ...argv.slice(2)], { ...opts, input: `${password}\n` })
  }
}

/** argv as it must really run for a step: through sudo, or back to the invoking user. */
export async function effectiveArgv(ctx: Context, step: { argv: string[]; sudo: boolean; asUser?: boolean; id: string }): Promise<string[]> {
  if (step.sudo && !isRoot(ctx)) {
    if (!(await ctx.which('sudo'))) throw new PrivilegeError(`step ${step.id} needs root: run setup as root, or install sudo`)
    return ['sudo', '-n', ...step.argv]
  }
  if (step.asUser && isRoot(ctx)) {
    const user = ctx.env.SUDO_USER
    if (!user || user === 'root') throw new PrivilegeError(`step ${step.id} must not run as root: run setup as your own user`)
    return ['sudo', '-n', '-u', user, '-H', '--', ...step.argv]
  }
  return step.argv
}

/** How advice gets root on this machine: as root nothing, with sudo installed `sudo`, otherwise `su -c`. */
export async function privilegeOf(ctx: Pick<Context, 'env' | 'which'>): Promise<Privilege> {
  if (isRoot(ctx)) return 'root'
  return (await ctx.which('sudo')) ? 'sudo' : 'su'
}

/** Root with no invoking user to go back to (not under sudo): steps that refuse root cannot run. */
export function rootWithoutUser(ctx: Pick<Context, 'env'>): boolean {
  return isRoot(ctx) && (!ctx.env.SUDO_USER || ctx.env.SUDO_USER === 'root')
}
