// Builds the Context every check reads: facts gathered once (platform, environment, config) and the
// injected probe. Tests build their own context with a fake probe and a fixture host root.

import { homedir } from 'node:os'
import which from 'which'
import { createProbe } from './probe.js'
import { detectPlatform } from './platform.js'
import { emptyConfig, type Config } from './config.js'
import type { Context, Env, Facts, Probe } from './types.js'

export interface ContextInput {
  env: Env
  cwd: string
  config?: Config
  probe?: Probe
  now?: () => Date
  noCache?: boolean
  /** --offline; network.offline in the config says the same. */
  offline?: boolean
}

export async function createContext(input: ContextInput): Promise<Context> {
  const { env, cwd } = input
  const hostRoot = env.SHIPSHAPE_HOST_ROOT || '/'
  const platform = await detectPlatform({ hostRoot, env, arch: env.SHIPSHAPE_ARCH || process.arch })
  return {
    platform,
    env,
    hostRoot,
    home: env.HOME || homedir(),
    cwd,
    probe: input.probe ?? createProbe({ env, cwd }),
    which: whichOn(env),
    now: input.now ?? (() => new Date()),
    config: input.config ?? emptyConfig(),
    facts: createFacts(),
    noCache: input.noCache,
    offline: Boolean(input.offline || input.config?.data.network?.offline),
  }
}

export function createFacts(): Facts {
  const memo = new Map<string, Promise<unknown>>()
  return {
    once<T>(key: string, compute: () => Promise<T>): Promise<T> {
      if (!memo.has(key)) memo.set(key, compute())
      return memo.get(key) as Promise<T>
    },
  }
}

// Tools are found on the context's PATH, not the process's, so a test PATH decides what is installed.
export function whichOn(env: Env): (cmd: string) => Promise<string | null> {
  return (cmd) => which(cmd, { path: env.PATH ?? '', nothrow: true })
}
