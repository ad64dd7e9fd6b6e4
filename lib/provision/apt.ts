// apt steps shared by the Docker, kubectl and minikube installers on Debian, Ubuntu and WSL.
// Vendor repositories are refreshed on their own (apt-get update limited to one source file), so a
// mirror that cannot be reached fails only the tool that needs it.

import { readdir, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { readBoundedBytesOrNull } from '../bounded-read.js'
import type { Context, ShellCmd, Step } from '../types.js'
import { download, DownloadError, normaliseFingerprint, openPgpFingerprint } from './download.js'
import { exists, hostPath, placeFile, readOrNull } from './files.js'
import { asRoot } from './privilege.js'

export const KEYRINGS = '/etc/apt/keyrings'
export const SOURCES_D = '/etc/apt/sources.list.d'

/**
 * A repository key: downloaded by node, its OpenPGP fingerprint checked against the one the vendor
 * publishes before it is written (atomically) where Signed-By names it. A mismatch names both.
 */
export function trustedKeyStep(k: { id: string; owner: string; url: string; path: string; fingerprint: string }): Step {
  const want = normaliseFingerprint(k.fingerprint)
  return {
    id: k.id,
    title: `Download ${k.owner}'s apt key from ${k.url} to ${k.path}, checking its fingerprint ${k.fingerprint}`,
    argv: [],
    sudo: true,
    needs: ['apt-keyrings-dir'],
    // By hand: download, see the published fingerprint in it, only then put it where Signed-By looks.
    shell: [
      { argv: ['curl', '-fsSL', '-o', tmp(k.path), k.url] },
      { argv: ['gpg', '--show-keys', tmp(k.path)] },
      { argv: ['grep', '-q', want], pipe: true },
      { argv: ['install', '-m', '0644', tmp(k.path), k.path], sudo: true },
    ],
    async done(c) {
      const text = await readOrNull(hostPath(c, k.path))
      return text !== null && openPgpFingerprint(text) === want
    },
    async perform(c) {
      const key = (await download(c.env, k.url)).toString('utf8')
      const got = openPgpFingerprint(key)
      if (got !== want) throw new DownloadError(`${k.url}: key fingerprint ${got ?? '(not an OpenPGP public key)'} is not ${k.owner}'s ${want}; not trusted (if ${k.owner} rotated its key, check their docs)`)
      await placeFile(c, k.path, key, 0o644)
    },
  }
}

/** Where a by-hand download is kept before it is checked and put in place. */
export const tmp = (path: string) => `/tmp/${basename(path)}`

/** Writing a small file by hand: its lines through `sudo tee` (root-owned files under /etc). */
export function writeFileShell(path: string, text: string): ShellCmd[] {
  return [{ argv: ['printf', '%s\\n', ...text.replace(/\n$/, '').split('\n')] }, { argv: ['tee', path], sudo: true, pipe: true }]
}

/** Which of `pkgs` dpkg lists as installed; empty when none is, or when dpkg could not say. */
export async function installedOf(ctx: Context, pkgs: readonly string[]): Promise<string[]> {
  const recorded = await dpkgRecord(ctx, pkgs)
  if (recorded) return recorded
  const r = await ctx.probe(['dpkg-query', '-W', '-f=${Package} ${Status}\\n', ...pkgs], { timeoutMs: 10_000 })
  // dpkg-query exits 1 when some name is unknown, and still lists the ones it knows.
  return r.stdout.split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(' ')[0]).filter((p) => pkgs.includes(p))
}

/** "install ok installed" for every package. */
export async function installed(ctx: Context, pkgs: readonly string[]): Promise<boolean> {
  const recorded = await dpkgRecord(ctx, pkgs)
  if (recorded) return recorded.length === pkgs.length
  const r = await ctx.probe(['dpkg-query', '-W', '-f=${Status}\\n', ...pkgs], { timeoutMs: 10_000 })
  const lines = r.stdout.trim().split('\n').filter(Boolean)
  return r.ok && lines.length === pkgs.length && lines.every((l) => l.endsWith(' installed'))
}

