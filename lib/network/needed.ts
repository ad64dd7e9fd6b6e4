// Whether a stack in use lists a network check in its `needs` (templates/<stack>/stack.yaml): then
// that check's failure is a required failure, as for max-map-count and ports.

import { stackNeeds } from '../stacks/declared.js'
import type { Context } from '../types.js'

export async function neededByStacks(ctx: Context, id: string): Promise<string[]> {
  const names = Object.keys(ctx.config.data.stacks)
  if (names.length === 0) return []
  return (await stackNeeds(names)).filter((s) => s.needs.includes(id)).map((s) => s.name)
}

