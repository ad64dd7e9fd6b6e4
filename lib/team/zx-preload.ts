// Loaded with `node --import` before a team's .mjs/.js script (lib/team/script.ts): zx's globals
// ($, cd, fs, chalk, question, …) from the zx shipshape ships, and `import 'zx'` in the script
// resolved to that same zx, so a team needs no zx of its own. It runs in the script's node, never
// in shipshape's: a doctor of the built-in checks does not load zx at all.

import { register } from 'node:module'

// NODE_PATH does not reach ES modules: a resolve hook sends `zx` and `zx/…` to our node_modules.
register('./zx-resolve.js', import.meta.url, { data: { parentURL: import.meta.url } })
await import('zx/globals')
