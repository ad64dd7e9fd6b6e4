// `npm run build`'s last step: bundle what tsc wrote into dist/cli/, the program `shipshape` runs:
// shipshape.js (scripts/cli.ts: help, --version, picking the command) and one file per command,
// each holding all the code it imports, dependencies included. Loading is most of a warm doctor
// run, and one file loads faster than the hundred modules tsc writes (its CommonJS dependencies each
// through node's ES module translator) or the few dozen chunks of a split bundle: a warm doctor
// takes about a fifth less time (`npm run bench`). Code a command shares with another is copied
// into both, so each command's file carries its own runMain and shipshape.js hands over to it
// (scripts/cli.ts). dist/scripts/*.js stay as tsc writes them: the tests import them, and each still
// runs on its own.

import { chmodSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { build, type Plugin } from 'esbuild'
import { cliEntry, projectRoot } from '../lib/paths.js'
import { COMMANDS } from '../scripts/cli.js'

const scripts = join(projectRoot, 'dist/scripts')
const outdir = join(projectRoot, 'dist/cli')

// Each command's file exports its main and the runMain that goes with it.
const commandEntries: Plugin = {
  name: 'command-entries',
  setup(b) {
    b.onResolve({ filter: /^command:/ }, (args) => ({ path: args.path.slice('command:'.length), namespace: 'command' }))
    b.onLoad({ filter: /.*/, namespace: 'command' }, (args) => ({
      contents: `export { main } from './${args.path}.js'\nexport { runMain } from './run-main.js'\n`,
      resolveDir: scripts,
      loader: 'js',
    }))
  },
}

// shipshape.js loads a command's own file (./doctor.js beside it), not a copy of the command.
const commandsApart: Plugin = {
  name: 'commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z]+\.js$/ }, (args) =>
      args.kind === 'dynamic-import' && args.importer === join(scripts, 'cli.js') ? { path: args.path, external: true } : undefined)
  },
}

// A package the code loads with import() (yaml, zod, ora, undici…) stays out, for node to load
// when asked: it is only needed on some paths, and node gives a CommonJS package's named exports to
// import() where a bundle may give only its default. Packages imported statically are bundled.
const packagesImportedLater: Plugin = {
  name: 'packages-imported-later',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined))
  },
}

// Files are replaced, never left from an earlier build.
rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: { shipshape: join(scripts, 'cli.js'), ...Object.fromEntries(Object.keys(COMMANDS).map((c) => [c, `command:${c}`])) },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // dist/cli/*.js sit two folders below the root, as dist/lib/paths.js does: paths.ts finds the
  // project (templates, package.json) as ../../ from its own module.
  plugins: [commandEntries, commandsApart, packagesImportedLater],
  // CommonJS dependencies (commander, semver, which) call require() for node's modules, which an
  // ES module lacks: each file gets one made for its own URL.
  banner: { js: "import { createRequire as __shipshapeRequire } from 'node:module'; const require = __shipshapeRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
})
chmodSync(cliEntry, 0o755)
