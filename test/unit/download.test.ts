// Downloads as a user behind a proxy or a broken mirror meets them: the proxy in the environment is
// used, NO_PROXY is honoured, a refusing proxy fails by name at once, a file whose sha256 or key
// fingerprint is wrong is refused and nothing is written. Every server here is on loopback.

import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { connect, type AddressInfo } from 'node:net'
import { test, type TestContext } from 'node:test'
import { parseConfig } from '../../lib/config.js'
import { dockerAptSteps } from '../../lib/provision/docker-apt.js'
import { dockerWay } from '../../lib/provision/docker.js'
import { download, downloadVerified, openPgpFingerprint, sha256 } from '../../lib/provision/download.js'
import { fakeExecutable, fixture, makeContext, tempDir } from '../helpers.js'
import { minikubeSteps } from '../../lib/provision/minikube.js'
import { refusingPort } from '../loopback.js'

async function serve(t: TestContext, handler: (url: string) => { status?: number; body: string | Buffer }): Promise<{ base: string; seen: string[]; server: Server }> {
  const seen: string[] = []
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} host=${req.headers.host}`)
    const r = handler(req.url ?? '/')
    res.writeHead(r.status ?? 200).end(r.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => server.close(resolve)))
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server }
}

test('the OpenPGP fingerprint of real keys matches what gpg prints (ed25519 and RSA 4096)', async () => {
  assert.equal(openPgpFingerprint(await fixture('debian-bookworm-stable.asc')), '4D64FEC119C2029067D6E791F8D2585B8783D481')
  assert.equal(openPgpFingerprint(await fixture('debian-bookworm-automatic.asc')), 'B8B80B5B623EAB6AD8775C45B7C5D7D6350947F8')
  assert.equal(openPgpFingerprint('<html>not a key</html>'), null)
})

test('downloads go through the proxy named in the environment, except hosts in NO_PROXY', async (t) => {
  const origin = await serve(t, (url) => ({ body: `origin served ${url}` }))
  // A CONNECT proxy on loopback that tunnels every request to the loopback origin, noting the target.
  const tunnels: string[] = []
  const proxy = createServer()
  proxy.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '')
    const upstream = connect(Number(new URL(origin.base).port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client).pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => { proxy.closeAllConnections(); proxy.close(resolve) }))
  const env = { http_proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, NO_PROXY: '' }

  assert.equal((await download(env, 'http://mirror.invalid/file', 10_000)).toString(), 'origin served /file')
  assert.deepEqual(tunnels, ['mirror.invalid:80'])
  assert.equal((await download({ ...env, NO_PROXY: '127.0.0.1' }, `${origin.base}/direct`, 10_000)).toString(), 'origin served /direct')
  assert.equal(tunnels.length, 1, 'NO_PROXY went around the proxy')
})

test('a proxy that refuses fails the download by URL instead of hanging', { timeout: 60_000 }, async () => {
  const port = await refusingPort()
  await assert.rejects(
    download({ https_proxy: `http://127.0.0.1:${port}` }, 'https://download.docker.com/linux/debian/gpg'),
    /cannot download https:\/\/download\.docker\.com\/linux\/debian\/gpg \(through the https proxy\): .*ECONNREFUSED/,
  )
})

test('a download whose bytes do not match the published sha256 is refused by name', async (t) => {
  const good = Buffer.from('the real package')
  const server = await serve(t, (url) => (url.endsWith('.sha256') ? { body: `${sha256(good)}  minikube.deb\n` } : url === '/missing.deb' ? { status: 404, body: '' } : { body: 'corrupted bytes' }))
  await assert.rejects(downloadVerified({}, `${server.base}/minikube.deb`), /minikube\.deb: sha256 [0-9a-f]{64} does not match [0-9a-f]{64} published at .*minikube\.deb\.sha256; not installed/)
  await assert.rejects(downloadVerified({}, `${server.base}/missing.deb`, `${server.base}/missing.deb`), /missing\.deb: HTTP 404/)
})

