// Small local images for tests that run containers: no image registry is reachable, so a root
// filesystem is made from the static busybox (sh, httpd, wget, sleep…) and `docker import`ed under
// shipshape-test/…, with a random tag, and removed when the test ends.

import { mkdir, symlink, writeFile, copyFile, chmod } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { createServer } from 'node:net'
import type { TestContext } from 'node:test'
import { createProbe } from '../lib/probe.js'
import { tempDir } from './helpers.js'

const APPLETS = ['sh', 'httpd', 'wget', 'sleep', 'echo', 'cat', 'ls', 'nc', 'true', 'false', 'env', 'df']

export const dockerProbe = createProbe({ env: process.env })
export const suffix = () => randomBytes(4).toString('hex')

export interface ImageSpec {
  name: string
  /** The image's CMD, as JSON argv. */
  cmd: string[]
  /** Extra executables: path in the image → shell script body. */
  scripts?: Record<string, string>
}

export async function busyboxImage(t: TestContext, spec: ImageSpec): Promise<string> {
  const root = join(await tempDir(t, 'shipshape-image-'), 'root')
  for (const dir of ['bin', 'www', 'tmp', 'data/db']) await mkdir(join(root, dir), { recursive: true })
  await copyFile('/bin/busybox', join(root, 'bin/busybox'))
  await chmod(join(root, 'bin/busybox'), 0o755)
  for (const applet of APPLETS) await symlink('busybox', join(root, 'bin', applet))
  await writeFile(join(root, 'www/index.html'), 'hello from a shipshape test image\n')
  for (const [path, body] of Object.entries(spec.scripts ?? {})) {
    await writeFile(join(root, path), `#!/bin/sh\n${body}\n`)
    await chmod(join(root, path), 0o755)
  }
  const tar = join(root, '..', 'root.tar')
  const packed = await dockerProbe(['tar', '-C', root, '-cf', tar, '.'], { timeoutMs: 30_000 })
  if (!packed.ok) throw new Error(`tar: ${packed.stderr}`)
  const tag = `shipshape-test/${spec.name}:${suffix()}`
  const imported = await dockerProbe(['docker', 'import', '--change', `CMD ${JSON.stringify(spec.cmd)}`, '--change', 'ENV PATH=/bin', tar, tag], { timeoutMs: 60_000 })
  if (!imported.ok) throw new Error(`docker import: ${imported.stderr}`)
  t.after(() => dockerProbe(['docker', 'rmi', '-f', tag], { timeoutMs: 30_000 }))
  return tag
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Removes whatever a compose project left (containers, its network, its volumes). */
export async function removeProject(project: string): Promise<void> {
  const label = `label=com.docker.compose.project=${project}`
  const ids = (await dockerProbe(['docker', 'ps', '-aq', '--filter', label])).stdout.split('\n').filter(Boolean)
  if (ids.length) await dockerProbe(['docker', 'rm', '-f', '-v', ...ids], { timeoutMs: 60_000 })
  const volumes = (await dockerProbe(['docker', 'volume', 'ls', '-q', '--filter', label])).stdout.split('\n').filter(Boolean)
  if (volumes.length) await dockerProbe(['docker', 'volume', 'rm', '-f', ...volumes])
  const networks = (await dockerProbe(['docker', 'network', 'ls', '-q', '--filter', label])).stdout.split('\n').filter(Boolean)
  if (networks.length) await dockerProbe(['docker', 'network', 'rm', ...networks])
}
