// The current kube context, read the way kubectl merges its config: KUBECONFIG lists files (':'
// separated); the first file that sets current-context wins, and the first definition of a named
// context or cluster wins. We read the YAML ourselves rather than ask `kubectl config view`: version-
// matching kubectl wrappers (Cloud SDK's dispatcher) contact the server first even for that, so a
// hanging cluster would hide its own name.

import { BoundError, readBoundedOrNull } from './bounded-read.js'
import { realpath } from 'node:fs/promises'
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

/**
 * What is parsed across all KUBECONFIG files together. The YAML parser's time follows the number of
 * lines (nodes) more than bytes: 35k lines of contexts take seconds, while a config whose clusters
 * embed certificates is a few thousand lines however many KiB. Beyond either, the rest is not parsed
 * (named in the check's details), so the check answers within its bound.
 */
export const KUBECONFIG_TOTAL_BYTES = 4 * 1024 * 1024
export const KUBECONFIG_TOTAL_LINES = 10_000

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
  // The same file named twice (or through a link) is read and parsed once: kubectl's merge keeps the first anyway.
  const real = await Promise.all(files.map((f) => realpath(f).catch(() => f)))
  const distinct = files.filter((_, i) => real.indexOf(real[i]) === i)
  const results = await Promise.all(distinct.map(read))
  const unread = results.flatMap((r) => (r.unread ? [r.unread] : []))
  const texts: string[] = []
  let bytes = 0
  let lines = 0
  for (const [i, r] of results.entries()) {
    if (r.text === null) continue
    const n = r.text.split('\n').length
    if (bytes + r.text.length > KUBECONFIG_TOTAL_BYTES || lines + n > KUBECONFIG_TOTAL_LINES) {
      unread.push(`${distinct[i]}: not parsed, past the ${KUBECONFIG_TOTAL_LINES} lines or ${KUBECONFIG_TOTAL_BYTES} bytes shipshape parses across KUBECONFIG (parsing holds every check)`)
      continue
    }
    bytes += r.text.length
    lines += n
    texts.push(r.text)
  }
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
