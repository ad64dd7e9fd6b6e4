// Loopback parts for the network checks' tests: a CA made in the test with the openssl CLI, an HTTPS
// "registry" that answers GET /v2/ with 401 and a Date header we choose, a port that accepts and
// never starts TLS, and an HTTP proxy that tunnels (CONNECT) to the registry, refuses with 407, or is
// absent. Everything listens on 127.0.0.1 and is closed when the test ends.

import { readFile } from 'node:fs/promises'
import { createServer as createHttpsServer } from 'node:https'
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { need } from './gate.js'
import { put, runProcess, tempDir } from './helpers.js'

export interface TestCa {
  caPem: string
  key: string
  cert: string
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const r = await runProcess('openssl', args, { cwd, timeoutMs: 30_000 })
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`)
}

/** A CA and a server certificate it signed, for 127.0.0.1 and registry.test. */
export async function makeCa(t: TestContext): Promise<TestCa | null> {
  if (!(await need(t, 'openssl'))) return null
  const dir = await tempDir(t, 'shipshape-ca-')
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/O=shipshape test/CN=shipshape test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir)
  await openssl(['req', ...ec, '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=registry.test'], dir)
  await put(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:registry.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n')
  await openssl(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.crt', '-days', '2', '-extfile', 'ext.cnf'], dir)
  const [caPem, key, cert] = await Promise.all(['ca.crt', 'srv.key', 'srv.crt'].map((f) => readFile(join(dir, f), 'utf8')))
  return { caPem, key, cert }
}

const portOf = (s: Server) => (s.address() as AddressInfo).port

async function listen(t: TestContext, server: Server, sockets: Set<Socket>): Promise<number> {
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    for (const s of sockets) s.destroy()
    return new Promise((resolve) => server.close(() => resolve(undefined)))
  })
  return portOf(server)
}

export interface TestRegistry {
  port: number
  /** GET /v2/ requests it answered. */
  requests: number
}

/** An HTTPS registry: GET /v2/ answers 401 with a Bearer challenge and a Date `skewMs` off this machine's. */
export async function startRegistry(t: TestContext, ca: TestCa, skewMs = 0): Promise<TestRegistry> {
  const reg = { port: 0, requests: 0 }
  const server = createHttpsServer({ key: ca.key, cert: ca.cert }, (req, res) => {
    if (req.url === '/v2/') reg.requests++
    res.setHeader('Date', new Date(Date.now() + skewMs).toUTCString())
    res.writeHead(req.url === '/v2/' ? 401 : 404, { 'WWW-Authenticate': 'Bearer realm="https://127.0.0.1/token",service="test"', 'Content-Type': 'application/json' })
    res.end('{"errors":[{"code":"UNAUTHORIZED"}]}\n')
  })
  reg.port = await listen(t, server, new Set())
  return reg
}

/** A port that accepts connections and never says a word (a hung registry, or a silent middlebox). */
export async function silentPort(t: TestContext): Promise<number> {
  return listen(t, createServer(() => {}), new Set())
}

export interface TestProxy {
  port: number
  /** The CONNECT targets asked for, as host:port. */
  asked: string[]
}

/** An HTTP proxy on loopback: 'tunnel' forwards every CONNECT to the registry's port; 'auth' answers 407. */
export async function startProxy(t: TestContext, mode: { tunnelTo: number } | 'auth'): Promise<TestProxy> {
  const proxy: TestProxy = { port: 0, asked: [] }
  const server = createServer((client) => {
    let head = ''
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      client.off('data', onData)
      proxy.asked.push(head.split(' ')[1] ?? '')
      if (mode === 'auth') {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n')
        return
      }
      const upstream = connect({ host: '127.0.0.1', port: mode.tunnelTo }, () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n')
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    }
    client.on('data', onData)
  })
  proxy.port = await listen(t, server, new Set())
  return proxy
}
