// Is kubectl installed and new enough? `kubectl version --client -o json` never contacts a cluster
// (kube-context does that) and is cached while the binary is unchanged. Versions are messy
// (`v1.32.4-gke.100`, `minor: "32+"`), so they go through lib/versions.ts.

import { probeFailed } from '../lib/probe-outcome.js'
import { cacheTag, versionOutput } from '../lib/version-cache.js'
import { judgeVersion } from '../lib/versions.js'
import { provisionFix } from '../lib/provision/fixes.js'
import { locateTool, offPathOutcome, pendingPath } from '../lib/tool-path.js'
import type { Check } from '../lib/types.js'

export const kubectl = {
  id: 'kubectl',
  title: 'kubectl',
  about: {
    looks: 'the kubectl command on PATH and its client version',
    why: 'the k8s target applies and waits through kubectl',
    statuses: { ok: 'kubectl is on PATH and new enough', fail: 'missing or too old; the fix installs it' },
  },
  required: true,
  versionProbe: true,
  async run(ctx) {
    const loc = await locateTool(ctx, 'kubectl')
    if (!loc) return { status: 'fail', summary: 'kubectl is not on PATH', details: [`PATH=${ctx.env.PATH ?? ''}`] }
    const off = offPathOutcome('kubectl', loc, ctx)
    if (off) return off
    const bin = loc.bin
    const r = await versionOutput(ctx, bin, ['version', '--client', '-o', 'json'])
    const git = clientGitVersion(r.stdout)
    const details = [`${bin}: ${git ?? r.stdout.trim().slice(0, 200)}${cacheTag(r)}`]
    // Installed but not answering, or answering in a way we cannot read, is no reason to install.
    if (!r.ok) return probeFailed(r, `${bin} version --client`, details)
    if (!git) return { status: 'error', summary: `cannot read a version from \`${bin} version --client -o json\``, details }
    const j = judgeVersion('kubectl', git, ctx.config)
    if (!j.meets) return { status: 'fail', summary: `kubectl ${git} is older than ${j.floor}`, version: j.version, details }
    return pendingPath('kubectl', loc, { status: 'ok', summary: `kubectl ${git}`, version: j.version, details })
  },
  fix: (ctx, finding) => provisionFix('kubectl', ctx, finding),
} satisfies Check

export function clientGitVersion(stdout: string): string | null {
  try {
    return (JSON.parse(stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? null
  } catch {
    return null
  }
}
