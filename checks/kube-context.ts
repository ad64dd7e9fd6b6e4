// Which cluster does kubectl talk to, and does it answer? The current context comes from the
// kubeconfig files (lib/kubeconfig.ts); the server version from `kubectl version -o json`, which asks the
// API server's /version and nothing else. kubectl gets a request timeout inside the check's bound,
// so an unreachable cluster is named (context and server) rather than cut off. kubectl supports a
// server within one minor version of itself; more skew is a warning.

import { currentKubeTarget, type KubeTarget } from '../lib/kubeconfig.js'
import { kubeMinor } from '../lib/versions.js'
import { minikubeStartStep } from '../lib/provision/minikube.js'
import type { Check, Context, Fix, Outcome, ProbeResult, Status } from '../lib/types.js'

interface VersionInfo {
  major?: string
  minor?: string
  gitVersion?: string
}

const MARGIN_MS = 500

export const kubeContext = {
  id: 'kube-context',
  title: 'Kubernetes cluster',
  about: {
    looks: 'kubectl\'s current context, the cluster it names, and the version skew between client and server',
    why: 'kubectl against no cluster says only \'connection refused\' at up time',
    statuses: { ok: 'a current context whose cluster answers', warn: 'no current context, or a skew kubectl does not support', fail: 'the cluster named does not answer' },
  },
  required: false,
  needs: ['kubectl'],
  async run(ctx) {
    // The files name the cluster, so it can be named even if `kubectl version` never hears back.
    const target = await currentKubeTarget(ctx)
    if (!target.context) {
      if (target.unread?.length) return { status: 'warn', summary: `no current context: ${target.unread[0]}`, details: [...target.unread, ...target.files] }
      return { status: 'warn', summary: `no current context (looked in ${target.files.join(', ')})`, details: target.files }
    }
    return judgeCluster(target, await askServer(ctx, Math.max(500, (ctx.boundMs ?? 3_000) - MARGIN_MS)))
  },
  fix: async (ctx, finding) => kubeContextFix(await currentKubeTarget(ctx), finding.status),
} satisfies Check

// kubectl's own timeout ends it cleanly first; the probe's kill is the backstop. A third of the
// budget per request, because version-matching kubectl wrappers (Cloud SDK's dispatcher) ask twice.
function askServer(ctx: Context, budget: number): Promise<ProbeResult> {
  return ctx.probe(['kubectl', 'version', '-o', 'json', `--request-timeout=${Math.max(250, Math.floor(budget / 3))}ms`], { timeoutMs: budget })
}

/** With a context, a warning is a version skew; anything worse means the cluster did not answer. */
export function kubeContextFix(target: KubeTarget, status: Status): Fix {
  if (!target.context) {
    return { steps: [minikubeStartStep(['minikube'], { create: true })], manual: 'Or use another cluster: enable Kubernetes in Docker Desktop (context docker-desktop), or pick one: kubectl config get-contexts; kubectl config use-context <name>. To leave the local cluster (minikube start) out: shipshape setup --skip minikube-start' }
  }
  if (status === 'warn') return { steps: [], manual: 'Install a kubectl within one minor version of the server (see the kubectl check), or upgrade the cluster.' }
  if (target.context === 'minikube') return { steps: [minikubeStartStep()] }
  if (target.context === 'docker-desktop') return { steps: [], manual: 'Start Docker Desktop and enable Settings > Kubernetes.' }
  return { steps: [], manual: `Check that the cluster behind context '${target.context}' (${target.server}) is up and reachable from here, or switch: kubectl config use-context <name>` }
}

export function judgeCluster(target: KubeTarget, r: ProbeResult): Outcome {
  const where = `context '${target.context}' (${target.server ?? 'no server'})`
  let doc: { clientVersion?: VersionInfo; serverVersion?: VersionInfo } = {}
  try {
    doc = JSON.parse(r.stdout)
  } catch {
    // kubectl prints its JSON only when it has a client version; an error alone leaves stdout empty.
  }
  const stderr = r.stderr.trim().split('\n').filter((l) => l && !/^WARNING: version difference/.test(l))
  const details = [`kubeconfig: ${target.files.join(', ')}`, ...stderr.slice(0, 3)]
  const server = doc.serverVersion
  if (!server?.gitVersion) {
    if (r.timedOut || /deadline exceeded|Client\.Timeout/i.test(r.stderr)) return { status: 'timeout', summary: `${where} did not answer within ${r.ms} ms`, details }
    return { status: 'fail', summary: `${where} is unreachable: ${stderr[0] ?? `exit ${r.code}`}`, details }
  }
  const [c, s] = [kubeMinor(doc.clientVersion), kubeMinor(server)]
  const version = server.gitVersion
  if (c !== null && s !== null && Math.abs(c - s) > 1) {
    return { status: 'warn', summary: `${where}: Kubernetes ${version}, but kubectl is ${doc.clientVersion?.gitVersion}: a skew of ${Math.abs(c - s)} minor versions (kubectl supports one)`, version, details }
  }
  return { status: 'ok', summary: `${where}: Kubernetes ${version}`, version, details }
}
