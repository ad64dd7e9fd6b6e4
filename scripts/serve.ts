// `shipshape serve`: a small HTTP endpoint for load balancers and Prometheus: /healthz (200 or 503 with
// the JSON report) and /metrics. Binds 127.0.0.1 unless --host says otherwise; stops cleanly on SIGTERM.

import { pathToFileURL } from 'node:url'
import { registry } from '../checks/index.js'
import { prepareRun } from '../lib/collect.js'
import { csv, newCommand, parseArgs, positiveInt, processIo, type Io } from '../lib/command.js'
import { InvalidArgumentError } from 'commander'
import { ExitError, UsageError } from '../lib/errors.js'
import { createHealthServer, parseDuration } from '../lib/serve.js'
import { runMain } from './run-main.js'

interface ServeOptions {
  port: number
  host: string
  cache: number
  only?: string[]
  skip?: string[]
  timeout?: number
  config?: string
  offline?: boolean
}

const port = (v: string) => {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`'${v}' is not a port (0-65535; 0 picks a free one).`)
  return n
}
const duration = (v: string) => {
  const ms = parseDuration(v)
  if (ms === null) throw new InvalidArgumentError(`'${v}' is not a duration (e.g. 30s, 5m, 500ms).`)
  return ms
}

export function serveCommand(io: Io) {
  return newCommand('serve', io)
    .description('Serve the checks over HTTP: GET /healthz (200 when doctor would exit 0, i.e. ready, warnings allowed; 503 not; JSON report) and GET /metrics (Prometheus text).')
    .option('--port <port>', 'port to listen on (0 picks a free one)', port, 9798)
    .option('--host <host>', 'address to bind; loopback unless you mean otherwise', '127.0.0.1')
    .option('--cache <duration>', 'reuse a run for this long (e.g. 30s, 5m)', duration, 30_000)
    .option('--only <ids>', 'run only these checks (comma-separated)', csv)
    .option('--skip <ids>', 'leave these checks out (comma-separated)', csv)
    .option('--timeout <ms>', 'bound for every check, in milliseconds', positiveInt)
    .option('--config <file>', 'a shipshape.yaml other than ./shipshape.yaml')
    .option('--offline', 'skip the network checks (registries, proxy, clock); network.offline in shipshape.yaml says the same')
    .addHelpText('after', `
Examples:
  shipshape serve                      # http://127.0.0.1:9798/healthz and /metrics
  shipshape serve --port 9100 --cache 1m --only docker-daemon,kubectl`)
}

export interface ServeHooks {
  /** Resolves when the server should stop; defaults to the first SIGTERM (Ctrl-C exits 130, run-main.ts). */
  stopped?: Promise<string>
}

export async function main(argv: readonly string[], io: Io = processIo(), hooks: ServeHooks = {}): Promise<number> {
  const cmd = serveCommand(io)
  parseArgs(cmd, argv)
  const opts = cmd.opts<ServeOptions>()
  const { run } = await prepareRun(registry, { env: io.env, cwd: io.cwd, config: opts.config, only: opts.only, skip: opts.skip, timeout: opts.timeout, offline: opts.offline })
  const health = createHealthServer({ run: (signal) => run({ signal }), cacheMs: opts.cache })
  await new Promise<void>((resolve, reject) => {
    health.server.once('error', (error: NodeJS.ErrnoException) =>
      // A --host that names no address (a typo such as 0.0.0.0x) is bad input: exit 2, as any flag's.
      reject(['ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL'].includes(error.code ?? '')
        ? new UsageError(`--host '${opts.host}' is not an address of this machine (${error.code}): give an IP address such as 127.0.0.1 or 0.0.0.0, or a name that resolves to one`)
        : new ExitError(1, `cannot listen on ${opts.host}:${opts.port}: ${error.code ?? error.message}`)))
    health.server.listen(opts.port, opts.host, () => resolve())
  })
  const addr = health.server.address()
  const where = typeof addr === 'object' && addr ? `${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : String(addr)
  io.stderr.write(`shipshape serve: listening on http://${where} (/healthz, /metrics; cache ${opts.cache / 1000}s)\n`)
  if (!isLoopback(opts.host)) io.stderr.write(`shipshape serve: note: ${opts.host} is not loopback; anyone who reaches this port sees this machine's report\n`)

  const signal = await (hooks.stopped ?? untilSignal())
  io.stderr.write(`shipshape serve: ${signal}, stopping\n`)
  await health.close()
  // Every probe has been killed; a grandchild that escaped its process group must not keep us alive.
  if (!hooks.stopped) setTimeout(() => process.exit(0), 2_000).unref()
  return 0
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host)

// SIGTERM stops the server cleanly; Ctrl-C (SIGINT) is the interrupt of every command (run-main.ts):
// probes killed, exit 130.
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGTERM', on)
      resolve(sig)
    }
    process.on('SIGTERM', on)
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
