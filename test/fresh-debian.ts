// A fresh Debian 12 for end-to-end tests: `debootstrap --variant=minbase` from the Debian mirror
// this machine's apt uses, imported as an image (cached per day), with no service allowed to start
// and npm's entry point where the host's npm is mounted; and the project as a fresh clone has it.

import { randomBytes } from 'node:crypto'
import { chmod, cp, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { TestContext } from 'node:test'
import { projectRoot, runProcess, tempDir, type CliResult } from './helpers.js'

const DAY = new Date().toISOString().slice(0, 10)
const CACHE = join(tmpdir(), 'shipshape-e2e-cache')
const IMAGE = `shipshape-test/e2e-bookworm:${DAY}`

export async function sh(cmd: string, args: string[], timeoutMs = 120_000, input?: string): Promise<CliResult> {
  return runProcess(cmd, args, { timeoutMs, input })
}

export async function must(cmd: string, args: string[], timeoutMs?: number): Promise<string> {
  const r = await sh(cmd, args, timeoutMs)
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

/** The Debian mirror this machine's apt already uses (one-line or deb822 sources), read at run time. */
async function debianMirror(): Promise<string> {
  const files = ['/etc/apt/sources.list', ...(await readdir('/etc/apt/sources.list.d').catch(() => [] as string[])).map((f) => join('/etc/apt/sources.list.d', f))]
  for (const file of files.filter((f) => /\.(list|sources)$/.test(f))) {
    const text = await readFile(file, 'utf8').catch(() => '')
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = stanza.match(/^URIs:\s*(\S+)/m)?.[1]
      if (uri && /^Suites:.*\bbookworm\b/m.test(stanza) && !/security/.test(uri)) return uri
    }
    for (const line of text.split('\n')) {
      const m = line.match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/)
      if (m && !/security/.test(m[1])) return m[1]
    }
  }
  throw new Error('no Debian bookworm mirror in /etc/apt/sources.list*')
}

/** The fresh-machine image: cached for the day, built from debootstrap when missing. */
export async function freshImage(): Promise<string> {
  if ((await sh('docker', ['image', 'inspect', IMAGE])).code === 0) return IMAGE
  await mkdir(CACHE, { recursive: true })
  const tarball = join(CACHE, `bookworm-minbase-${DAY}.tar`)
  if (!(await stat(tarball).then(() => true, () => false))) {
    const root = join(CACHE, `rootfs-${randomBytes(4).toString('hex')}`)
    try {
      await must('debootstrap', ['--variant=minbase', 'bookworm', root, await debianMirror()], 15 * 60_000)
      // No service may start inside: the Docker daemon here is the host's, shared through its socket.
      await writeFile(join(root, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n')
      await chmod(join(root, 'usr/sbin/policy-rc.d'), 0o755)
      // The host's npm is mounted at /usr/local/lib/node_modules/npm; this puts npm and npx on PATH.
      await mkdir(join(root, 'usr/local/bin'), { recursive: true })
      await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm'))
      await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(root, 'usr/local/bin/npx'))
      await must('tar', ['-C', root, '-cf', `${tarball}.tmp`, '.'], 5 * 60_000)
      await rename(`${tarball}.tmp`, tarball)
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  }
  await must('docker', ['import', tarball, IMAGE], 5 * 60_000)
  return IMAGE
}

/** The project as a fresh clone would have it: tracked and new files, no node_modules or dist. */
export async function projectCopy(t: TestContext): Promise<string> {
  const dir = await tempDir(t, 'shipshape-e2e-project-')
  const files = (await must('git', ['-C', projectRoot, 'ls-files', '-co', '--exclude-standard'])).split('\n').filter(Boolean)
  for (const f of files) {
    const from = join(projectRoot, f)
    if (!(await stat(from).then((s) => s.isFile(), () => false))) continue
    await mkdir(dirname(join(dir, f)), { recursive: true })
    await cp(from, join(dir, f), { preserveTimestamps: true })
  }
  return dir
}

