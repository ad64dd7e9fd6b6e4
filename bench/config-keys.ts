// `npm run bench`, second part: how the time to load a shipshape.yaml grows with its size. yaml's own
// duplicate-key check was quadratic (80k keys took over a minute); shipshape's is linear, so twice the
// keys should take about twice the time. Measured here rather than asserted in a test: a time limit in
// a test fails on a busy machine and says nothing on a fast one.

import { parseConfig } from '../lib/config.js'
import { UsageError } from '../lib/errors.js'

/** A config of `n` short keys in flow style, the last one a duplicate (under the 1 MB bound at 100k). */
const config = (n: number) => `stacks:\n  mongodb: {${Array.from({ length: n }, (_, i) => `k${i.toString(36)}: 1`).join(',')},k0: 2}\n`

async function ms(n: number): Promise<number> {
  const text = config(n)
  const start = process.hrtime.bigint()
  await parseConfig(text, 'shipshape.yaml').catch((e: unknown) => {
    if (!(e instanceof UsageError)) throw e
  })
  return Number(process.hrtime.bigint() - start) / 1e6
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const sizes = [25_000, 50_000, 100_000]
const times = new Map(sizes.map((n) => [n, [] as number[]]))
await ms(sizes[0])
for (let round = 0; round < 5; round++) for (const n of sizes) times.get(n)!.push(await ms(n))
console.log('\nshipshape.yaml with n keys and one duplicate (median of 5):')
for (const n of sizes) console.log(`  ${String(n).padStart(7)} keys: ${median(times.get(n)!).toFixed(0)} ms`)
console.log(`  100k / 50k keys: ${(median(times.get(100_000)!) / median(times.get(50_000)!)).toFixed(2)}× (linear: about 2×)`)
