// What the Docker daemon trusts for a registry on this platform: the system's CA bundle plus the
// registry's own folder under certs.d (every *.crt in it, as the daemon reads it). Files are read
// under SHIPSHAPE_HOST_ROOT and bounded in size, since they are not ours.

import { open, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Context } from '../types.js'

const MAX_BUNDLE = 4 * 1024 * 1024
const MAX_CERT = 256 * 1024

/** Debian/Ubuntu (and WSL), Fedora/RHEL, then macOS and Alpine. */
const SYSTEM_BUNDLES = ['etc/ssl/certs/ca-certificates.crt', 'etc/pki/tls/certs/ca-bundle.crt', 'etc/ssl/cert.pem']

export interface Trust {
  ca: string[]
  /** Where each part came from, for the details. */
  sources: string[]
}

/** Reads at most maxBytes of a file; null when it cannot be read. */
export async function readCapped(file: string, maxBytes: number): Promise<string | null> {
  const handle = await open(file, 'r').catch(() => null)
  if (!handle) return null
  try {
    const buf = Buffer.alloc(maxBytes)
    const { bytesRead } = await handle.read(buf, 0, maxBytes, 0)
    return buf.subarray(0, bytesRead).toString('utf8')
  } catch {
    return null
  } finally {
    await handle.close()
  }
}

export function systemBundle(ctx: Context): Promise<{ file: string; pem: string } | null> {
  return ctx.facts.once('ca-system-bundle', async () => {
    for (const rel of SYSTEM_BUNDLES) {
      const file = join(ctx.hostRoot, rel)
      const pem = await readCapped(file, MAX_BUNDLE)
      if (pem && pem.includes('-----BEGIN CERTIFICATE-----')) return { file, pem }
    }
    return null
  })
}

/** The daemon's per-registry folder: /etc/docker/certs.d on Linux and WSL, ~/.docker/certs.d for Docker Desktop on macOS. */
export function certsDirs(ctx: Context, name: string): string[] {
  const dirs = [join(ctx.hostRoot, 'etc/docker/certs.d', name)]
  if (ctx.platform.kind === 'macos') dirs.push(join(ctx.home, '.docker/certs.d', name))
  return dirs
}

export async function trustFor(ctx: Context, certsDir: string): Promise<Trust> {
  const system = await systemBundle(ctx)
  const ca = [system ? system.pem : process.getBuiltinModule('node:tls').rootCertificates.join('\n')]
  const sources = [system ? `system bundle ${system.file}` : "Node's own CA list (no system bundle found)"]
  for (const dir of certsDirs(ctx, certsDir)) {
    const names = await readdir(dir).catch(() => [] as string[])
    for (const name of names.filter((n) => n.endsWith('.crt')).sort()) {
      const pem = await readCapped(join(dir, name), MAX_CERT)
      if (pem?.includes('-----BEGIN CERTIFICATE-----')) {
        ca.push(pem)
        sources.push(join(dir, name))
      }
    }
  }
  return { ca, sources }
}
