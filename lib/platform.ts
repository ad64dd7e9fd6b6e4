// Platform detection: macOS, WSL 1 or 2, Ubuntu, Debian, other Linux. Every file is read under a host
// root (SHIPSHAPE_HOST_ROOT) so tests, and a user diagnosing a mounted disk, can point it elsewhere.
// A missing or garbled file is evidence, never a crash; every conclusion says what it rests on.

import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Distro, Env, Platform } from './types.js'

export interface DetectInput {
  hostRoot: string
  env: Env
  arch: string
}

export async function detectPlatform({ hostRoot, env, arch }: DetectInput): Promise<Platform> {
  const read = (rel: string) => readText(join(hostRoot, rel))
  const exists = (rel: string) => stat(join(hostRoot, rel)).then(() => true, () => false)
  const evidence: string[] = []
  const normArch = normaliseArch(arch)
  evidence.push(`arch ${normArch}${normArch !== arch ? ` (from ${arch})` : ''}`)

  const plist = await read('System/Library/CoreServices/SystemVersion.plist')
  if (plist !== null) {
    const version = plistString(plist, 'ProductVersion')
    evidence.push(version ? `SystemVersion.plist ProductVersion ${version}` : 'SystemVersion.plist present but has no ProductVersion')
    return { kind: 'macos', arch: normArch, wsl: null, distro: null, macos: { version: version ?? 'unknown' }, evidence }
  }

  const [procVersion, osrelease, osReleaseFile, interop, mntWsl] = await Promise.all([
    read('proc/version'),
    read('proc/sys/kernel/osrelease'),
    read('etc/os-release'),
    exists('proc/sys/fs/binfmt_misc/WSLInterop'),
    exists('mnt/wsl'),
  ])

  const wsl = detectWsl({ procVersion, osrelease, interop, mntWsl, env }, evidence)
  const distro = osReleaseFile === null ? null : parseOsRelease(osReleaseFile)
  if (osReleaseFile === null) evidence.push('etc/os-release missing or unreadable')
  else if (!distro) evidence.push('etc/os-release has no ID')
  else evidence.push(`etc/os-release: ID=${distro.id} VERSION_ID=${distro.version || '(none)'}${distro.codename ? ` codename ${distro.codename}` : ''}`)

  if (wsl) return { kind: 'wsl', arch: normArch, wsl, distro, macos: null, evidence }
  const linuxKernel = /\bLinux version\b/.test(procVersion ?? '')
  if (linuxKernel) evidence.push('proc/version reports a Linux kernel')
  else if (procVersion === null) evidence.push('proc/version missing or unreadable')
  if (linuxKernel || distro) return { kind: 'linux', arch: normArch, wsl: null, distro, macos: null, evidence }
  return { kind: 'unsupported', arch: normArch, wsl: null, distro: null, macos: null, evidence }
}

interface WslSignals {
  procVersion: string | null
  osrelease: string | null
  interop: boolean
  mntWsl: boolean
  env: Env
}

function detectWsl(s: WslSignals, evidence: string[]): 1 | 2 | null {
  // Kernel strings decide the version: WSL 1 fakes a 4.4 kernel named "-Microsoft";
  // WSL 2 ships a real one named "-microsoft-standard" (newer: "...-WSL2").
  for (const [file, text] of [['proc/sys/kernel/osrelease', s.osrelease], ['proc/version', s.procVersion]] as const) {
    if (!text) continue
    const release = text.trim()
    if (/microsoft-standard|WSL2/i.test(release)) {
      evidence.push(`${file} contains '${match(release, /\S*(microsoft-standard|WSL2)\S*/i)}'`)
      return 2
    }
    if (/-Microsoft\b/.test(release)) {
      evidence.push(`${file} contains '${match(release, /\S*-Microsoft\b\S*/)}'`)
      return 1
    }
  }
  // A custom WSL 2 kernel carries neither name; the interop hooks still tell it is WSL.
  // Only WSL 2 has a real kernel you can replace, so these signals alone mean WSL 2.
  const signals: string[] = []
  if (s.env.WSL_DISTRO_NAME) signals.push(`WSL_DISTRO_NAME=${s.env.WSL_DISTRO_NAME}`)
  if (s.env.WSL_INTEROP) signals.push('WSL_INTEROP is set')
  if (s.interop) signals.push('proc/sys/fs/binfmt_misc/WSLInterop exists')
  if (s.mntWsl) signals.push('mnt/wsl exists')
  if (signals.length === 0) return null
  evidence.push(...signals, 'kernel string names no WSL version; a custom kernel means WSL 2')
  return 2
}

function match(text: string, re: RegExp): string {
  return text.match(re)?.[0] ?? text
}

export function parseOsRelease(text: string): Distro | null {
  const fields: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = line.match(/^([A-Z_][A-Z0-9_]*)=(.*)$/)
    if (!m) continue
    fields[m[1]] = m[2].trim().replace(/^(["'])(.*)\1$/, '$2')
  }
  if (!fields.ID) return null
  return {
    id: fields.ID.toLowerCase(),
    version: fields.VERSION_ID ?? '',
    codename: fields.VERSION_CODENAME || fields.UBUNTU_CODENAME || null,
  }
}

// SystemVersion.plist is XML with <key>K</key><string>V</string> pairs; we need one value.
function plistString(plist: string, key: string): string | null {
  const m = plist.match(new RegExp(`<key>${key}</key>\\s*<string>([^<]*)</string>`))
  return m ? m[1].trim() : null
}

export function normaliseArch(arch: string): string {
  if (arch === 'x86_64' || arch === 'amd64') return 'x64'
  if (arch === 'aarch64') return 'arm64'
  return arch
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return null
  }
}

/** How we describe the platform to a person: "Debian 12 (bookworm), x64". */
export function describePlatform(p: Platform): string {
  const distro = p.distro ? `${prettyDistro(p.distro.id)} ${p.distro.version}`.trim() + (p.distro.codename ? ` (${p.distro.codename})` : '') : ''
  switch (p.kind) {
    case 'macos':
      return `macOS ${p.macos?.version ?? ''}, ${p.arch}`
    case 'wsl':
      return `WSL ${p.wsl}${distro ? `, ${distro}` : ''}, ${p.arch}`
    case 'linux':
      return `${distro || 'Linux'}, ${p.arch}`
    default:
      return `unsupported system, ${p.arch}`
  }
}

function prettyDistro(id: string): string {
  return ({ ubuntu: 'Ubuntu', debian: 'Debian', fedora: 'Fedora', arch: 'Arch Linux', alpine: 'Alpine' } as Record<string, string>)[id] ?? id
}
