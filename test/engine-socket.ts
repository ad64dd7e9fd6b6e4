// Docker engines for tests: a tiny HTTP server on a unix socket that answers an engine's recorded
// GET /_ping, /version and /info (test/fixtures/engines/<engine>.json), and docker contexts written
// the way each installer writes them (~/.docker/contexts/meta/<sha256 of the name>/meta.json, and
// currentContext in ~/.docker/config.json).

import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { createServer, type RequestListener } from 'node:http'
import { dirname, join } from 'node:path'
import type { TestContext } from 'node:test'
import { fixturesDir, put } from './helpers.js'

export interface EngineRecording {
  ping: { headers: Record<string, string>; body: string }
  version: Record<string, unknown>
  info: Record<string, unknown>
}

export async function engineRecording(engine: string): Promise<EngineRecording> {
  return JSON.parse(await readFile(join(fixturesDir, 'engines', `${engine}.json`), 'utf8')) as EngineRecording
}

/** Serves `handler` on a unix socket at `socketPath` until the test ends. */
export async function serveOnSocket(t: TestContext, socketPath: string, handler: RequestListener): Promise<string> {
  await mkdir(dirname(socketPath), { recursive: true })
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  }))
  return socketPath
}

/** An engine's recorded answers on a unix socket (API paths with or without a /v1.xx prefix). */
export async function serveEngine(t: TestContext, socketPath: string, recording: EngineRecording): Promise<string> {
  return serveOnSocket(t, socketPath, (req, res) => {
    const path = (req.url ?? '').replace(/^\/v\d+\.\d+/, '').replace(/\?.*$/, '')
    if (path === '/_ping') {
      res.writeHead(200, { ...recording.ping.headers, 'Content-Type': 'text/plain; charset=utf-8' })
      res.end(recording.ping.body)
    } else if (path === '/version' || path === '/info') {
      res.writeHead(200, { 'Api-Version': recording.ping.headers['Api-Version'] ?? '1.41', 'Content-Type': 'application/json' })
      res.end(JSON.stringify(path === '/version' ? recording.version : recording.info))
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' })
      res.end('{"message":"page not found"}')
    }
  })
}

/** A docker context as installers write it, made current in <home>/.docker/config.json. */
export async function writeDockerContext(home: string, name: string, host: string, current = true): Promise<void> {
  const configDir = join(home, '.docker')
  await put(join(configDir, 'contexts/meta', createHash('sha256').update(name).digest('hex'), 'meta.json'), JSON.stringify({ Name: name, Metadata: { Description: name }, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }))
  if (current) await put(join(configDir, 'config.json'), JSON.stringify({ auths: {}, currentContext: name }, null, '\t'))
}
