// The one suggester for a mistyped name (a command, an option, an option's value, a check id, a step
// id, a stack, a parameter, a config field): the known name it most likely meant, or none when
// nothing is near. `didYouMean` is the sentence every message ends with.

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
  if (bestDistance <= Math.max(2, Math.floor(name.length / 3)) || (best && (best.startsWith(name) || name.startsWith(best)))) return best
  // A known name inside what was typed ("docker-compose" for "compose"), or the other way round.
  // The longest wins: "docker-compose" means compose more than docker.
  const contained = known
    .filter((k) => k.length >= 4 && (lower.includes(k.toLowerCase()) || (lower.length >= 4 && k.toLowerCase().includes(lower))))
    .sort((a, b) => b.length - a.length)[0]
  return contained
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

/** " Did you mean 'x'?" for a mistyped `name`, or `otherwise` (the known names, say) when nothing is near. */
export function didYouMean(name: string, known: readonly string[], otherwise = ''): string {
  const near = closest(name, known)
  return near ? ` Did you mean '${near}'?` : otherwise
}
