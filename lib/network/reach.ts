// One HTTPS `GET /v2/` to a registry, the way the Docker daemon would make it: through its proxy (an
// HTTP CONNECT tunnel, written by hand so every stage can be named), trusting the CAs it trusts.
// Every stage is bounded: one deadline for the whole exchange, and at most MAX_HEAD bytes read of
// any answer (only the status line and headers matter). Never throws: every failure is a Reach.

import { connect as tcpConnect, isIP, type Socket } from 'node:net'
import type { PeerCertificate, TLSSocket } from 'node:tls'
import { proxyPort } from './proxy-settings.js'

export const MAX_HEAD = 16 * 1024

export type Problem =
  | 'resolve' // the registry's name does not resolve
  | 'refused' // nothing listens, or a firewall rejects
  | 'timeout' // no answer within the bound (which stage is in `stage`)
  | 'proxy-resolve'
  | 'proxy-refused' // the proxy does not accept connections, or refuses the tunnel
  | 'proxy-auth' // 407
  | 'untrusted' // certificate signed by an unknown authority (a TLS-intercepting proxy, a private CA)
  | 'not-yet-valid' // the certificate starts in the future: this clock is behind
  | 'expired'
  | 'name-mismatch'
  | 'tls' // the handshake failed otherwise
  | 'http' // an answer other than 200 or 401
  | 'other'

export type Stage = 'resolving' | 'connecting' | 'proxy' | 'tls' | 'http'

export type Reach =
  | { ok: true; status: number; date: string | null; ms: number }
  | { ok: false; problem: Problem; stage: Stage; message: string; ms: number; issuer?: string; subject?: string }

export interface ReachInput {
  host: string
  port: number
  proxy: URL | null
  /** PEM text of the CAs to trust; undefined for Node's own roots. */
  ca?: string[]
  timeoutMs: number
  resolve(host: string): Promise<string[]>
}

type Failure = Error & { problem?: Problem; issuer?: string; subject?: string }

const fail = (problem: Problem, message: string, extra: Partial<Failure> = {}): Failure => Object.assign(new Error(message), { problem, ...extra })

