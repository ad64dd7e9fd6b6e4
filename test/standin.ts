// Stand-ins for Elasticsearch and Kibana, so the stack's compose wiring runs for real without their
// images (no registry is reachable, and they are gigabytes). One root filesystem: the static busybox
// (the HTTP server is `nc -ll -e`, one shell process per request), and bash and curl from the Debian
// packages installed here with the libraries ldd names for them, as the real images carry bash and
// curl that the templates' setup service and health checks use. The scripts in
// test/fixtures/standin/ answer as the band's Elasticsearch or Kibana does (test/fixtures/README.md
// says what they mimic and from which source). The band comes from the image's environment.

import { chmod, copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { TestContext } from 'node:test'
import { fixturesDir, tempDir } from './helpers.js'
import { dockerProbe, suffix } from './images.js'

const APPLETS = ['sh', 'nc', 'grep', 'head', 'tail', 'sleep', 'seq', 'cat', 'env', 'sed', 'tr', 'base64', 'mkdir', 'printf', 'dd', 'date', 'echo', 'true', 'false', 'test', '[', 'ls', 'rm']
const HOST_TOOLS = ['bash', 'curl']

/** Builds the stand-in root filesystem as a tar; returns its path. */
export async function standinTar(t: TestContext): Promise<string> {
  const dir = await tempDir(t, 'shipshape-standin-')
  const root = join(dir, 'root')
  for (const d of ['bin', 'lib/standin', 'tmp', 'etc', 'usr/share/elasticsearch/data']) await mkdir(join(root, d), { recursive: true })
  await chmod(join(root, 'tmp'), 0o1777)
  await copyFile('/bin/busybox', join(root, 'bin/busybox'))
  await chmod(join(root, 'bin/busybox'), 0o755)
  for (const applet of APPLETS) await symlink('busybox', join(root, 'bin', applet))
  const libs = new Set<string>()
  for (const tool of HOST_TOOLS) {
    const where = await dockerProbe(['sh', '-c', `command -v ${tool}`], { timeoutMs: 10_000 })
    if (!where.ok) throw new Error(`${tool} is not installed here; the stand-in image needs it`)
    const path = where.stdout.trim()
    await copyFile(path, join(root, 'bin', tool))
    await chmod(join(root, 'bin', tool), 0o755)
    const ldd = await dockerProbe(['ldd', path], { timeoutMs: 10_000 })
    for (const m of ldd.stdout.matchAll(/(\/\S+) \(0x/g)) libs.add(m[1])
  }
  for (const lib of libs) {
    await mkdir(join(root, dirname(lib)), { recursive: true })
    await copyFile(lib, join(root, lib))
  }
  await writeFile(join(root, 'etc/nsswitch.conf'), 'hosts: files dns\n')
  const source = join(fixturesDir, 'standin')
  await copyFile(join(source, 'http.sh'), join(root, 'lib/standin/http.sh'))
  for (const script of ['serve', 'es-request', 'kibana-request']) {
    await writeFile(join(root, 'bin', script), await readFile(join(source, script)))
    await chmod(join(root, 'bin', script), 0o755)
  }
  const tar = join(dir, 'root.tar')
  const packed = await dockerProbe(['tar', '-C', root, '-cf', tar, '.'], { timeoutMs: 60_000 })
  if (!packed.ok) throw new Error(`tar: ${packed.stderr}`)
  return tar
}

export interface StandinSpec {
  role: 'es' | 'kibana'
  version: string
  /** Elasticsearch 6.0–6.2's image flavour: platinum (trial, security) or the default (basic). */
  flavour?: 'platinum' | 'default'
}

/** Imports the stand-in as an image for one role and version; removed when the test ends. */
export async function standinImage(t: TestContext, tar: string, spec: StandinSpec): Promise<string> {
  const name = spec.role === 'es' ? (spec.flavour === 'platinum' ? 'elasticsearch-platinum' : 'elasticsearch') : 'kibana'
  const tag = `shipshape-test/${name}:${spec.version}-${suffix()}`
  const env = [`PATH=/bin`, `STANDIN_VERSION=${spec.version}`, `STANDIN_FLAVOUR=${spec.flavour ?? 'default'}`]
  const changes = [...env.map((e) => ['--change', `ENV ${e}`]).flat(), '--change', `CMD ["/bin/serve", "${spec.role}"]`]
  const imported = await dockerProbe(['docker', 'import', ...changes, tar, tag], { timeoutMs: 120_000 })
  if (!imported.ok) throw new Error(`docker import: ${imported.stderr}`)
  t.after(() => dockerProbe(['docker', 'rmi', '-f', tag], { timeoutMs: 30_000 }))
  return tag
}
