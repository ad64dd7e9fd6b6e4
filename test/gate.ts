// One gate for every prerequisite a test needs from the machine (a Docker daemon, busybox, kubectl,
// root…). On a developer machine a missing one skips the test, saying by name what is missing and
// how to get it; under CI=true or SHIPSHAPE_REQUIRE_ALL=1 it fails the test instead, so CI can never
// go green by skipping. SHIPSHAPE_REQUIRE_DOCKER=1 does the same for Docker alone.
// `.ci/run` installs everything named here; the README's testing section lists it.

import { access, constants, readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import type { TestContext } from 'node:test'
import { whichOn } from '../lib/context.js'
import { createProbe } from '../lib/probe.js'

export type Prerequisite =
  | 'docker'
  | 'busybox'
  | 'kubectl'
  | 'systemd-analyze'
  | 'shellcheck'
  | 'fish'
  | 'root'
  | 'prove'
  | 'xmllint'
  | 'promtool'
  | 'docker-compose'
  | 'debootstrap'
  | 'crontab'
  | 'tar'
  | 'git'
  | 'npm-cache'
  | 'python3'
  | 'pyyaml'
  | 'curl'
  | 'openssl'
  | 'junit-xsd'
  | 'gpg'
  | 'docker-cli'
  | 'sudo'

interface Gate {
  /** null when present; otherwise what is missing, said in a few words. */
  missing: () => Promise<string | null>
  /** How a developer gets it (Debian 12 package names, as `.ci/run` installs them). */
  fix: string
}

const which = whichOn(process.env)
const onPath = (cmd: string) => async () => ((await which(cmd)) ? null : `${cmd} is not on PATH`)

const GATES: Record<Prerequisite, Gate> = {
  docker: {
    missing: async () => {
      if (!(await which('docker'))) return 'the docker client is not on PATH'
      const r = await createProbe({ env: process.env })(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 })
      return r.ok ? null : `no Docker daemon answers (${r.stderr.trim().split('\n')[0] || `exit ${r.code}`})`
    },
    fix: 'apt-get install docker.io and start dockerd',
  },
  // Test images are made from it: it must be the static build, at the path images.ts copies.
  busybox: {
    missing: () => access('/bin/busybox', constants.X_OK).then(() => null, () => '/bin/busybox (static) is missing'),
    fix: 'apt-get install busybox-static',
  },
  kubectl: { missing: onPath('kubectl'), fix: 'apt-get install kubernetes-client (or the upstream kubectl)' },
  'systemd-analyze': { missing: onPath('systemd-analyze'), fix: 'apt-get install systemd' },
  shellcheck: { missing: onPath('shellcheck'), fix: 'apt-get install shellcheck' },
  fish: { missing: onPath('fish'), fix: 'apt-get install fish' },
  root: {
    missing: async () => (process.getuid?.() === 0 ? null : 'the test must run as root (it creates users or reads root-only state)'),
    fix: 'run the suite as root, as CI does',
  },
  prove: { missing: onPath('prove'), fix: "apt-get install perl (Debian's perl ships prove)" },
  xmllint: { missing: onPath('xmllint'), fix: 'apt-get install libxml2-utils' },
  promtool: { missing: onPath('promtool'), fix: 'apt-get install prometheus' },
  'docker-compose': { missing: onPath('docker-compose'), fix: 'apt-get install docker-compose' },
  debootstrap: { missing: onPath('debootstrap'), fix: 'apt-get install debootstrap' },
  crontab: { missing: onPath('crontab'), fix: 'apt-get install cron' },
  tar: { missing: onPath('tar'), fix: 'apt-get install tar' },
  git: { missing: onPath('git'), fix: 'apt-get install git' },
  // Debian's python3 (not a pyenv one): plistlib reads the LaunchAgent, PyYAML reads renders as YAML 1.1.
  python3: { missing: () => access('/usr/bin/python3', constants.X_OK).then(() => null, () => '/usr/bin/python3 is missing'), fix: 'apt-get install python3' },
  pyyaml: {
    missing: async () => {
      const r = await createProbe({ env: process.env })(['/usr/bin/python3', '-c', 'import yaml'], { timeoutMs: 20_000 })
      return r.ok ? null : 'PyYAML is not importable by /usr/bin/python3'
    },
    fix: 'apt-get install python3-yaml',
  },
  // The Elasticsearch stand-in image carries this machine's curl (test/standin.ts).
  curl: { missing: onPath('curl'), fix: 'apt-get install curl' },
  // The network tests make their CA and certificates with it (test/tls.ts).
  openssl: { missing: onPath('openssl'), fix: 'apt-get install openssl' },
  // Jenkins' schema is not ours to ship: it lies in shared/peers/ beside the clone (test/consumers.ts).
  'junit-xsd': {
    missing: async () => ((await findJunitXsd()) ? null : 'no junit-10.xsd in shared/peers/ beside the clone'),
    fix: "put Jenkins xunit-plugin's junit-10.xsd in ../shared/peers/",
  },
  // The quick-start test runs `npm ci --offline` from a copy of npm's cache: no registry is contacted.
  gpg: { missing: onPath('gpg'), fix: 'apt-get install gnupg' },
  // The client alone, for tests that answer it from a recorded engine on a socket of their own.
  'docker-cli': { missing: onPath('docker'), fix: 'apt-get install docker.io' },
  sudo: { missing: onPath('sudo'), fix: 'apt-get install sudo' },
  'npm-cache': {
    missing: async () => {
      if (!(await which('npm'))) return 'npm is not on PATH'
      const dir = await npmCacheDir()
      return access(join(dir, '_cacache')).then(() => null, () => `npm's cache ${dir} holds no packages`)
    },
    fix: 'run `npm ci` in the project once: it fills npm\'s cache',
  },
}

