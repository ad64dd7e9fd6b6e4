// The one suggester for a mistyped name (a command, a check id, a step id, a stack or a parameter):
// the known name it most likely meant, or none when nothing is near.

/** The known name `name` most likely meant, or undefined. */
export function closest(name: string, known: readonly string[]): string | undefined {
  // A beginning ("elastic", "mongo") is what people type most; it beats any edit distance.
  const lower = name.toLowerCase()
  const prefixed = known.find((k) => lower.length >= 3 && k.toLowerCase().startsWith(lower))
  if (prefixed) return prefixed
  let best: string | undefined
  let bestDistance = Infinity
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [k, d]
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) || (best && (best.startsWith(name) || name.startsWith(best))) ? best : undefined
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = row
  }
  return prev[b.length]
}
