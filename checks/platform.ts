// Is this a platform shipshape knows how to set up? macOS, WSL 2, Ubuntu 22.04+ and Debian 12+ are;
// WSL 1 and older or other distributions work in part, so they warn and say what is missing.

import { describePlatform } from '../lib/platform.js'
import type { Check, Outcome, Platform } from '../lib/types.js'

const DISTRO_FLOORS: Record<string, string> = { ubuntu: '22.04', debian: '12' }

export const platform = {
  id: 'platform',
  title: 'Platform',
  about: {
    looks: 'the operating system, its version and the CPU architecture (/etc/os-release, /proc/version, sw_vers, WSL\'s markers)',
    why: 'every fix is for a platform: apt on Debian and Ubuntu, Homebrew on macOS, WSL\'s own rules',
    statuses: { ok: 'a supported platform: macOS, WSL 2, Debian or Ubuntu', fail: 'a platform shipshape cannot set up; the checks that need it are skipped' },
  },
  required: true,
  async run(ctx) {
    return judgePlatform(ctx.platform)
  },
} satisfies Check

export function judgePlatform(p: Platform): Outcome {
  const summary = describePlatform(p)
  const details = [...p.evidence]
  const version = p.macos?.version ?? p.distro?.version ?? null
  switch (p.kind) {
    case 'macos':
      return { status: 'ok', summary, version, details }
    case 'wsl':
      if (p.wsl === 2) return { status: 'ok', summary, version, details }
      return {
        status: 'warn',
        summary: `${summary}: WSL 1 has no local Docker daemon, and Docker Desktop needs WSL 2`,
        version,
        details,
        fix: { steps: [], manual: 'In PowerShell: wsl --set-version <distro> 2 (or wsl --set-default-version 2 for new distros). Until then, Docker runs only through DOCKER_HOST.' },
      }
    case 'linux': {
      const floor = p.distro ? DISTRO_FLOORS[p.distro.id] : undefined
      if (!floor) return { status: 'warn', summary: `${summary}: not a distribution shipshape sets up (Ubuntu 22.04+, Debian 12+); checks still run`, version, details }
      if (atLeast(p.distro!.version, floor)) return { status: 'ok', summary, version, details }
      return { status: 'warn', summary: `${summary}: older than ${p.distro!.id} ${floor}; Docker and Kubernetes packages may not support it`, version, details }
    }
    default:
      return { status: 'fail', summary: `${summary}: shipshape supports macOS, WSL and Linux`, version, details }
  }
}

// Distribution versions are not semver ("22.04" has a leading zero), so compare them field by field.
function atLeast(version: string, floor: string): boolean {
  const have = version.split('.').map(Number)
  const want = floor.split('.').map(Number)
  if (have.some(Number.isNaN) || version === '') return false
  for (let i = 0; i < want.length; i++) {
    if ((have[i] ?? 0) !== want[i]) return (have[i] ?? 0) > want[i]
  }
  return true
}
