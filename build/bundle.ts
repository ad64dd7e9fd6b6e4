// `npm run build`'s last step: bundle the compiled CLI (dist/scripts/cli.js and everything it
// imports statically, dependencies included) into dist/cli/, the program `shipshape` runs. Loading
// is most of a warm doctor run: about a hundred modules, its CommonJS dependencies (commander,
// semver) each through node's ES module translator. Bundled, a warm run takes a sixth less time
// (`npm run bench`). Code splitting keeps each command's code in its own chunks, so `--version`
// loads no check and doctor no template engine.
// dist/scripts/*.js stay as tsc writes them: the tests import them, and each still runs on its own.

import { chmodSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build, type Plugin } from 'esbuild'
import { cliEntry, projectRoot } from '../lib/paths.js'

// A package the code loads with import() (yaml, zod, ora, undici…) stays out of the bundle, for node
// to load when asked: in a split bundle esbuild hands import() of a CommonJS package its default
// export only, where node gives its named exports too. Packages imported statically are bundled.
const packagesImportedLater: Plugin = {
  name: 'packages-imported-later',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined))
  },
}

const outdir = join(projectRoot, 'dist/cli')
// Chunks are named by their hash: a build must not leave the last build's beside them.
rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: { shipshape: join(projectRoot, 'dist/scripts/cli.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Every chunk sits two folders below the root, as dist/lib/paths.js does: paths.ts finds the
  // project (templates, package.json) as ../../ from its own module.
  chunkNames: '[name]-[hash]',
  plugins: [packagesImportedLater],
  // CommonJS dependencies (commander, semver, which) call require() for node's modules, which an
  // ES module lacks: each chunk gets one made for its own URL.
  banner: { js: "import { createRequire as __shipshapeRequire } from 'node:module'; const require = __shipshapeRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
})
chmodSync(cliEntry, 0o755)

