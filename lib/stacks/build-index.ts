// Run by `npm run build` after tsc: writes dist/stacks.json, the stacks' declarations as JSON, so
// doctor need not load a YAML parser to learn a stack's ports (see declared.ts).

import { INDEX_FILE, writeIndex } from './declared.js'

await writeIndex()
console.log(`wrote ${INDEX_FILE}`)
