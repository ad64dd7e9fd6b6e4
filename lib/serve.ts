// The health endpoint behind `shipshape serve`: GET /healthz answers 200 when doctor would exit 0
// (every required check ok or warn, none skipped for a failed prerequisite) and 503 otherwise, with
// the JSON report; GET /metrics the Prometheus text. One run serves every request for the cache period, and requests that arrive during a run wait for that same run, so a
// scraper and a load balancer together never start a second doctor.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { renderJson } from './report/json.js'
import { renderPrometheus } from './report/prometheus.js'
import { maskUrlCredentials } from './redact.js'
import type { Report } from './types.js'

export interface HealthOptions {
  /** One doctor run; injected so tests use fake checks. The signal aborts it (its probes are killed) on close. */
  run: (signal: AbortSignal) => Promise<Report>
  cacheMs: number
  now?: () => number
}

export interface HealthServer {
  server: Server
  /** How many runs have started (for tests and the log). */
  runs(): number
  /**
   * Stops accepting, stops the doctor run in progress (its probes are killed), answers requests in
   * flight 503 "shutting down", and gives them `graceMs` to be written before their connections are cut.
   */
  close(graceMs?: number): Promise<void>
}

export function createHealthServer(opts: HealthOptions): HealthServer {
  const now = opts.now ?? Date.now
  let cached: { report: Report; at: number } | null = null
  let inflight: Promise<Report> | null = null
  let runs = 0
  // One controller for the server's life: closing aborts whatever run is in progress.
  const stop = new AbortController()

  const current = (): Promise<Report> => {
    if (cached && now() - cached.at < opts.cacheMs) return Promise.resolve(cached.report)
    inflight ??= (async () => {
      runs++
      try {
        const report = await opts.run(stop.signal)
        cached = { report, at: now() }
        return report
      } finally {
        inflight = null
      }
    })()
    return inflight
  }

  const send = (res: ServerResponse, code: number, type: string, body: string) => {
    // While stopping, a keep-alive connection would outlive its answer and hold close() to its grace.
    if (stop.signal.aborted) res.shouldKeepAlive = false
    body = maskUrlCredentials(body)
    res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req.url)
    if (path === null) return send(res, 400, 'text/plain; charset=utf-8', 'bad request target: try /healthz or /metrics\n')
    if (path !== '/healthz' && path !== '/metrics') return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /healthz or /metrics\n')
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD')
      return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n')
    }
    if (stop.signal.aborted) return send(res, 503, 'text/plain; charset=utf-8', 'shutting down\n')
    try {
      const report = await current()
      if (stop.signal.aborted) return send(res, 503, 'text/plain; charset=utf-8', 'shutting down\n')
      if (path === '/healthz') send(res, report.summary.exitCode === 0 ? 200 : 503, 'application/json; charset=utf-8', renderJson(report))
      else send(res, 200, 'text/plain; version=0.0.4; charset=utf-8', renderPrometheus(report))
    } catch (error) {
      if (stop.signal.aborted) return send(res, 503, 'text/plain; charset=utf-8', 'shutting down\n')
      send(res, 500, 'text/plain; charset=utf-8', `the doctor run failed: ${(error as Error).message}\n`)
    }
  }

  // The one error boundary: whatever a request does, it gets an answer (or its socket closed) and the
  // server goes on serving the next one.
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${(error as Error)?.message ?? String(error)}\n`)
      else res.destroy()
    })
  })
  return {
    server,
    runs: () => runs,
    close: (graceMs = 3_000) =>
      new Promise<void>((resolve) => {
        stop.abort()
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

/** The path of a request target, or null when it is not one (`//[`, `//a:99999/`). */
function pathOf(target: string | undefined): string | null {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname
  } catch {
    return null
  }
}

/** "30s", "5m", "1h", "500ms" or plain milliseconds. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text.trim())
  if (!m) return null
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h']
  return Number(m[1]) * unit
}
