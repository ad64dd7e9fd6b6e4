// The health endpoint behind `shipshape serve`: GET /healthz answers 200 when every required check is
// ok and 503 otherwise, with the JSON report; GET /metrics the Prometheus text. One run serves every
// request for the cache period, and requests that arrive during a run wait for that same run, so a
// scraper and a load balancer together never start a second doctor.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { renderJson } from './report/json.js'
import { renderPrometheus } from './report/prometheus.js'
import type { Report } from './types.js'

export interface HealthOptions {
  /** One doctor run; injected so tests use fake checks. */
  run: () => Promise<Report>
  cacheMs: number
  now?: () => number
}

export interface HealthServer {
  server: Server
  /** How many runs have started (for tests and the log). */
  runs(): number
  /** Stops accepting, closes idle connections, and gives requests in flight `graceMs` to finish. */
  close(graceMs?: number): Promise<void>
}

export function createHealthServer(opts: HealthOptions): HealthServer {
  const now = opts.now ?? Date.now
  let cached: { report: Report; at: number } | null = null
  let inflight: Promise<Report> | null = null
  let runs = 0

  const current = (): Promise<Report> => {
    if (cached && now() - cached.at < opts.cacheMs) return Promise.resolve(cached.report)
    inflight ??= (async () => {
      runs++
      try {
        const report = await opts.run()
        cached = { report, at: now() }
        return report
      } finally {
        inflight = null
      }
    })()
    return inflight
  }

  const send = (res: ServerResponse, code: number, type: string, body: string) => {
    res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path !== '/healthz' && path !== '/metrics') return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /healthz or /metrics\n')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n')
    }
    try {
      const report = await current()
      if (path === '/healthz') send(res, report.summary.exitCode === 0 ? 200 : 503, 'application/json; charset=utf-8', renderJson(report))
      else send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', renderPrometheus(report))
    } catch (error) {
      send(res, 500, 'text/plain; charset=utf-8', `the doctor run failed: ${(error as Error).message}\n`)
    }
  }

  const server = createServer((req, res) => void handle(req, res))
  return {
    server,
    runs: () => runs,
    close: (graceMs = 3_000) =>
      new Promise<void>((resolve) => {
        // A client that opened a connection and sends nothing is not "idle" to node; the grace ends it.
        const force = setTimeout(() => server.closeAllConnections(), graceMs)
        server.close(() => {
          clearTimeout(force)
          resolve()
        })
        server.closeIdleConnections()
      }),
  }
}

/** "30s", "5m", "1h", "500ms" or plain milliseconds. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text.trim())
  if (!m) return null
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h']
  return Number(m[1]) * unit
}
