// Shared test seams: a context built by hand, a probe that replays recorded output, the real CLI
// spawned as a user runs it, temporary folders and fake executables. Prerequisites: test/gate.ts.

import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { Readable } from 'node:stream'
import type { TestContext } from 'node:test'
import { createFacts, whichOn } from '../lib/context.js'
import { emptyConfig } from '../lib/config.js'
import { cliEntry, projectRoot } from '../lib/paths.js'
import { createProbe } from '../lib/probe.js'
import { need } from './gate.js'
import type { Context, Platform, Probe, ProbeResult } from '../lib/types.js'

export { projectRoot }
/** What users run: the bundle, as `shipshape` and setup.sh start it. */
export const cliPath = cliEntry
export const fixturesDir = join(projectRoot, 'test/fixtures')
export const fakeBinDir = join(projectRoot, 'test/bin')

export const fixture = (name: string) => readFile(join(fixturesDir, name), 'utf8')

export const debian12: Platform = {
  kind: 'linux',
  arch: 'x64',
  wsl: null,
  distro: { id: 'debian', version: '12', codename: 'bookworm' },
  macos: null,
  evidence: ['test fixture'],
}

/** A context for unit tests: fixture platform, empty config, a real probe unless one is given. */
export function makeContext(over: Partial<Context> = {}): Context {
  const env = over.env ?? { PATH: process.env.PATH, HOME: isolatedHome() }
  return {
    platform: debian12,
    env,
    hostRoot: '/',
    home: env.HOME ?? isolatedHome(),
    cwd: process.cwd(),
    probe: createProbe({ env }),
    which: whichOn(env),
    now: () => new Date(),
    config: emptyConfig(),
    facts: createFacts(),
    ...over,
  }
}

export type Recorded = Partial<ProbeResult> & { stdout?: string }

/**
 * A probe that answers from a table keyed by the command line ("docker version --format …"),
 * recording every call; an unknown command answers like a missing executable (exit 127).
 */
export function replayProbe(table: Record<string, Recorded | ((argv: readonly string[]) => Recorded)>): Probe & { calls: string[][] } {
  const calls: string[][] = []
  const probe = async (argv: readonly string[]) => {
    calls.push([...argv])
    const entry = table[argv.join(' ')]
    const r = typeof entry === 'function' ? entry(argv) : entry
    if (!r) return { ok: false, code: 127, stdout: '', stderr: `${argv[0]}: command not found`, timedOut: false, ms: 0 }
    const code = r.code ?? 0
    return { ok: code === 0 && !r.timedOut, code, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: r.timedOut ?? false, ms: r.ms ?? 1 }
  }
  return Object.assign(probe, { calls })
}

export async function tempDir(t: TestContext, prefix = 'shipshape-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** Writes a file, creating its folders. */
export async function put(path: string, text: string, mode?: number): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, text)
  if (mode !== undefined) await chmod(path, mode)
  return path
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the built `shipshape` as a user would, bounded so a hang fails the test instead of CI. */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
  return runProcess(process.execPath, [cliPath, ...args], { ...opts, env: opts.env ?? cleanEnv() })
}

export function runProcess(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (d) => (stdout += d))
    child.stderr?.on('data', (d) => (stderr += d))
    if (opts.input !== undefined) child.stdin?.end(opts.input)
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`))
    }, opts.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

const homes: string[] = []
process.on('exit', () => {
  for (const home of homes) rmSync(home, { recursive: true, force: true })
})

/** A fresh, empty HOME of its own, removed when the test process ends. */
export function isolatedHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'shipshape-home-'))
  homes.push(home)
  return home
}

/**
 * Environment for a spawned CLI: only what we pass, so the developer's own settings do not leak in.
 * HOME is a fresh folder unless the test gives one, and every per-user location (XDG cache and
 * config, kubeconfig, Docker's config) lies under it: a run never reads or writes the user's own
 * files, nor contacts the cluster their kubeconfig names.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = extra.HOME ?? isolatedHome()
  return {
    PATH: process.env.PATH,
    HOME: home,
    LANG: 'C',
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    KUBECONFIG: join(home, '.kube/config'),
    DOCKER_CONFIG: join(home, '.docker'),
    ...extra,
  }
}

/** true when a Docker daemon answers; the gate (test/gate.ts) skips by name or, under CI, fails. */
export function needDocker(t: TestContext): Promise<boolean> {
  return need(t, 'docker')
}

/** A fake executable for test PATHs. */
export async function fakeExecutable(dir: string, name: string, script: string): Promise<string> {
  return put(join(dir, name), `#!/bin/sh\n${script}\n`, 0o755)
}

/**
 * PATH with `names` absent: each folder of PATH that holds one of them is replaced by a temporary
 * folder of links to everything else it holds, so a test of "not installed" holds on a machine
 * that has the tool.
 */
/**
 * A host root (SHIPSHAPE_HOST_ROOT) that reads as Debian 12 and holds nothing else: with it, a tool
 * kept off PATH by pathWithout is absent from every folder an installer uses too (/usr/local/bin,
 * /usr/bin…), as on a machine that never had it. `maxMapCount` writes proc/sys/vm/max_map_count.
 */
export async function debianRoot(t: TestContext, opts: { maxMapCount?: number } = {}): Promise<string> {
  const root = await tempDir(t, 'shipshape-host-')
  await put(join(root, 'etc/os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n')
  await put(join(root, 'proc/version'), 'Linux version 6.1.0-27-amd64 (debian-kernel@lists.debian.org) #1 SMP\n')
  if (opts.maxMapCount !== undefined) await put(join(root, 'proc/sys/vm/max_map_count'), `${opts.maxMapCount}\n`)
  return root
}

export async function pathWithout(t: TestContext, names: string[], path = process.env.PATH ?? ''): Promise<string> {
  const out: string[] = []
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const entries = await readdir(dir).catch(() => [] as string[])
    if (!entries.some((e) => names.includes(e))) {
      out.push(dir)
      continue
    }
    const copy = await tempDir(t, 'shipshape-path-')
    for (const e of entries.filter((e) => !names.includes(e))) await symlink(join(dir, e), join(copy, e))
    out.push(copy)
  }
  return out.join(delimiter)
}

/**
 * PATH led by a crontab that logs its argv to `log` and holds no table (`-l` answers as Debian's
 * cron 3.0 does for a user without one), so `schedule` finds a scheduler on any machine.
 */
export async function pathWithEmptyCrontab(t: TestContext): Promise<{ path: string; log: string }> {
  const bin = await tempDir(t)
  const log = join(bin, 'crontab.log')
  await fakeExecutable(bin, 'crontab', `echo "crontab $*" >> '${log}'\ncase " $* " in *" -l "*) echo "no crontab for $(id -un)" >&2; exit 1 ;; esac\ncat > /dev/null`)
  return { path: [bin, process.env.PATH].join(delimiter), log }
}

export interface Served {
  child: ChildProcessByStdio<null, Readable, Readable>
  url: string
  exited: Promise<number | null>
  stderr: () => string
}

/** `shipshape serve --port 0 …` in `dir`, once it says where it listens; killed after the test. */
export async function serve(t: TestContext, dir: string, args: string[], env = cleanEnv()): Promise<Served> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => child.kill('SIGKILL'))
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 15 s: ${stderr}`)), 15_000)
    child.stderr.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
  })
  return { child, url, exited, stderr: () => stderr }
}
