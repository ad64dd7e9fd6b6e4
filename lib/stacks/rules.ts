// What one stack knows that its stack.yaml cannot say: values derived from others (an image from a
// version), combinations that cannot work (refused before anything is rendered), and warnings.

import major from 'semver/functions/major.js'
import valid from 'semver/functions/valid.js'
import { UsageError } from '../errors.js'
import type { Platform } from '../types.js'
import { bandOf, NEWEST_MAJOR, OLDEST } from './elastic-bands.js'
import { ELASTIC_RELEASES, resolveVersion } from './releases.js'
import { quantityBytes, type Values } from './values.js'
import { kubeSettings } from './pod-security.js'

export interface Derived {
  values: Values
  warnings: string[]
}

type Rule = (v: Values, platform: Platform) => Derived

// The legacy `mongo` shell is all an image up to 4.4 has, `mongosh` all one from 6.0 has
// (docker-library/docs#2183); asking the image which it has also covers an `image=` of any version.
const MONGO_PING = `if command -v mongosh >/dev/null 2>&1; then exec mongosh --quiet --eval "db.adminCommand('ping').ok"; else exec mongo --quiet --eval "db.adminCommand('ping').ok"; fi`

const RULES: Record<string, Rule> = {
  elasticsearch(v, platform) {
    const warnings: string[] = []
    // Elastic publishes x.y.z tags only: x.y becomes the newest patch of that minor the table knows.
    const resolved = resolveVersion('Elasticsearch', String(v.version), ELASTIC_RELEASES)
    const version = resolved.version
    if (resolved.note) warnings.push(resolved.note)
    // The pattern lets through numbers too large to compare (semver caps each part at 2^53-1).
    if (!valid(version)) throw new UsageError(`parameter 'version': '${version.slice(0, 40)}' is not a version shipshape can compare (each part a whole number below 9007199254740992), e.g. 8.19.10`)
    const band = bandOf(version)
    if (!band) throw new UsageError(`parameter 'version': Elasticsearch ${version} is older than shipshape knows; choose ${OLDEST} or later`)
    if (major(version) > NEWEST_MAJOR) {
      warnings.push(`Elasticsearch ${version} is newer than the versions shipshape knows (up to ${NEWEST_MAJOR}.x); rendered as ${NEWEST_MAJOR}.x, check its release notes`)
    }
    const security = v.security === true
    const licence = security ? band.securityLicence : 'basic'
    if (licence === 'trial') {
      warnings.push(`Elasticsearch ${version} has no security on the free basic licence, so it runs on a trial licence: it expires 30 days after first start; then set security=false or buy a licence`)
    }
    // Elastic published arm64 images from 7.8.0 on (docker-library/elasticsearch#194); Docker Desktop
    // runs amd64 images under Rosetta on Apple Silicon. Another arm64 machine has no such emulator.
    const ours = (given: unknown) => given === undefined
    const amd64Only = platform.arch === 'arm64' && !band.arm64 && (ours(v.image) || ours(v.kibanaImage))
    if (amd64Only && platform.kind !== 'macos') {
      throw new UsageError(`parameter 'version': Elasticsearch ${version} has no arm64 image (arm64 images start at 7.8.0); choose 7.8.0 or later`)
    }
    if (amd64Only) {
      warnings.push(`Elasticsearch and Kibana ${version} have no arm64 image (those start at 7.8.0): they run as linux/amd64 under Rosetta, slower; Docker Desktop's "Use Rosetta for x86_64/amd64 emulation on Apple Silicon" setting must be on`)
    }
    const heap = Number(v.heapMb) * 2 ** 20
    if (heap >= quantityBytes(String(v.memLimit))) {
      throw new UsageError(`parameter 'heapMb': a heap of ${v.heapMb} MiB does not fit in memLimit ${v.memLimit}; Elastic advises at most half the container's memory`)
    }
    const flavour = security ? band.secureImage : 'elasticsearch'
    return {
      values: {
        ...v,
        version,
        image: v.image ?? `docker.elastic.co/elasticsearch/${flavour}:${version}`,
        kibanaImage: v.kibanaImage ?? `docker.elastic.co/kibana/kibana:${version}`,
        licence,
        kibanaUser: band.kibanaUser,
        kibanaEsVariable: band.kibanaEsVariable,
        passwordPath: `${band.securityApi}/user/${band.kibanaUser}/_password`,
        // A status-code test holds in every band; the 401's wording changed in 7.0.
        healthyStatus: security ? 401 : 200,
        // As Elastic's compose example has them; a single number sets soft and hard alike.
        ...(v.raiseLimits === true ? { memlock: -1, nofile: 65536 } : {}),
        ...(amd64Only && ours(v.image) && ours(v.platform) ? { platform: 'linux/amd64' } : {}),
        ...(amd64Only && ours(v.kibanaImage) && ours(v.kibanaPlatform) ? { kibanaPlatform: 'linux/amd64' } : {}),
      },
      warnings,
    }
  },

  mongodb(v, platform) {
    const warnings: string[] = []
    if (v.dataDir !== undefined && (platform.kind === 'macos' || platform.kind === 'wsl')) {
      warnings.push(`dataDir ${v.dataDir}: a bind-mounted data directory is unreliable for MongoDB on ${platform.kind === 'macos' ? 'macOS' : 'Windows'} (file locking and fsync through the VM); the default named volume is safer`)
    }
    return { values: { ...v, image: v.image ?? `mongo:${v.version}`, dataSource: v.dataDir ?? 'mongo-data', ping: MONGO_PING }, warnings }
  },

  echo(v) {
    if (v.nodePort !== undefined && v.serviceType !== 'NodePort') {
      throw new UsageError(`parameter 'nodePort': only a NodePort Service has one; set serviceType=NodePort or drop nodePort`)
    }
    if (v.nodePort !== undefined && (Number(v.nodePort) < 30000 || Number(v.nodePort) > 32767)) {
      throw new UsageError(`parameter 'nodePort': ${v.nodePort} is outside the NodePort range 30000-32767`)
    }
    if (v.serviceType === 'ExternalName' && v.externalName === undefined) {
      throw new UsageError(`parameter 'externalName': serviceType=ExternalName needs externalName (the DNS name the Service points at)`)
    }
    if (v.externalName !== undefined && v.serviceType !== 'ExternalName') {
      throw new UsageError(`parameter 'externalName': only used with serviceType=ExternalName`)
    }
    return { values: v, warnings: [] }
  },
}

/** Values a stack's rules derive only sometimes: a template slot they fill is dropped when unset. */
export const OPTIONAL_DERIVED: Record<string, readonly string[]> = { elasticsearch: ['memlock', 'nofile'] }

export function applyRules(stack: string, values: Values, platform: Platform): Derived {
  const own = (RULES[stack] ?? ((v) => ({ values: v, warnings: [] })))(values, platform)
  const kube = kubeSettings(stack, own.values)
  return { values: kube.values, warnings: [...own.warnings, ...kube.warnings] }
}