export async function reachRegistry(input: ReachInput): Promise<Reach> {
  const started = performance.now()
  const ms = () => Math.round(performance.now() - started)
  const state: { stage: Stage; socket: Socket | null } = { stage: 'resolving', socket: null }
  const hostName = isIP(input.host) === 6 ? `[${input.host}]` : input.host
  const where = `${hostName}:${input.port}`
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<Reach>((resolve) => {
    timer = setTimeout(() => {
      state.socket?.destroy()
      resolve({ ok: false, problem: 'timeout', stage: state.stage, message: timeoutMessage(state.stage, input, ms()), ms: ms() })
    }, input.timeoutMs)
  })
  const attempt = (async (): Promise<Reach> => {
    const proxy = input.proxy
    const shownProxy = proxy ? `${proxy.hostname}:${proxyPort(proxy)}` : ''
    try {
      const [host, port] = proxy ? [proxy.hostname.replace(/^\[|\]$/g, ''), proxyPort(proxy)] : [input.host, input.port]
      let address = host
      if (!isIP(host)) {
        const found = await input.resolve(host).catch((error: NodeJS.ErrnoException) => {
          throw fail(proxy ? 'proxy-resolve' : 'resolve', `cannot resolve ${proxy ? `the proxy ${host}` : host} (${error.code ?? error.message})`)
        })
        if (!found.length) throw fail(proxy ? 'proxy-resolve' : 'resolve', `cannot resolve ${host} (no address)`)
        address = found[0]
      }
      state.stage = 'connecting'
      let socket: Socket = await openTcp(address, port).catch((error: NodeJS.ErrnoException) => {
        const refused = error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' || error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH'
        if (proxy) throw fail('proxy-refused', `the proxy ${shownProxy} does not accept connections (${error.code ?? error.message})`)
        if (error.code === 'ETIMEDOUT') throw fail('timeout', `no answer to the connection (ETIMEDOUT): a firewall that drops packets, or a network that needs a proxy`)
        throw fail(refused ? 'refused' : 'other', error.code === 'ECONNREFUSED' ? 'refused the connection' : `cannot be reached (${error.code ?? error.message})`)
      })
      state.socket = socket
      if (proxy) {
        state.stage = 'proxy'
        if (proxy.protocol === 'https:') state.socket = socket = (await handshake(socket, proxy.hostname, undefined)).socket
        const auth = proxy.username ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n` : ''
        const head = await exchange(socket, `CONNECT ${where} HTTP/1.1\r\nHost: ${where}\r\n${auth}\r\n`)
        const status = statusOf(head)
        if (status === 407) throw fail('proxy-auth', `the proxy ${shownProxy} wants authentication (407)${proxy.username ? ': it refused the credentials in the proxy URL' : ''}`)
        if (status !== 200) throw fail('proxy-refused', `the proxy ${shownProxy} refused the tunnel to ${where} (${head.split('\r\n')[0].slice(0, 120) || 'no status line'})`)
      }
      state.stage = 'tls'
      const tls = await handshake(socket, input.host, input.ca)
      state.socket = tls.socket
      if (tls.error) throw certFailure(tls.error, tls.socket.getPeerCertificate(), input.host)
      state.stage = 'http'
      const hostHeader = input.port === 443 ? hostName : where
      const head = await exchange(tls.socket, `GET /v2/ HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: shipshape\r\nAccept: application/json\r\nConnection: close\r\n\r\n`)
      const status = statusOf(head)
      const date = head.match(/^date:[ \t]*(.+?)[ \t]*$/im)?.[1] ?? null
      if (status === 200 || status === 401) return { ok: true, status, date, ms: ms() }
      return { ok: false, problem: 'http', stage: 'http', message: `answered GET /v2/ with ${status ?? 'no HTTP status'}${status ? ', not 200 or 401: is this a registry?' : ''}`, ms: ms() }
    } catch (error) {
      const e = error as Failure & NodeJS.ErrnoException
      if (e.problem) return { ok: false, problem: e.problem, stage: state.stage, message: e.message, ms: ms(), ...(e.issuer ? { issuer: e.issuer, subject: e.subject } : {}) }
      const what = state.stage === 'tls' ? 'tls' : 'other'
      return { ok: false, problem: what, stage: state.stage, message: `${state.stage === 'tls' ? 'the TLS handshake failed' : 'failed'} (${e.code ?? e.message})`, ms: ms() }
    } finally {
      state.socket?.destroy()
    }
  })()
  try {
    return await Promise.race([attempt, deadline])
  } finally {
    clearTimeout(timer)
  }
}

function timeoutMessage(stage: Stage, input: ReachInput, ms: number): string {
  const proxy = input.proxy ? `the proxy ${input.proxy.hostname}:${proxyPort(input.proxy)}` : ''
  switch (stage) {
    case 'resolving':
      return `resolving ${input.proxy ? input.proxy.hostname : input.host} got no answer within ${ms} ms`
    case 'connecting':
      return `no answer${input.proxy ? ` from ${proxy}` : ''} within ${ms} ms (a firewall that drops packets, or a network that needs a proxy)`
    case 'proxy':
      return `${proxy} accepted the connection but did not answer CONNECT within ${ms} ms`
    case 'tls':
      return `accepted the connection but never completed the TLS handshake within ${ms} ms`
    default:
      return `did not answer GET /v2/ within ${ms} ms`
  }
}

function openTcp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port })
    socket.on('error', () => {}) // a late error after we are done must not crash the run; the deadline covers hangs
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(socket)
    })
    socket.once('error', reject)
  })
}

/** TLS over an open socket; the verdict on the certificate is kept rather than thrown, so it can be explained. */
function handshake(socket: Socket, host: string, ca: string[] | undefined): Promise<{ socket: TLSSocket; error: string | null }> {
  return new Promise((resolve, reject) => {
    // `host` is what the certificate is checked against (the socket may be a proxy's tunnel).
    // node:tls is loaded here, not at start: an offline run never needs it.
    const tls = process.getBuiltinModule('node:tls').connect({ socket, host, servername: isIP(host) ? undefined : host, ca, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] })
    tls.on('error', () => {})
    tls.once('secureConnect', () => {
      tls.off('error', reject)
      resolve({ socket: tls, error: tls.authorized ? null : String(tls.authorizationError ?? 'unknown') })
    })
    tls.once('error', reject)
  })
}

/** Writes a request and reads the answer's status line and headers, never more than MAX_HEAD bytes. */
function exchange(socket: Socket, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0)
    const done = (error: Error | null, text?: string) => {
      socket.off('data', onData)
      socket.off('end', onEnd)
      socket.off('error', onError)
      if (error) reject(error)
      else resolve(text!)
    }
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk])
      const end = head.indexOf('\r\n\r\n')
      if (end !== -1) done(null, head.subarray(0, end).toString('latin1'))
      else if (head.length > MAX_HEAD) done(fail('other', `an answer with more than ${MAX_HEAD} bytes of headers`))
    }
    const onEnd = () => (head.length ? done(null, head.toString('latin1')) : done(fail('other', 'the connection closed without an answer')))
    const onError = (error: Error) => done(error)
    socket.on('data', onData)
    socket.once('end', onEnd)
    socket.once('error', onError)
    socket.write(request)
  })
}

const statusOf = (head: string): number | null => {
  const m = head.match(/^HTTP\/\d(?:\.\d)? (\d{3})/)
  return m ? Number(m[1]) : null
}

const dn = (name: PeerCertificate['issuer'] | undefined) =>
  name ? ['CN', 'O', 'OU'].map((k) => (name as unknown as Record<string, string | undefined>)[k]).filter(Boolean).join(', ') : ''

function certFailure(code: string, cert: PeerCertificate, host: string): Failure {
  const issuer = dn(cert?.issuer) || 'unknown'
  const subject = dn(cert?.subject) || 'unknown'
  const by = `(presented: ${subject}, issued by ${issuer})`
  if (code === 'CERT_NOT_YET_VALID') return fail('not-yet-valid', `its certificate is not yet valid (from ${cert.valid_from}): this machine's clock is probably behind ${by}`, { issuer, subject })
  if (code === 'CERT_HAS_EXPIRED') return fail('expired', `its certificate expired on ${cert.valid_to}, or this machine's clock is ahead ${by}`, { issuer, subject })
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code.includes('ALTNAME')) return fail('name-mismatch', `its certificate is for another name than ${host} ${by}: a TLS-intercepting proxy, or the wrong host`, { issuer, subject })
  return fail('untrusted', `certificate signed by unknown authority (${code}) ${by}`, { issuer, subject })
}