test("a key that is not Docker's is refused, and nothing lands in the keyring folder", async (t) => {
  const root = await tempDir(t)
  const wrongKey = await fixture('debian-bookworm-stable.asc')
  const server = await serve(t, () => ({ body: wrongKey }))
  const config = await parseConfig(`sources:\n  docker-apt: ${server.base}/linux\n`, 'shipshape.yaml')
  const ctx = makeContext({ hostRoot: root, config, env: { PATH: process.env.PATH, HOME: root, SHIPSHAPE_UID: '0' } })
  const key = (await dockerAptSteps(ctx)).find((s) => s.id === 'docker-apt-key')!
  await assert.rejects(key.perform!(ctx), /linux\/debian\/gpg: key fingerprint 4D64FEC1.* is not Docker's 9DC858229FC7DD38854AE2D88D81803C0EBFCD88; not trusted/)
  assert.deepEqual(server.seen, ['GET /linux/debian/gpg host=' + server.base.slice(7)])
  assert.deepEqual(await readdir(root), [])
  assert.equal(await key.done!(ctx), false)
})

test("--docker auto: Docker's repository when it answers, else the distribution's docker.io, saying why", async (t) => {
  const mirror = await serve(t, () => ({ body: 'key' }))
  const answering = makeContext({ config: await parseConfig(`sources:\n  docker-apt: ${mirror.base}/linux\n`, 'shipshape.yaml') })
  const up = await dockerWay(answering, { docker: 'auto', probeNetwork: true })
  assert.equal(up.way, 'engine')
  assert.match(up.why, /Docker's repository answers \(http:\/\/127\.0\.0\.1:\d+\/linux\/debian\/gpg\)/)

  const refusing = makeContext({ config: await parseConfig(`sources:\n  docker-apt: http://127.0.0.1:${await refusingPort()}/linux\n`, 'shipshape.yaml') })
  const down = await dockerWay(refusing, { docker: 'auto', probeNetwork: true })
  assert.equal(down.way, 'distro')
  assert.match(down.why, /Docker's repository cannot be reached \(cannot download http:\/\/127\.0\.0\.1:\d+\/linux\/debian\/gpg: ECONNREFUSED\); using debian's docker\.io instead/)
  // Without leave to go online (doctor's fix text), auto names Docker's repository and asks nothing.
  assert.equal((await dockerWay(refusing, { docker: 'auto', probeNetwork: false })).way, 'engine')
})

test('minikube: the .deb checked against its sha256 is handed to dpkg -i from a private folder, removed afterwards', async (t) => {
  const deb = Buffer.from('!<arch>\nnot really a deb, but these exact bytes\n')
  const server = await serve(t, (url) =>
    url.endsWith('.deb') ? { body: deb } : url.endsWith('.deb.sha256') ? { body: `${sha256(deb)}\n` } : { status: 404, body: 'no' })
  const dir = await tempDir(t)
  const log = join(dir, 'dpkg.log')
  // A fake dpkg that records its arguments and the bytes it was given.
  await fakeExecutable(join(dir, 'bin'), 'dpkg', `echo "$*" >> '${log}'; cat "$2" > '${dir}/received.deb'`)
  const config = await parseConfig(`sources:\n  minikube: ${server.base}/releases\n`, 'shipshape.yaml')
  const ctx = makeContext({ config, env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, HOME: dir, SHIPSHAPE_UID: '0' } })
  const [step] = await minikubeSteps(ctx)
  assert.equal(step.id, 'minikube')
  await step.perform!(ctx)
  const [args] = (await readFile(log, 'utf8')).trim().split('\n')
  const [flag, staged] = args.split(' ')
  assert.equal(flag, '-i')
  assert.match(staged, /\/minikube\.deb$/)
  assert.deepEqual(await readFile(join(dir, 'received.deb')), deb)
  await assert.rejects(readFile(staged), { code: 'ENOENT' }, 'the staged folder is removed')
  assert.deepEqual(server.seen.map((s) => s.split(' ')[1]).sort(), ['/releases/minikube_latest_amd64.deb', '/releases/minikube_latest_amd64.deb.sha256'], 'the package and its checksum, from the team mirror')
})
