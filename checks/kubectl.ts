// Is kubectl installed and new enough? `kubectl version --client -o json` never contacts a cluster
// (kube-context does that) and is cached while the binary is unchanged. Versions are messy
// (`v1.32.4-gke.100`, `minor: "32+"`), so they go through lib/versions.ts.

import { versionOutput } from '../lib/version-cache.js'
import { judgeVersion } from '../lib/versions.js'
import type { Check, Context, Fix } from '../lib/types.js'

export const kubectl = {
  id: 'kubectl',
  title: 'kubectl',
  required: true,
  async run(ctx) {
    const bin = await ctx.which('kubectl')
    if (!bin) return { status: 'fail', summary: 'kubectl is not on PATH', details: [`PATH=${ctx.env.PATH ?? ''}`] }
    const r = await versionOutput(ctx, bin, ['version', '--client', '-o', 'json'])
    const git = clientGitVersion(r.stdout)
    const details = [`${bin}: ${git ?? r.stdout.trim().slice(0, 200)}${r.cached ? ' (cached)' : ''}`]
    if (!r.ok || !git) return { status: 'fail', summary: `kubectl version --client failed: ${r.stderr.trim().split('\n')[0] || `exit ${r.code}`}`, details }
    const j = judgeVersion('kubectl', git, ctx.config)
    if (!j.meets) return { status: 'fail', summary: `kubectl ${git} is older than ${j.floor}`, version: j.version, details }
    return { status: 'ok', summary: `kubectl ${git}`, version: j.version, details }
  },
  fix: (ctx) => installKubectl(ctx),
} satisfies Check

export function clientGitVersion(stdout: string): string | null {
  try {
    return (JSON.parse(stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? null
  } catch {
    return null
  }
}

export function installKubectl(ctx: Context): Fix {
  const p = ctx.platform
  if (p.kind === 'macos') return { steps: [{ id: 'kubectl', title: 'Install kubectl', argv: ['brew', 'install', 'kubectl'], sudo: false, asUser: true }] }
  const minor = 'v1.32'
  return {
    steps: [
      { id: 'apt-prereqs', title: 'Install curl, gnupg and CA certificates', argv: ['apt-get', 'install', '-y', 'apt-transport-https', 'ca-certificates', 'curl', 'gnupg'], sudo: true },
      { id: 'apt-keyrings', title: 'Create /etc/apt/keyrings', argv: ['install', '-m', '0755', '-d', '/etc/apt/keyrings'], sudo: true },
      { id: 'kubernetes-key', title: "Download the Kubernetes apt key", argv: ['curl', '-fsSL', `https://pkgs.k8s.io/core:/stable:/${minor}/deb/Release.key`, '-o', '/etc/apt/keyrings/kubernetes-apt-keyring.asc'], sudo: true, needs: ['apt-prereqs', 'apt-keyrings'] },
    ],
    manual: [
      'Write /etc/apt/sources.list.d/kubernetes.list:',
      `  deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.asc] https://pkgs.k8s.io/core:/stable:/${minor}/deb/ /`,
      'Then: sudo apt-get update && sudo apt-get install -y kubectl',
      '(https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/; one repository per minor version)',
    ].join('\n'),
  }
}
