// Is the `docker` client installed, and new enough? Its version comes from `docker --version`, which
// never talks to the daemon (that is docker-daemon's job), and is cached while the binary is unchanged.

import { probeFailed } from '../lib/probe-outcome.js'
import { cacheTag, versionOutput } from '../lib/version-cache.js'
import { judgeVersion } from '../lib/versions.js'
import { provisionFix } from '../lib/provision/fixes.js'
import { locateTool, offPathOutcome, pendingPath } from '../lib/tool-path.js'
import type { Check } from '../lib/types.js'

export const dockerCli = {
  id: 'docker-cli',
  title: 'Docker CLI',
  about: {
    looks: 'the docker command on PATH and the version it reports',
    why: 'every Docker check and stack goes through it; an old client speaks an API the daemon may refuse',
    statuses: { ok: 'docker is on PATH and new enough', fail: 'docker is missing, too old, or does not answer; the fix installs it' },
  },
  required: true,
  versionProbe: true,
  async run(ctx) {
    const loc = await locateTool(ctx, 'docker')
    if (!loc) return { status: 'fail', summary: 'docker is not on PATH', details: [`PATH=${ctx.env.PATH ?? ''}`] }
    const off = offPathOutcome('docker', loc, ctx)
    if (off) return off
    const bin = loc.bin
    const r = await versionOutput(ctx, bin, ['--version'])
    // Installed but not answering is not a reason to install: timeout or error, no fix (probe-outcome.ts).
    if (!r.ok) return probeFailed(r, `${bin} --version`)
    // "Docker version 28.2.2, build e6534b4"
    const j = judgeVersion('docker', r.stdout, ctx.config)
    const details = [`${bin}: ${r.stdout.trim()}${cacheTag(r)}`]
    if (!j.version) return { status: 'warn', summary: `cannot read a version from '${r.stdout.trim()}'`, details, fix: null }
    if (!j.meets) return { status: 'fail', summary: `Docker CLI ${j.version} is older than ${j.floor}`, version: j.version, details }
    return pendingPath('docker', loc, { status: 'ok', summary: `Docker CLI ${j.version}`, version: j.version, details })
  },
  // The installer decides the way (Docker Desktop, colima, Docker's repository, docker.io); setup asks it again with --docker.
  fix: (ctx, finding) => provisionFix('docker-cli', ctx, finding),
} satisfies Check
