// The registry: the one place that lists the checks, in the order reports show them.
// Platform filters live on each check (appliesTo); dependencies in `needs`.

import type { Check } from '../lib/types.js'
import { platform } from './platform.js'

export const registry: readonly Check[] = [platform]

export const checkIds = (): string[] => registry.map((c) => c.id)
