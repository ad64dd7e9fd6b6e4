// The one suggester for mistyped names (commands, check ids, step ids, stacks, parameters), and the
// list of step ids `setup --skip` accepts, kept complete against what the installers really plan.

import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { registry } from '../../checks/index.js'
import { COMMANDS } from '../../scripts/cli.js'
import { PROVISIONERS, STEP_IDS } from '../../lib/provision/fixes.js'
import { DOCKER_CHOICES } from '../../lib/provision/docker.js'
import { closest } from '../../lib/suggest.js'
import type { Finding, Platform } from '../../lib/types.js'
import { debian12, makeContext, replayProbe, tempDir } from '../helpers.js'
import { as } from '../privilege.js'

test('closest: the command, check or step a typo meant; nothing when nothing is near', () => {
  assert.equal(closest('doctr', Object.keys(COMMANDS)), 'doctor')
  assert.equal(closest('setpu', Object.keys(COMMANDS)), 'setup')
  assert.equal(closest('docker-deamon', registry.map((c) => c.id)), 'docker-daemon')
  assert.equal(closest('minikube-strt', [...STEP_IDS]), 'minikube-start')
  assert.equal(closest('kubctl', registry.map((c) => c.id)), 'kubectl')
  assert.equal(closest('zzzzzzzz', Object.keys(COMMANDS)), undefined)
})

const platforms: Platform[] = [
  debian12,
  { ...debian12, distro: { id: 'ubuntu', version: '24.04', codename: 'noble' } },
  { ...debian12, kind: 'wsl', wsl: 1 },
  { ...debian12, kind: 'wsl', wsl: 2 },
  { kind: 'macos', arch: 'arm64', wsl: null, distro: null, macos: { version: '14.5' }, evidence: [] },
]

test('every step an installer can plan is a step id setup --skip knows', async (t) => {
  // Nothing is installed (brew neither), so the longest plans come out; one host root runs systemd.
  const probe = replayProbe({})
  const withSystemd = await tempDir(t)
  await mkdir(join(withSystemd, 'run/systemd/system'), { recursive: true })
  const seen = new Set<string>()
  for (const [platform, hostRoot] of [...platforms.map((p) => [p, '/nonexistent'] as const), [debian12, withSystemd] as const]) {
    const ctx = makeContext({ ...as('user-with-sudo'), platform, hostRoot, probe })
    for (const [id, provision] of Object.entries(PROVISIONERS)) {
      for (const docker of DOCKER_CHOICES) {
        const f: Finding = { id, title: id, required: true, status: 'fail', summary: 'permission denied', version: null, details: [], durationMs: 1, fix: null }
        for (const s of (await provision(ctx, f, { docker, probeNetwork: false }))?.steps ?? []) seen.add(s.id)
      }
    }
  }
  const unknown = [...seen].filter((id) => !STEP_IDS.includes(id))
  assert.deepEqual(unknown, [], 'add these to STEP_IDS in lib/provision/fixes.ts')
  // And the list names no step nothing plans (the conflicting-package removal needs dpkg to see one).
  const never = STEP_IDS.filter((id) => !seen.has(id) && id !== 'docker-conflicts-remove')
  assert.deepEqual(never, [])
})
