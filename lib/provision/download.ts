// Downloads for installers, done by node rather than curl (a fresh machine may have no curl).
// Node 20's fetch ignores proxy variables, so undici's EnvHttpProxyAgent is handed the context's
// HTTPS_PROXY / https_proxy / NO_PROXY: corporate networks need them. Every download is bounded and
// verified (sha256 or an OpenPGP fingerprint) before anything is written, so an unverified file
// never lands on disk; each failure names the URL and why.

import type { Hash } from 'node:crypto'
import type { Env } from '../types.js'

export const DOWNLOAD_TIMEOUT_MS = 5 * 60_000
/** Enough for minikube's .deb (~100 MB); a server that streams forever is cut off. */
const MAX_BYTES = 512 * 1024 * 1024

export class DownloadError extends Error {}

function proxyEnv(env: Env) {
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v !== undefined && v !== '')
  return { httpsProxy: pick('https_proxy', 'HTTPS_PROXY'), httpProxy: pick('http_proxy', 'HTTP_PROXY'), noProxy: pick('no_proxy', 'NO_PROXY') }
}

/** Fetches a URL into memory within a bound; throws DownloadError naming the URL and the cause. */
export async function download(env: Env, url: string, timeoutMs = DOWNLOAD_TIMEOUT_MS): Promise<Buffer> {
  const { fetch, EnvHttpProxyAgent } = await import('undici')
  const dispatcher = new EnvHttpProxyAgent(proxyEnv(env))
  const signal = AbortSignal.timeout(timeoutMs)
  try {
    const res = await fetch(url, { dispatcher, signal, redirect: 'follow' })
    if (!res.ok) throw new DownloadError(`${url}: HTTP ${res.status} ${res.statusText}`.trim())
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res.body ?? []) {
      size += chunk.length
      if (size > MAX_BYTES) throw new DownloadError(`${url}: larger than ${MAX_BYTES} bytes`)
      chunks.push(Buffer.from(chunk))
    }
    return Buffer.concat(chunks)
  } catch (error) {
    if (error instanceof DownloadError) throw error
    const err = error as Error & { cause?: Error & { code?: string } }
    const why = signal.aborted ? `no answer within ${timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message)
    const via = proxyEnv(env).httpsProxy && url.startsWith('https:') ? ' (through the https proxy)' : ''
    throw new DownloadError(`cannot download ${url}${via}: ${why}`)
  } finally {
    await dispatcher.close().catch(() => {})
  }
}

/** Is a source reachable at all? A quick, bounded look used by `--docker auto`. */
export async function reachable(env: Env, url: string, timeoutMs = 8_000): Promise<{ ok: boolean; why: string }> {
  try {
    await download(env, url, timeoutMs)
    return { ok: true, why: `${url} answered` }
  } catch (error) {
    return { ok: false, why: (error as Error).message }
  }
}

// node:crypto is loaded where used, not at start: doctor plans downloads but makes none.
const createHash = (algorithm: string): Hash => process.getBuiltinModule('node:crypto').createHash(algorithm)

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex')

/** The first hex digest in a `.sha256` file ("<hex>" or "<hex>  name"). */
export function parseSha256File(text: string): string | null {
  return text.match(/\b[0-9a-f]{64}\b/i)?.[0].toLowerCase() ?? null
}

/** Downloads `url` and checks it against the digest published at `url.sha256`. */
export async function downloadVerified(env: Env, url: string, shaUrl = `${url}.sha256`): Promise<Buffer> {
  const published = parseSha256File((await download(env, shaUrl, 60_000)).toString('utf8'))
  if (!published) throw new DownloadError(`${shaUrl}: no sha256 digest in it`)
  const data = await download(env, url)
  const actual = sha256(data)
  if (actual !== published) throw new DownloadError(`${url}: sha256 ${actual} does not match ${published} published at ${shaUrl}; not installed`)
  return data
}

/**
 * The v4 fingerprint of the primary key in an ASCII-armoured OpenPGP public key: SHA-1 over 0x99,
 * the two-byte body length and the public-key packet body (RFC 4880 §12.2). Read here so a fresh
 * machine needs no gpg to check Docker's key before apt trusts it.
 */
export function openPgpFingerprint(armored: string): string | null {
  const body = armored.match(/-----BEGIN PGP PUBLIC KEY BLOCK-----([\s\S]*?)-----END PGP PUBLIC KEY BLOCK-----/)?.[1]
  if (!body) return null
  const b64 = body
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^[\w-]+:/.test(l) && !l.startsWith('='))
    .join('')
  const bytes = Buffer.from(b64, 'base64')
  if (bytes.length < 3) return null
  const tag = bytes[0]
  if ((tag & 0x80) === 0) return null
  let len: number
  let off: number
  let type: number
  if (tag & 0x40) {
    type = tag & 0x3f
    const l0 = bytes[1]
    if (l0 < 192) [len, off] = [l0, 2]
    else if (l0 < 224) [len, off] = [((l0 - 192) << 8) + bytes[2] + 192, 3]
    else if (l0 === 255) [len, off] = [bytes.readUInt32BE(2), 6]
    else return null
  } else {
    type = (tag >> 2) & 0x0f
    const lt = tag & 3
    if (lt === 0) [len, off] = [bytes[1], 2]
    else if (lt === 1) [len, off] = [bytes.readUInt16BE(1), 3]
    else if (lt === 2) [len, off] = [bytes.readUInt32BE(1), 5]
    else return null
  }
  if (type !== 6 || bytes[off] !== 4 || off + len > bytes.length) return null
  const packet = bytes.subarray(off, off + len)
  const head = Buffer.from([0x99, (len >> 8) & 0xff, len & 0xff])
  return createHash('sha1').update(head).update(packet).digest('hex').toUpperCase()
}

/** "9DC8 5822 …" or "9dc85822…" → "9DC85822…" */
export const normaliseFingerprint = (fp: string) => fp.replace(/\s+/g, '').toUpperCase()
