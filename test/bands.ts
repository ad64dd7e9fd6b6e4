// The Elasticsearch version bands as the cited facts state them (README "Elasticsearch and Kibana
// by version"), one representative version per band and the edges around each boundary; written out
// here rather than read from lib/stacks/elastic-bands.ts, so a wrong table fails the tests.

export interface Row {
  version: string
  /** Image repository with security on. */
  secureImage: string
  trial: boolean
  user: string
  api: string
  esVariable: string
}

export const ROWS: Row[] = [
  { version: '6.0.1', secureImage: 'elasticsearch-platinum', trial: true, user: 'kibana', api: '_xpack/security', esVariable: 'ELASTICSEARCH_URL' },
  { version: '6.2.4', secureImage: 'elasticsearch-platinum', trial: true, user: 'kibana', api: '_xpack/security', esVariable: 'ELASTICSEARCH_URL' },
  { version: '6.3.2', secureImage: 'elasticsearch', trial: true, user: 'kibana', api: '_xpack/security', esVariable: 'ELASTICSEARCH_URL' },
  { version: '6.5.4', secureImage: 'elasticsearch', trial: true, user: 'kibana', api: '_xpack/security', esVariable: 'ELASTICSEARCH_URL' },
  { version: '6.6.2', secureImage: 'elasticsearch', trial: true, user: 'kibana', api: '_xpack/security', esVariable: 'ELASTICSEARCH_HOSTS' },
  { version: '6.7.2', secureImage: 'elasticsearch', trial: true, user: 'kibana', api: '_xpack/security', esVariable: 'ELASTICSEARCH_HOSTS' },
  { version: '6.8.23', secureImage: 'elasticsearch', trial: false, user: 'kibana', api: '_xpack/security', esVariable: 'ELASTICSEARCH_HOSTS' },
  { version: '7.0.1', secureImage: 'elasticsearch', trial: true, user: 'kibana', api: '_security', esVariable: 'ELASTICSEARCH_HOSTS' },
  { version: '7.1.0', secureImage: 'elasticsearch', trial: false, user: 'kibana', api: '_security', esVariable: 'ELASTICSEARCH_HOSTS' },
  { version: '7.7.1', secureImage: 'elasticsearch', trial: false, user: 'kibana', api: '_security', esVariable: 'ELASTICSEARCH_HOSTS' },
  { version: '7.8.0', secureImage: 'elasticsearch', trial: false, user: 'kibana_system', api: '_security', esVariable: 'ELASTICSEARCH_HOSTS' },
  { version: '7.17.28', secureImage: 'elasticsearch', trial: false, user: 'kibana_system', api: '_security', esVariable: 'ELASTICSEARCH_HOSTS' },
  { version: '8.19.10', secureImage: 'elasticsearch', trial: false, user: 'kibana_system', api: '_security', esVariable: 'ELASTICSEARCH_HOSTS' },
  { version: '9.2.3', secureImage: 'elasticsearch', trial: false, user: 'kibana_system', api: '_security', esVariable: 'ELASTICSEARCH_HOSTS' },
]