/**
 * Which of `pkgs` dpkg records as installed, read from its status file (dpkg(1): one deb822
 * paragraph per package, whose Status ends in "installed"), or null when dpkg-query must answer
 * instead: no readable record (not a dpkg system, a test's host root), or changes still journalled
 * in updates/ that dpkg folds into the record on its next run. Looking a few names up in it costs
 * a millisecond; starting dpkg-query costs tens, and doctor asks for each fix it plans. The file is
 * read once per run while it stays the same file: setup asks again after it installs, and dpkg
 * replaces the file (a new inode) whenever it records a change.
 */
async function dpkgRecord(ctx: Context, pkgs: readonly string[]): Promise<string[] | null> {
  const journal = await readdir(hostPath(ctx, `${DPKG_DIR}/updates`)).catch(() => null)
  if (!journal || journal.some((name) => /^\d+$/.test(name))) return null
  const file = hostPath(ctx, `${DPKG_DIR}/status`)
  const st = await stat(file).catch(() => null)
  if (!st) return null
  const record = await ctx.facts.once(`dpkg-status ${st.dev}:${st.ino} ${st.size} ${st.mtimeMs}`, () => readBoundedBytesOrNull(file, DPKG_STATUS_MAX_BYTES).catch(() => null))
  if (record === null) return null
  // Searched as bytes: decoding a few MiB to look up a handful of names would cost more than dpkg-query.
  return pkgs.filter((name) => {
    // A package may have a paragraph per architecture; one installed is enough, as for dpkg-query.
    for (let at = record.indexOf(`Package: ${name}\n`); at !== -1; at = record.indexOf(`Package: ${name}\n`, at + 1)) {
      if (at > 0 && record[at - 1] !== 0x0a) continue
      const end = record.indexOf('\n\n', at)
      const paragraph = record.toString('latin1', at, end === -1 ? record.length : end)
      if (/^Status: .* installed[ \t]*$/m.test(paragraph)) return true
    }
    return false
  })
}

const DPKG_DIR = '/var/lib/dpkg'
/** A desktop's status file is a few MiB; past this it is not one. */
const DPKG_STATUS_MAX_BYTES = 64 * 1024 * 1024

export function keyringsDir(): Step {
  return {
    id: 'apt-keyrings-dir',
    title: `Create ${KEYRINGS} for repository keys`,
    argv: ['install', '-m', '0755', '-d', KEYRINGS],
    sudo: true,
    done: (ctx) => exists(hostPath(ctx, KEYRINGS)),
  }
}

export function aptUpdate(): Step {
  return { id: 'apt-update', title: "Refresh the distribution's package lists", argv: ['apt-get', 'update'], sudo: true, timeoutMs: 10 * 60_000 }
}

/** apt-get update for one vendor source file only. */
export function aptUpdateSource(id: string, file: string, needs: string[]): Step {
  return {
    id,
    title: `Refresh package lists from ${file}`,
    argv: ['apt-get', 'update', '-o', `Dir::Etc::sourcelist=${SOURCES_D}/${file}`, '-o', 'Dir::Etc::sourceparts=-', '-o', 'APT::Get::List-Cleanup=0'],
    sudo: true,
    needs,
  }
}

export function aptInstall(id: string, title: string, pkgs: string[], needs: string[]): Step {
  return {
    id,
    title,
    argv: ['apt-get', 'install', '-y', '--no-install-recommends', ...pkgs],
    sudo: true,
    needs,
    timeoutMs: 20 * 60_000,
    done: (ctx) => installed(ctx, pkgs),
  }
}

/** The dpkg architecture name: amd64, arm64. */
export const debArch = (arch: string) => (arch === 'x64' ? 'amd64' : arch)

/** A deb822 .sources file. */
export function deb822(fields: { uris: string; suites: string; components?: string; arch: string; signedBy: string }): string {
  return [
    'Types: deb',
    `URIs: ${fields.uris}`,
    `Suites: ${fields.suites}`,
    ...(fields.components ? [`Components: ${fields.components}`] : []),
    `Architectures: ${fields.arch}`,
    `Signed-By: ${fields.signedBy}`,
    '',
  ].join('\n')
}

export { asRoot }
