// Elasticsearch and Kibana by version band: everything that changes between 6.0 and 9.x that the
// stack's templates depend on, in one table read by the compose and the Kubernetes render alike
// (through the values rules.ts derives from it). Sources are in the README's "Elasticsearch by
// version" table and the comments below; a band runs from its `from` to the next band's.

import gte from 'semver/functions/gte.js'
import major from 'semver/functions/major.js'

export interface ElasticBand {
  /** First version of the band; it runs to the next band's first. */
  from: string
  /** Image repository when security is on (6.0–6.2 shipped X-Pack security only in the platinum flavour). */
  secureImage: 'elasticsearch' | 'elasticsearch-platinum'
  /** The licence security needs: `trial` where the free basic licence applies no security. */
  securityLicence: 'basic' | 'trial'
  /** Kibana's own built-in user. */
  kibanaUser: 'kibana' | 'kibana_system'
  /** Where the security REST API lives. */
  securityApi: '_xpack/security' | '_security'
  /** What Elasticsearch answers a request without credentials (401) says. */
  unauthenticated: string
  /** The environment variable Kibana's image reads Elasticsearch's address from. */
  kibanaEsVariable: 'ELASTICSEARCH_URL' | 'ELASTICSEARCH_HOSTS'
  /** Elastic publishes arm64 images of this band. */
  arm64: boolean
}

const TOKEN = 'missing authentication token' // 6.x wording (elastic/elasticsearch#36750)
const CREDENTIALS = 'missing authentication credentials' // from 7.0

export const ELASTIC_BANDS: readonly ElasticBand[] = [
  // Three image flavours; only platinum (a trial licence) has security [ES 6.2 reference: docker.html].
  { from: '6.0.0', secureImage: 'elasticsearch-platinum', securityLicence: 'trial', kibanaUser: 'kibana', securityApi: '_xpack/security', unauthenticated: TOKEN, kibanaEsVariable: 'ELASTICSEARCH_URL', arm64: false },
  // X-Pack in the default image, basic licence without security [elastic/elasticsearch#31639].
  { from: '6.3.0', secureImage: 'elasticsearch', securityLicence: 'trial', kibanaUser: 'kibana', securityApi: '_xpack/security', unauthenticated: TOKEN, kibanaEsVariable: 'ELASTICSEARCH_URL', arm64: false },
  // Kibana's image maps ELASTICSEARCH_HOSTS from 6.6.1 [elastic/kibana-docker#120].
  { from: '6.6.1', secureImage: 'elasticsearch', securityLicence: 'trial', kibanaUser: 'kibana', securityApi: '_xpack/security', unauthenticated: TOKEN, kibanaEsVariable: 'ELASTICSEARCH_HOSTS', arm64: false },
  // Security on the basic licence from 6.8.0 [elastic/kibana#35889].
  { from: '6.8.0', secureImage: 'elasticsearch', securityLicence: 'basic', kibanaUser: 'kibana', securityApi: '_xpack/security', unauthenticated: TOKEN, kibanaEsVariable: 'ELASTICSEARCH_HOSTS', arm64: false },
  // 7.0: /_security/ and the new wording, but basic security only from 7.1 [#36293; #41764].
  { from: '7.0.0', secureImage: 'elasticsearch', securityLicence: 'trial', kibanaUser: 'kibana', securityApi: '_security', unauthenticated: CREDENTIALS, kibanaEsVariable: 'ELASTICSEARCH_HOSTS', arm64: false },
  { from: '7.1.0', secureImage: 'elasticsearch', securityLicence: 'basic', kibanaUser: 'kibana', securityApi: '_security', unauthenticated: CREDENTIALS, kibanaEsVariable: 'ELASTICSEARCH_HOSTS', arm64: false },
  // kibana_system replaces kibana [elastic/kibana#63186]; arm64 images [docker-library/elasticsearch#194].
  { from: '7.8.0', secureImage: 'elasticsearch', securityLicence: 'basic', kibanaUser: 'kibana_system', securityApi: '_security', unauthenticated: CREDENTIALS, kibanaEsVariable: 'ELASTICSEARCH_HOSTS', arm64: true },
  // Security on by default, /_xpack/ gone, Kibana refuses to log in as elastic [elastic/kibana#122722].
  { from: '8.0.0', secureImage: 'elasticsearch', securityLicence: 'basic', kibanaUser: 'kibana_system', securityApi: '_security', unauthenticated: CREDENTIALS, kibanaEsVariable: 'ELASTICSEARCH_HOSTS', arm64: true },
  { from: '9.0.0', secureImage: 'elasticsearch', securityLicence: 'basic', kibanaUser: 'kibana_system', securityApi: '_security', unauthenticated: CREDENTIALS, kibanaEsVariable: 'ELASTICSEARCH_HOSTS', arm64: true },
]

export const OLDEST = ELASTIC_BANDS[0].from
export const NEWEST_MAJOR = major(ELASTIC_BANDS[ELASTIC_BANDS.length - 1].from)

/** The band a version falls in; undefined before 6.0. A major newer than the table gets the newest band. */
export function bandOf(version: string): ElasticBand | undefined {
  let found: ElasticBand | undefined
  for (const band of ELASTIC_BANDS) if (gte(version, band.from)) found = band
  return found
}

/** The band's range for messages: "6.3.0–6.6.0", "9.0.0 and later". */
export function bandRange(band: ElasticBand): string {
  const next = ELASTIC_BANDS[ELASTIC_BANDS.indexOf(band) + 1]
  if (!next) return `${band.from} and later`
  const [major, minor, patch] = next.from.split('.').map(Number)
  const last = patch > 0 ? `${major}.${minor}.${patch - 1}` : minor > 0 ? `${major}.${minor - 1}.x` : `${major - 1}.x`
  return `${band.from}–${last}`
}
