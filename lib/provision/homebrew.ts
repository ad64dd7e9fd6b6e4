// Homebrew on macOS: the prefix differs by CPU (/opt/homebrew on Apple Silicon, /usr/local on Intel),
// and steps call brew by its full path so they work in the same run that installed it, before the
// shell's PATH knows it. A missing Homebrew is installed with its official script, downloaded by
// node, only as a step the person confirms; it asks for their password itself, so it needs a TTY.

import { dirname } from 'node:path'
import type { Context, Step } from '../types.js'
import { download } from './download.js'
import { exists, hostPath, withStagedFile } from './files.js'
import { source } from './sources.js'
import { pathStep } from './shell-path.js'

export const brewPrefix = (arch: string) => (arch === 'arm64' ? '/opt/homebrew' : '/usr/local')
export const brewPath = (ctx: Pick<Context, 'platform'>) => `${brewPrefix(ctx.platform.arch)}/bin/brew`

export async function hasBrew(ctx: Context): Promise<boolean> {
  return (await ctx.which('brew')) !== null || (await exists(hostPath(ctx, brewPath(ctx))))
}

export function homebrewStep(ctx: Context): Step {
  const url = source(ctx, 'homebrew-install')
  return {
    id: 'homebrew',
    title: `Install Homebrew into ${brewPrefix(ctx.platform.arch)} with its official installer (${url}); it asks for your password`,
    argv: [],
    sudo: false,
    asUser: true,
    shell: [{ argv: ['curl', '-fsSL', '-o', '/tmp/brew-install.sh', url] }, { argv: ['/bin/bash', '/tmp/brew-install.sh'] }],
    done: hasBrew,
    async perform(c) {
      const script = await download(c.env, url)
      await withStagedFile('install.sh', script, 0o700, async (file) => {
        // Homebrew's documented unattended mode: no "Press RETURN"; sudo must not need a prompt.
        const r = await c.probe(['/bin/bash', file], { timeoutMs: 30 * 60_000, env: { ...c.env, NONINTERACTIVE: '1' } })
        if (!r.ok) throw new Error(`${url}: the installer failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')} (run it yourself from https://brew.sh, then setup again)`)
      })
    },
  }
}

/** `brew install [--cask] NAME…`, done when brew lists them all. */
export function brewInstall(ctx: Context, id: string, title: string, names: string[], opts: { cask?: boolean; needs?: string[]; done?: Step['done'] } = {}): Step {
  const brew = brewPath(ctx)
  const kind = opts.cask ? ['--cask'] : ['--formula']
  return {
    id,
    title,
    argv: [brew, 'install', ...(opts.cask ? ['--cask'] : []), ...names],
    sudo: false,
    asUser: true,
    timeoutMs: 30 * 60_000,
    needs: opts.needs,
    async done(c) {
      if (opts.done && (await opts.done(c))) return true
      const r = await c.probe([brew, 'list', ...kind, ...names], { timeoutMs: 20_000 })
      return r.ok
    },
  }
}

/**
 * Steps to get Homebrew itself when it is missing; installers put its id in their needs. Homebrew's
 * installer only prints the advice to add its shellenv line, so without that step brew and all it
 * installs are "not on PATH" in every new terminal; it comes along whenever brew is not on PATH.
 */
export async function brewNeeds(ctx: Context): Promise<{ steps: Step[]; needs: string[] }> {
  if ((await ctx.which('brew')) !== null) return { steps: [], needs: [] }
  const shellenv = pathStep(ctx, dirname(brewPath(ctx)))
  if (await exists(hostPath(ctx, brewPath(ctx)))) return { steps: [shellenv], needs: [] }
  return { steps: [homebrewStep(ctx), { ...shellenv, needs: ['homebrew'] }], needs: ['homebrew'] }
}