/** Jenkins' junit-10.xsd in `shared/peers/` beside the clone, or beside a folder further up; null when absent. */
export async function findJunitXsd(): Promise<string | null> {
  const { projectRoot } = await import('../lib/paths.js')
  for (let dir = dirname(projectRoot); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'peers', 'junit-10.xsd')
    if (await access(candidate).then(() => true, () => false)) return candidate
    if (dirname(dir) === dir) return null
  }
}

/**
 * npm's cache folder: npm tells its scripts (`npm test`) in npm_config_cache; otherwise npm's
 * default. Not `npm config get cache`: every npm run writes a log under HOME, and tests leave HOME alone.
 */
/**
 * The registry this machine's npm is set up with (its user config, which a test's own HOME hides).
 * npm keys its cache by the registry's URL, and a lock file without download addresses makes npm ci
 * look packages up there: an offline install from a copy of the cache must ask the same registry.
 */
export async function npmRegistry(): Promise<string> {
  const r = await createProbe({ env: process.env })(['npm', 'config', 'get', 'registry'], { timeoutMs: 30_000 })
  return r.stdout.trim() || 'https://registry.npmjs.org/'
}

/**
 * Fills a copy of npm's cache with the metadata an offline `npm ci` of this lock file asks for. The
 * lock has no download addresses, so offline npm ci looks each package up by name; an online install
 * fetches tarballs straight away and never stores that metadata. `npm cache add` stores both (from the
 * registry where they are missing: a package registry, which tests may use).
 */
export async function primeNpmCache(cache: string, lockFile: string): Promise<void> {
  const lock = JSON.parse(await readFile(lockFile, 'utf8')) as { packages: Record<string, { version?: string; link?: boolean }> }
  const specs = Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && p.version && !p.link)
    .map(([path, p]) => `${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${p.version}`)
  const r = await createProbe({ env: { ...process.env, npm_config_cache: cache, npm_config_prefer_offline: 'true', npm_config_registry: await npmRegistry() } })(
    ['npm', 'cache', 'add', ...new Set(specs)], { timeoutMs: 10 * 60_000 })
  if (!r.ok) throw new Error(`npm cache add failed (${r.code}): ${r.stderr.slice(-2000)}`)
}

export async function npmCacheDir(): Promise<string> {
  return process.env.npm_config_cache || join(homedir(), '.npm')
}

const memo = new Map<Prerequisite, Promise<string | null>>()
const missingOf = (name: Prerequisite) => {
  if (!memo.has(name)) memo.set(name, GATES[name].missing())
  return memo.get(name)!
}

/** true when CI (or the developer) asked that no prerequisite may be missing. */
export function required(name: Prerequisite, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CI && env.CI !== 'false' && env.CI !== '0') return true
  if (env.SHIPSHAPE_REQUIRE_ALL === '1') return true
  return name === 'docker' && env.SHIPSHAPE_REQUIRE_DOCKER === '1'
}

/** What is missing among `names`, each with its fix; empty when all are there. */
export async function missingPrerequisites(names: Prerequisite[]): Promise<{ name: Prerequisite; why: string; fix: string }[]> {
  const out: { name: Prerequisite; why: string; fix: string }[] = []
  for (const name of names) {
    const why = await missingOf(name)
    if (why) out.push({ name, why, fix: GATES[name].fix })
  }
  return out
}

/**
 * Gates a test on prerequisites: true when all are present. When one is missing the test is
 * skipped by name (developer machine) or fails (CI=true, SHIPSHAPE_REQUIRE_ALL=1; for Docker also
 * SHIPSHAPE_REQUIRE_DOCKER=1). Use as `if (!(await need(t, 'docker', 'busybox'))) return`.
 */
export async function need(t: TestContext, ...names: Prerequisite[]): Promise<boolean> {
  const missing = await missingPrerequisites(names)
  if (missing.length === 0) return true
  const said = missing.map((m) => `needs ${m.name}: ${m.why} (${m.fix})`).join('; ')
  if (missing.some((m) => required(m.name))) throw new Error(`${said}; CI must provide it (CI=true or SHIPSHAPE_REQUIRE_ALL=1 turns skips into failures)`)
  t.skip(said)
  return false
}
