// Rosetta 2 on Apple Silicon, where a stack in use runs an image that has no arm64 build
// (Elasticsearch and Kibana before 7.8.0): such a container runs as linux/amd64, which Docker Desktop
// emulates with Rosetta when its "Use Rosetta" setting is on (far faster than QEMU, and what Elastic's
// older JVMs need to start at all). Rosetta lives on the Data volume under /Library/Apple, installed
// on demand, so its file is the evidence (read under SHIPSHAPE_HOST_ROOT). Docker Desktop keeps its
// settings in settings-store.json (4.35 and later) or settings.json (4.34 and earlier).

import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { readBoundedFile, SETTINGS_MAX_BYTES } from '../lib/bounded-read.js'
import { dockerEndpoint } from '../lib/docker-facts.js'
import { hostPath } from '../lib/provision/files.js'
import { stackValue } from '../lib/stacks/declared.js'
import type { Check, Context } from '../lib/types.js'

export const ROSETTA_FILE = '/Library/Apple/usr/share/rosetta/rosetta'
const SETTINGS_DIR = 'Library/Group Containers/group.com.docker'
const SETTINGS_FILES = ['settings-store.json', 'settings.json']

export const rosetta = {
  id: 'rosetta',
  title: 'Rosetta 2',
  about: {
    looks: 'Rosetta 2 on Apple silicon',
    why: 'images without an arm64 build (Elasticsearch before 7.8) run only under it',
    statuses: { ok: 'installed, or not needed here', warn: 'missing; the fix installs it' },
  },
  required: false,
  appliesTo: (p) => p.kind === 'macos' && p.arch === 'arm64',
  async run(ctx) {
    const amd64 = await amd64OnlyImages(ctx)
    if (amd64.length === 0) return { status: 'skip', summary: 'no stack in use needs an amd64-only image' }
    const why = `${amd64.join(', ')} ${amd64.length === 1 ? 'has' : 'have'} no arm64 image and run${amd64.length === 1 ? 's' : ''} as linux/amd64`
    if (!(await isFile(hostPath(ctx, ROSETTA_FILE)))) {
      return { status: 'fail', required: true, summary: `Rosetta 2 is not installed; ${why}`, details: [`${ROSETTA_FILE} is missing`] }
    }
    const setting = await desktopRosettaSetting(ctx)
    const details = [`${ROSETTA_FILE} present`, setting.evidence]
    if (setting.on === false) {
      return { status: 'warn', required: true, summary: `Rosetta 2 is installed, but Docker Desktop's "Use Rosetta" setting is off; ${why}`, details, fix: { steps: [], manual: DESKTOP_SETTING } }
    }
    return { status: 'ok', required: true, summary: `Rosetta 2 is installed; ${why}`, details }
  },
  fix: () => ({
    steps: [{ id: 'rosetta', title: 'Install Rosetta 2 (Apple\'s translator for Intel code)', argv: ['softwareupdate', '--install-rosetta', '--agree-to-license'], sudo: true, done: async (c) => isFile(hostPath(c, ROSETTA_FILE)) }],
    manual: DESKTOP_SETTING,
  }),
} satisfies Check

const DESKTOP_SETTING = 'With Docker Desktop: Settings → General → "Use Rosetta for x86_64/amd64 emulation on Apple Silicon" (needs the Apple Virtualization framework), then Apply & restart.'

/** Images of the stacks in use that have no arm64 build, as "elasticsearch 7.0.1". */
export async function amd64OnlyImages(ctx: Pick<Context, 'config'>): Promise<string[]> {
  const stacks = ctx.config.data.stacks
  if (!('elasticsearch' in stacks)) return []
  const [version, { bandOf }] = await Promise.all([stackValue('elasticsearch', 'version', stacks), import('../lib/stacks/elastic-bands.js')])
  const band = typeof version === 'string' ? bandOf(version) : undefined
  // The band table says which versions Elastic built for arm64; an image a team set itself is theirs to know.
  const ours = (param: string) => stacks.elasticsearch[param] === undefined
  if (!band || band.arm64) return []
  return [...(ours('image') ? [`elasticsearch ${version}`] : []), ...(ours('kibanaImage') ? [`kibana ${version}`] : [])]
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false)
}

interface Setting {
  /** null: not Docker Desktop, or the setting is not in its file. */
  on: boolean | null
  evidence: string
}

/** Docker Desktop's "Use Rosetta" setting, when Docker Desktop is the engine in use. */
async function desktopRosettaSetting(ctx: Context): Promise<Setting> {
  const { host, context } = await dockerEndpoint(ctx)
  const desktop = context === 'desktop-linux' || host?.endsWith('/.docker/run/docker.sock') || (context === null && host === 'unix:///var/run/docker.sock')
  if (!desktop) return { on: null, evidence: `Docker endpoint ${host ?? context}: not Docker Desktop` }
  for (const name of SETTINGS_FILES) {
    const file = join(ctx.home, SETTINGS_DIR, name)
    const text = await readBoundedFile(file, SETTINGS_MAX_BYTES).catch(() => null)
    if (text === null) continue
    let doc: Record<string, unknown>
    try {
      doc = JSON.parse(text) as Record<string, unknown>
    } catch {
      return { on: null, evidence: `${file}: not JSON` }
    }
    // settings-store.json capitalises its keys (UseVirtualizationFrameworkRosetta); settings.json did not.
    const key = Object.keys(doc).find((k) => k.toLowerCase() === 'usevirtualizationframeworkrosetta')
    if (key === undefined) return { on: null, evidence: `${file}: no Rosetta setting` }
    return { on: doc[key] === true, evidence: `${file}: ${key}=${JSON.stringify(doc[key])}` }
  }
  return { on: null, evidence: 'no Docker Desktop settings file' }
}

