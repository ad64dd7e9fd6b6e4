// `npm run bench`: how fast is `shipshape doctor --format json` next to a bare node start, next to
// shipshape's own `--version` and next to envinfo (which gathers similar facts), all measured in the
// same run, interleaved (one of each case per round), so the ratios hold on any machine and a burst
// of load hits every case alike. A cold run (no version cache) is compared with the slowest single
// command it has to start, which bounds it from below. Times are medians; a ratio is the median of
// each round's own ratio (paired runs), which a machine slowing down during the run does not move.
// Compare the ratios between commits, not the milliseconds.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import which from 'which'
import { cliEntry } from '../lib/paths.js'

const rounds = Number(process.env.BENCH_RUNS ?? 11)
const node = process.execPath
const envinfo = join(createRequire(import.meta.url).resolve('envinfo/package.json'), '../dist/cli.js')
// A cold run must not find the cache: each one gets an empty cache folder.
const coldCache = () => ({ XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'shipshape-bench-')) })

interface Case {
  name: string
  argv: string[]
  env?: () => NodeJS.ProcessEnv
}

const doctor = [node, cliEntry, 'doctor', '--format', 'json', '--offline']
const cases: Case[] = [
  { name: 'node -e 0 (baseline)', argv: [node, '-e', '0'] },
  { name: 'shipshape --version', argv: [node, cliEntry, '--version'] },
  { name: 'shipshape doctor --format json --offline (warm)', argv: doctor },
  { name: 'shipshape doctor --format json --offline (cold)', argv: doctor, env: coldCache },
  { name: 'envinfo --system --binaries --virtualization --json', argv: [node, envinfo, '--system', '--binaries', '--virtualization', '--json'] },
]

// What a cold run starts: each tool's version command (lib/version-cache.ts), where the tool exists.
const PROBES: string[][] = [
  ['docker', '--version'],
  ['docker', 'compose', 'version', '--format', 'json'],
  ['docker-compose', 'version'],
  ['kubectl', 'version', '--client', '-o', 'json'],
  ['minikube', 'version', '--output=json'],
]

function time(argv: string[], env?: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint()
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, timeout: 120_000 })
  if (r.error) throw r.error
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (env?.XDG_CACHE_HOME) rmSync(env.XDG_CACHE_HOME, { recursive: true, force: true })
  return ms
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const probes = PROBES.filter((p) => which.sync(p[0], { nothrow: true }) !== null)
  .filter((p) => spawnSync(p[0], p.slice(1), { stdio: 'ignore', timeout: 20_000 }).status === 0)

// One warm-up round fills the file cache and shipshape's version cache.
for (const c of cases) time(c.argv, c.env?.())
const samples = new Map<string, number[]>([...cases.map((c) => [c.name, []] as [string, number[]]), ...probes.map((p) => [p.join(' '), []] as [string, number[]])])
for (let i = 0; i < rounds; i++) {
  for (const c of cases) samples.get(c.name)!.push(time(c.argv, c.env?.()))
  for (const p of probes) samples.get(p.join(' '))!.push(time(p))
}

const ms = (name: string) => median(samples.get(name)!)
/** The median over rounds of a/b, each pair measured in the same round. */
const paired = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]))
const of = (name: string) => samples.get(name)!
const baseline = of(cases[0].name)
const width = Math.max(...[...samples.keys()].map((k) => k.length))
console.log(`median of ${rounds} interleaved rounds, Node ${process.version}`)
for (const c of cases) console.log(`${c.name.padEnd(width)}  ${ms(c.name).toFixed(0).padStart(6)} ms  ${paired(of(c.name), baseline).toFixed(2)}× baseline`)
console.log('\nwhat a cold run starts, one command at a time:')
for (const p of probes) console.log(`${p.join(' ').padEnd(width)}  ${ms(p.join(' ')).toFixed(0).padStart(6)} ms`)

const warm = of(cases[2].name)
const cold = of(cases[3].name)
// Each round's slowest probe: the one a cold run of that round waited for at least.
const slowest = baseline.map((_, i) => Math.max(...probes.map((p) => of(p.join(' '))[i])))
console.log(`
warm doctor / node -e 0:           ${paired(warm, baseline).toFixed(2)}× (goal: at most 2.00×)
warm doctor / shipshape --version: ${paired(warm, of(cases[1].name)).toFixed(2)}×
warm doctor / envinfo:             ${paired(warm, of(cases[4].name)).toFixed(2)}×
cold doctor / slowest probe:       ${probes.length ? `${paired(cold, slowest).toFixed(2)}×` : 'n/a (no tool to probe)'} (goal: at most 1.50×)`)
