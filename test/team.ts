// A team's shipshape.yaml with its own check scripts in a temporary folder, and the spawned CLI run
// there with a HOME of its own (where `shipshape allow` records).

import type { TestContext } from 'node:test'
import { join } from 'node:path'
import { cleanEnv, put, runCli, tempDir, type CliResult } from './helpers.js'

export interface Team {
  dir: string
  home: string
  env: NodeJS.ProcessEnv
  run(args: string[], timeoutMs?: number): Promise<CliResult>
}

/** `files`: path (relative to the folder) → text; `.sh` files are made executable. */
export async function team(t: TestContext, config: string, files: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<Team> {
  const dir = await tempDir(t, 'shipshape-team-')
  const home = await tempDir(t, 'shipshape-home-')
  await put(join(dir, 'shipshape.yaml'), config)
  for (const [path, text] of Object.entries(files)) await put(join(dir, path), text, path.endsWith('.sh') ? 0o755 : undefined)
  const fullEnv = cleanEnv({ HOME: home, ...env })
  return { dir, home, env: fullEnv, run: (args, timeoutMs = 60_000) => runCli(args, { cwd: dir, env: fullEnv, timeoutMs }) }
}

/** doctor --format json's checks by id. */
export function byId(stdout: string): Record<string, { status: string; summary: string; required: boolean; details: string[]; fix: { steps: { id: string; command?: string }[]; manual?: string } | null }> {
  const doc = JSON.parse(stdout) as { checks: { id: string }[] }
  return Object.fromEntries(doc.checks.map((c) => [c.id, c])) as never
}
