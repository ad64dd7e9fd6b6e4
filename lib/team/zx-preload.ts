// Loaded with `node --import` before a team's .mjs/.js script (lib/team/script.ts): zx's globals
// ($, cd, fs, chalk, question, …) from the zx shipshape ships, and `import 'zx'` in the script
// resolved to that same zx, so a team needs no zx of its own. It runs in the script's node, never
// in shipshape's: a doctor of the built-in checks does not load zx at all.

import module from 'node:module'
import { zxFrom } from './zx-resolve.js'

// NODE_PATH does not reach ES modules: a resolve hook sends `zx` and `zx/…` to our node_modules.
// module.registerHooks (in-thread, Node 22.15 and later) where node has it: Node 26 warns that
// module.register (a loader thread, the only way on Node 20) is deprecated.
const { registerHooks } = module as { registerHooks?: (hooks: { resolve: typeof zxResolve }) => unknown }
const zxResolve = zxFrom(import.meta.url)
if (registerHooks) registerHooks({ resolve: zxResolve })
else module.register('./zx-resolve.js', import.meta.url, { data: { parentURL: import.meta.url } })
await import('zx/globals')
