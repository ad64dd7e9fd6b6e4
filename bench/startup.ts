// `npm run bench`: how fast is `shipshape doctor --format json` next to a bare node start and next to
// shipshape's own `--version`, on Node 22, 24 and 26 side by side (the npm registry's node-<os>-<cpu>
// packages, installed once into a cache folder; BENCH_NODES=22,24 picks others), all measured in the
// same run, interleaved (one of each case per round), so the ratios hold on any machine and a burst of
// load hits every case alike. envinfo, which gathers similar facts, runs on this process's node. A
// cold run (no version cache) is compared with the slowest single command it has to start, which
// bounds it from below. Times are medians; a ratio is the median of each round's own ratio (paired
// runs), which a machine slowing down during the run does not move. Compare ratios, not milliseconds.

import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import which from 'which'
import { cliEntry } from '../lib/paths.js'

const rounds = Number(process.env.BENCH_RUNS ?? 11)
const envinfo = join(createRequire(import.meta.url).resolve('envinfo/package.json'), '../dist/cli.js')
// A cold run must not find the cache: each one gets an empty cache folder.
const coldCache = () => ({ XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'shipshape-bench-')) })

/** A node of this major: this process's own, else the registry's build, installed once. */
function nodeOf(major: string): string {
  if (process.versions.node.split('.')[0] === major) return process.execPath
  const pkg = `node-${process.platform}-${process.arch}`
  const prefix = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'shipshape-bench', `node-${major}`)
  const bin = join(prefix, 'node_modules', pkg, 'bin', 'node')
  if (!existsSync(bin)) {
    console.error(`installing ${pkg}@${major} for the bench into ${prefix}`)
    const r = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${pkg}@${major}`], { stdio: 'inherit', timeout: 600_000 })
    if (r.status !== 0) throw new Error(`npm install ${pkg}@${major} failed`)
  }
  return bin
}

interface Case {
  name: string
  argv: string[]
  env?: () => NodeJS.ProcessEnv
}

const casesFor = (node: string): Case[] => [
  { name: 'node -e 0 (baseline)', argv: [node, '-e', '0'] },
  { name: 'shipshape --version', argv: [node, cliEntry, '--version'] },
  { name: 'doctor --format json --offline (warm)', argv: [node, cliEntry, 'doctor', '--format', 'json', '--offline'] },
  { name: 'doctor --format json --offline (cold)', argv: [node, cliEntry, 'doctor', '--format', 'json', '--offline'], env: coldCache },
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
/** The median over rounds of a/b, each pair measured in the same round. */
const paired = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]))

const nodes = (process.env.BENCH_NODES ?? '22,24,26').split(',').map((major) => {
  const path = nodeOf(major.trim())
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim()
  return { label: `Node ${version.slice(1)}`, cases: casesFor(path) }
})
const probes = PROBES.filter((p) => which.sync(p[0], { nothrow: true }) !== null)
  .filter((p) => spawnSync(p[0], p.slice(1), { stdio: 'ignore', timeout: 20_000 }).status === 0)
const all: Case[] = [
  ...nodes.flatMap((n) => n.cases.map((c) => ({ ...c, name: `${n.label}: ${c.name}` }))),
  { name: 'envinfo', argv: [process.execPath, envinfo, '--system', '--binaries', '--virtualization', '--json'] },
  ...probes.map((p) => ({ name: p.join(' '), argv: p })),
]

// One warm-up round fills the file cache, node's compile cache and shipshape's version cache.
for (const c of all) time(c.argv, c.env?.())
const samples = new Map(all.map((c) => [c.name, [] as number[]]))
for (let i = 0; i < rounds; i++) for (const c of all) samples.get(c.name)!.push(time(c.argv, c.env?.()))

const of = (name: string) => samples.get(name)!
// Each round's slowest probe: the one a cold run of that round waited for at least.
const slowest = of(all[0].name).map((_, i) => Math.max(...probes.map((p) => of(p.join(' '))[i])))
const cell = (node: (typeof nodes)[number], i: number) => {
  const xs = of(`${node.label}: ${node.cases[i].name}`)
  const base = of(`${node.label}: ${node.cases[0].name}`)
  return `${median(xs).toFixed(0)} ms${i ? `, ${paired(xs, base).toFixed(2)}×` : ''}`
}
const rows = [
  ['', ...nodes.map((n) => n.label)],
  ...casesFor('').map((c, i) => [c.name, ...nodes.map((n) => cell(n, i))]),
  ['cold doctor / its slowest probe', ...nodes.map((n) => (probes.length ? `${paired(of(`${n.label}: ${n.cases[3].name}`), slowest).toFixed(2)}×` : 'n/a'))],
  ['warm doctor / envinfo', ...nodes.map((n) => `${paired(of(`${n.label}: ${n.cases[2].name}`), of('envinfo')).toFixed(2)}×`)],
]
const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)))
console.log(`median of ${rounds} interleaved rounds; ratios against node -e 0 of the same Node`)
for (const r of rows) console.log(r.map((c, col) => c.padEnd(widths[col])).join('  ').trimEnd())
console.log('\nwhat a cold run starts, one command at a time:')
for (const p of probes) console.log(`  ${p.join(' ')}: ${median(of(p.join(' '))).toFixed(0)} ms`)
