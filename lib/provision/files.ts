// Files the installers read and write on the machine being set up (under SHIPSHAPE_HOST_ROOT).
// Every write is whole or nothing (lib/atomic-write.ts); files under /etc are placed through
// `install` + `mv` with sudo when we are not root, which is atomic the same way.

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, basename } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import type { Context } from '../types.js'
import { asRoot } from './privilege.js'

/** A path on the machine being set up; SHIPSHAPE_HOST_ROOT moves it (tests, a mounted disk). */
export function hostPath(ctx: Pick<Context, 'hostRoot'>, absolute: string): string {
  return ctx.hostRoot === '/' ? absolute : join(ctx.hostRoot, absolute)
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false)
}

export async function readOrNull(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null)
}

/**
 * Places a system file (0644 unless told) atomically: directly when we may write there, otherwise
 * through `sudo install` to a temporary name in the same folder and `sudo mv` over the target.
 */
export async function placeFile(ctx: Context, path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  const target = hostPath(ctx, path)
  const prefix = asRoot(ctx)
  if (prefix.length === 0) {
    await writeFileAtomic(target, data, { mode })
    return
  }
  await withStagedFile(basename(target), data, 0o600, async (staged) => {
    const tmp = join(dirname(target), `.${basename(target)}.shipshape-tmp`)
    await mustRun(ctx, [...prefix, 'install', '-d', '-m', '0755', dirname(target)])
    await mustRun(ctx, [...prefix, 'install', '-m', mode.toString(8).padStart(4, '0'), staged, tmp])
    try {
      await mustRun(ctx, [...prefix, 'mv', '-f', tmp, target])
    } catch (error) {
      // The target is untouched; take the staged copy away too so nothing half-done stays in /etc.
      await ctx.probe([...prefix, 'rm', '-f', tmp])
      throw error
    }
  })
}

/** Puts `data` in a private temporary folder for `use` (an installer to run, a .deb to install), then removes it. */
export async function withStagedFile<T>(name: string, data: string | Uint8Array, mode: number, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'shipshape-'))
  try {
    const file = join(dir, name)
    await writeFileAtomic(file, data, { mode, forceMode: true })
    return await use(file)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Runs a command through the probe and throws its stderr, naming the command, when it fails. */
export async function mustRun(ctx: Context, argv: string[], timeoutMs = 60_000): Promise<string> {
  const r = await ctx.probe(argv, { timeoutMs })
  if (!r.ok) {
    const why = r.timedOut ? `no answer within ${timeoutMs} ms` : (r.stderr.trim() || r.stdout.trim() || `exit ${r.code}`)
    throw new Error(`${argv.join(' ')}: ${why.split('\n').slice(-3).join(' ')}`)
  }
  return r.stdout
}
