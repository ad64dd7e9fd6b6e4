// `npm run bench`: how fast is `shipshape doctor --format json` next to a bare node start and next to
// envinfo (which gathers similar facts), measured in the same run so the ratios hold on any machine.
// Figures are medians of several runs; the ratios are what to compare between commits.

import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { projectRoot } from '../lib/paths.js'

const runs = Number(process.env.BENCH_RUNS ?? 7)
const node = process.execPath
const cli = join(projectRoot, 'dist/scripts/cli.js')
const envinfo = join(createRequire(import.meta.url).resolve('envinfo/package.json'), '../dist/cli.js')

interface Case {
  name: string
  argv: string[]
  env?: NodeJS.ProcessEnv
}

const cases: Case[] = [
  { name: 'node -e 0 (baseline)', argv: [node, '-e', '0'] },
  { name: 'shipshape doctor --format json', argv: [node, cli, 'doctor', '--format', 'json'] },
  { name: 'shipshape doctor --format json --no-cache', argv: [node, cli, 'doctor', '--format', 'json', '--no-cache'] },
  { name: 'envinfo --system --binaries --virtualization --json', argv: [node, envinfo, '--system', '--binaries', '--virtualization', '--json'] },
]

function time(c: Case): number {
  const start = process.hrtime.bigint()
  const r = spawnSync(c.argv[0], c.argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...c.env }, timeout: 120_000 })
  if (r.error) throw r.error
  return Number(process.hrtime.bigint() - start) / 1e6
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

// One warm-up run each fills the file cache (and shipshape's version cache) before measuring.
for (const c of cases) time(c)
const results = cases.map((c) => ({ name: c.name, ms: median(Array.from({ length: runs }, () => time(c))) }))
const base = results[0].ms
const width = Math.max(...results.map((r) => r.name.length))
console.log(`median of ${runs} runs, Node ${process.version}`)
for (const r of results) console.log(`${r.name.padEnd(width)}  ${r.ms.toFixed(0).padStart(6)} ms  ${(r.ms / base).toFixed(2)}× baseline`)
const doctor = results[1].ms
const info = results[3].ms
console.log(`shipshape doctor / envinfo: ${(doctor / info).toFixed(2)}×`)
