// The current kube context, read the way kubectl merges its config: KUBECONFIG lists files (':'
// separated); the first file that sets current-context wins, and the first definition of a named
// context or cluster wins. We read the YAML ourselves rather than ask `kubectl config view`: version-
// matching kubectl wrappers (Cloud SDK's dispatcher) contact the server first even for that, so a
// hanging cluster would hide its own name.

import { BoundError, readBoundedOrNull } from './bounded-read.js'
import { delimiter, join } from 'node:path'
import type { Context } from './types.js'

export interface KubeTarget {
  files: string[]
  context: string | null
  cluster: string | null
  server: string | null
  /** Files not read, with why (a FIFO, more than KUBECONFIG_MAX_BYTES). */
  unread?: string[]
}

/**
 * The most of one kubeconfig file read: parsing is synchronous, so a file of 20 MB would hold the
 * whole run for half a minute, past every check's bound. Real ones, certificates included, are KiB.
 */
export const KUBECONFIG_MAX_BYTES = 2 * 1024 * 1024

interface KubeConfigDoc {
  'current-context'?: string
  contexts?: { name?: string; context?: { cluster?: string } }[]
  clusters?: { name?: string; cluster?: { server?: string } }[]
}

export async function currentKubeTarget(ctx: Pick<Context, 'env' | 'home'>): Promise<KubeTarget> {
  const files = ctx.env.KUBECONFIG ? ctx.env.KUBECONFIG.split(delimiter).filter(Boolean) : [join(ctx.home, '.kube', 'config')]
  // Read at once, reported in KUBECONFIG's order (not in the order the reads happen to finish).
  const read = (f: string) =>
    readBoundedOrNull(f, KUBECONFIG_MAX_BYTES).then(
      (text) => ({ text, unread: null }),
      (error: unknown) => {
        if (error instanceof BoundError) return { text: null, unread: error.message }
        return { text: null, unread: null }
      },
    )
  const results = await Promise.all(files.map(read))
  const unread = results.flatMap((r) => (r.unread ? [r.unread] : []))
  const texts = results.flatMap((r) => (r.text !== null ? [r.text] : []))
  // Most machines without a cluster have no kubeconfig at all: skip loading the YAML parser then.
  const { parse } = texts.length ? await import('yaml') : { parse: () => null }
  const docs: KubeConfigDoc[] = []
  for (const text of texts) {
    try {
      const doc = parse(text) as KubeConfigDoc | null
      if (doc && typeof doc === 'object') docs.push(doc)
    } catch {
      // kubectl itself reports a broken file; here it only means "no context from this file".
    }
  }
  const context = docs.map((d) => d['current-context']).find((c) => typeof c === 'string' && c !== '') ?? null
  const cluster = context === null ? null : (docs.flatMap((d) => d.contexts ?? []).find((c) => c?.name === context)?.context?.cluster ?? null)
  const server = cluster === null ? null : (docs.flatMap((d) => d.clusters ?? []).find((c) => c?.name === cluster)?.cluster?.server ?? null)
  return { files, context, cluster, server, unread }
}
