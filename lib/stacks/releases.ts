// The releases shipshape knows, minor by minor, so `version=7.0` (a form the guides use, and a tag
// Elastic never published) renders a tag that exists: the newest patch of that minor in this table,
// said in a note. An `x.y` the table does not have is refused naming the published minors near it;
// an `x.y.z` is taken as given (a patch newer than the table is a release this table predates).
// Elastic publishes only x.y.z tags for Elasticsearch and Kibana (docker.elastic.co); the table holds,
// for each minor, the last patch known to be published when it was written.

import { UsageError } from '../errors.js'

/** Elasticsearch (and Kibana, released in step): minor → newest known patch. */
export const ELASTIC_RELEASES: Readonly<Record<string, number>> = {
  '6.0': 1, '6.1': 4, '6.2': 4, '6.3': 2, '6.4': 3, '6.5': 4, '6.6': 2, '6.7': 2, '6.8': 23,
  '7.0': 1, '7.1': 1, '7.2': 1, '7.3': 2, '7.4': 2, '7.5': 2, '7.6': 2, '7.7': 1, '7.8': 1, '7.9': 3,
  '7.10': 2, '7.11': 2, '7.12': 1, '7.13': 4, '7.14': 2, '7.15': 2, '7.16': 3, '7.17': 28,
  '8.0': 1, '8.1': 3, '8.2': 3, '8.3': 3, '8.4': 3, '8.5': 3, '8.6': 2, '8.7': 1, '8.8': 2, '8.9': 2,
  '8.10': 4, '8.11': 4, '8.12': 2, '8.13': 4, '8.14': 3, '8.15': 5, '8.16': 6, '8.17': 6, '8.18': 3, '8.19': 10,
  '9.0': 3, '9.1': 2, '9.2': 0,
}

export interface ResolvedVersion {
  version: string
  /** Said when the version was completed from the table: which patch it renders. */
  note?: string
}

const byNumber = (a: string, b: string) => {
  const [am, an] = a.split('.').map(Number)
  const [bm, bn] = b.split('.').map(Number)
  return am - bm || an - bn
}

/** The published tags of a minor, as a person reads them: "7.0.0, 7.0.1" or "7.17.0 … 7.17.28". */
export function tagsOf(minor: string, table: Readonly<Record<string, number>>): string {
  const last = table[minor]
  return last <= 2 ? Array.from({ length: last + 1 }, (_, i) => `${minor}.${i}`).join(', ') : `${minor}.0 … ${minor}.${last}`
}

/**
 * `text` as a version to render: x.y.z as given; x.y completed to the newest patch the table knows;
 * an x.y the table lacks refused, naming the minors around it and their tags.
 */
export function resolveVersion(product: string, text: string, table: Readonly<Record<string, number>>): ResolvedVersion {
  const parts = text.split('.')
  if (parts.length === 3) return { version: text }
  const minors = Object.keys(table).sort(byNumber)
  if (parts.length === 1) {
    const inMajor = minors.filter((m) => m.startsWith(`${text}.`))
    const hint = inMajor.length ? `the newest ${text}.x shipshape knows is ${inMajor.at(-1)}.${table[inMajor.at(-1)!]}` : `known: ${minors[0]} to ${minors.at(-1)}`
    throw new UsageError(`parameter 'version': give ${product}'s major.minor or major.minor.patch, not '${text}' (${hint})`)
  }
  const minor = `${Number(parts[0])}.${Number(parts[1])}`
  if (Object.hasOwn(table, minor)) {
    const version = `${minor}.${table[minor]}`
    return { version, note: `${product} ${text} renders ${version}, the newest ${minor} patch shipshape knows (published: ${tagsOf(minor, table)}); give x.y.z for another` }
  }
  const after = minors.findIndex((m) => byNumber(m, minor) > 0)
  const near = (after === -1 ? minors.slice(-2) : after === 0 ? minors.slice(0, 2) : minors.slice(after - 1, after + 1)).map((m) => `${m} (${tagsOf(m, table)})`)
  const newer = after === -1 ? `; a release newer than this table is taken as x.y.z, such as ${minor}.0` : ''
  throw new UsageError(`parameter 'version': ${product} ${text} is not a release shipshape knows; near it: ${near.join(', ')}${newer}`)
}
