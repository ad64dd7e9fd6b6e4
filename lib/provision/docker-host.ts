// DOCKER_HOST in the user's shell start-up files. Set (WSL 1 → Docker Desktop's exposed daemon)
// goes in one marked block in the login shell's rc file; unset (a leftover that breaks Docker
// Desktop's WSL integration or a local daemon) comments the old lines out in every rc file that has
// them. Each file is one atomic edit with a backup (rcfile.ts).

import { mainRcFile, rcFiles } from '../shell-rc.js'
import type { Context, Step } from '../types.js'
import { RC_MAX_BYTES, readBoundedOrNull } from '../bounded-read.js'
import { applyRcChange, rcSatisfied, shellOfFile } from './rcfile.js'

/** The login shell's rc file, which gets the block (the list of files is lib/shell-rc.ts's, shared with doctor). */
export function shellRcFile(ctx: Pick<Context, 'env' | 'home'>): string {
  return mainRcFile(ctx.home, (ctx.env.SHELL ?? '').split('/').pop() ?? '')
}

/** Every rc file doctor reads that exists and mentions DOCKER_HOST, plus the login shell's when we set it. */
async function filesToEdit(ctx: Context, value: string | null): Promise<string[]> {
  const all = (await rcFiles(ctx.home)).map((f) => f.path)
  const mention: string[] = []
  // A FIFO or an oversized file is named (by the edit that refuses it), never opened blocking.
  for (const f of all) if ((await readBoundedOrNull(f, RC_MAX_BYTES).catch(() => 'DOCKER_HOST'))?.includes('DOCKER_HOST')) mention.push(f)
  const main = shellRcFile(ctx)
  return value === null ? mention : [...new Set([main, ...mention])]
}

export function dockerHostRcStep(ctx: Context, value: string | null, keep?: (line: string) => boolean): Step {
  const main = shellRcFile(ctx)
  const change = (file: string) => ({ dockerHost: file === main ? value : null, shell: shellOfFile(file), keep })
  return {
    id: 'docker-host-rc',
    title: value === null
      ? 'Comment out DOCKER_HOST in your shell start-up files (backed up first)'
      : `Set DOCKER_HOST=${value} in ${main} (one marked block, backed up first)`,
    argv: [],
    sudo: false,
    async done(c) {
      for (const f of await filesToEdit(c, value)) if (!(await rcSatisfied(f, change(f)))) return false
      return true
    },
    async perform(c) {
      for (const f of await filesToEdit(c, value)) await applyRcChange(f, change(f), c.now())
    },
  }
}

export function dockerHostManual(value: string | null): string {
  return value === null
    ? 'Open a new terminal (or run: unset DOCKER_HOST) so the old value is gone from this shell.'
    : `Open a new terminal (or run: export DOCKER_HOST=${value}) so the new value applies.`
}
