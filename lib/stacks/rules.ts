// What one stack knows that its stack.yaml cannot say: values derived from others (an image from a
// version), combinations that cannot work (refused before anything is rendered), and warnings.

import semver from 'semver'
import { UsageError } from '../errors.js'
import type { Platform } from '../types.js'
import { quantityBytes, type Values } from './values.js'

export interface Derived {
  values: Values
  warnings: string[]
}

type Rule = (v: Values, platform: Platform) => Derived

const RULES: Record<string, Rule> = {
  elasticsearch(v, platform) {
    const version = String(v.version)
    // The pattern lets through numbers too large to compare (semver caps each part at 2^53-1).
    if (!semver.valid(version)) throw new UsageError(`parameter 'version': '${version.slice(0, 40)}' is not a version shipshape can compare (each part a whole number below 9007199254740992), e.g. 8.19.10`)
    // Elastic published arm64 images from 7.8.0 on (docker-library/elasticsearch#194).
    if (platform.arch === 'arm64' && semver.lt(version, '7.8.0') && v.image === undefined) {
      throw new UsageError(`parameter 'version': Elasticsearch ${version} has no arm64 image (arm64 images start at 7.8.0); choose 7.8.0 or later`)
    }
    // kibana_system, which Kibana logs in as, replaced the `kibana` user in 7.8.
    if (v.security === true && semver.lt(version, '7.8.0')) {
      throw new UsageError(`parameter 'version': with security on, Elasticsearch ${version} has no kibana_system user (added in 7.8.0); choose 7.8.0 or later, or set security=false`)
    }
    const heap = Number(v.heapMb) * 2 ** 20
    if (heap >= quantityBytes(String(v.memLimit))) {
      throw new UsageError(`parameter 'heapMb': a heap of ${v.heapMb} MiB does not fit in memLimit ${v.memLimit}; Elastic advises at most half the container's memory`)
    }
    return {
      values: {
        ...v,
        image: v.image ?? `docker.elastic.co/elasticsearch/elasticsearch:${version}`,
        kibanaImage: v.kibanaImage ?? `docker.elastic.co/kibana/kibana:${version}`,
      },
      warnings: [],
    }
  },

  mongodb(v, platform) {
    const warnings: string[] = []
    if (v.dataDir !== undefined && (platform.kind === 'macos' || platform.kind === 'wsl')) {
      warnings.push(`dataDir ${v.dataDir}: a bind-mounted data directory is unreliable for MongoDB on ${platform.kind === 'macos' ? 'macOS' : 'Windows'} (file locking and fsync through the VM); the default named volume is safer`)
    }
    // The image ships mongosh from 5.0 on and only mongosh from 6.0 (docker-library/mongo#558).
    const shell = parseInt(String(v.version), 10) < 5 ? 'mongo' : 'mongosh'
    return { values: { ...v, image: v.image ?? `mongo:${v.version}`, dataSource: v.dataDir ?? 'mongo-data', shell }, warnings }
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

export function applyRules(stack: string, values: Values, platform: Platform): Derived {
  return (RULES[stack] ?? ((v) => ({ values: v, warnings: [] })))(values, platform)
}
