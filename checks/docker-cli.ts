// Is the `docker` client installed, and new enough? Its version comes from `docker --version`, which
// never talks to the daemon (that is docker-daemon's job), and is cached while the binary is unchanged.

import { versionOutput } from '../lib/version-cache.js'
import { judgeVersion } from '../lib/versions.js'
import type { Check, Context, Fix } from '../lib/types.js'

export const dockerCli = {
  id: 'docker-cli',
  title: 'Docker CLI',
  required: true,
  async run(ctx) {
    const bin = await ctx.which('docker')
    if (!bin) return { status: 'fail', summary: 'docker is not on PATH', details: [`PATH=${ctx.env.PATH ?? ''}`] }
    const r = await versionOutput(ctx, bin, ['--version'])
    if (!r.ok) return { status: 'fail', summary: `${bin} --version failed: ${r.stderr.trim().split('\n')[0] || `exit ${r.code}`}`, details: [r.stderr.trim()] }
    // "Docker version 28.2.2, build e6534b4"
    const j = judgeVersion('docker', r.stdout, ctx.config)
    const details = [`${bin}: ${r.stdout.trim()}${r.cached ? ' (cached)' : ''}`]
    if (!j.version) return { status: 'warn', summary: `cannot read a version from '${r.stdout.trim()}'`, details }
    if (!j.meets) return { status: 'fail', summary: `Docker CLI ${j.version} is older than ${j.floor}`, version: j.version, details }
    return { status: 'ok', summary: `Docker CLI ${j.version}`, version: j.version, details }
  },
  fix: (ctx) => installDocker(ctx),
} satisfies Check

/** How Docker gets onto this platform (Docker Desktop on macOS and WSL, Docker Engine on Debian/Ubuntu). */
export function installDocker(ctx: Context): Fix {
  const p = ctx.platform
  if (p.kind === 'macos') {
    return { steps: [{ id: 'docker-desktop', title: 'Install Docker Desktop', argv: ['brew', 'install', '--cask', 'docker-desktop'], sudo: false, asUser: true }], manual: 'Then open Docker Desktop once to accept its terms and start the engine.' }
  }
  if (p.kind === 'wsl') {
    return { steps: [], manual: 'Install Docker Desktop for Windows (https://docs.docker.com/desktop/setup/install/windows-install/), then in Docker Desktop: Settings > Resources > WSL integration: enable this distro.' }
  }
  const id = p.distro?.id === 'ubuntu' ? 'ubuntu' : 'debian'
  const codename = p.distro?.codename ?? '<codename>'
  return {
    steps: [
      { id: 'apt-prereqs', title: 'Install curl and CA certificates', argv: ['apt-get', 'install', '-y', 'ca-certificates', 'curl'], sudo: true },
      { id: 'apt-keyrings', title: 'Create /etc/apt/keyrings', argv: ['install', '-m', '0755', '-d', '/etc/apt/keyrings'], sudo: true },
      { id: 'docker-key', title: "Download Docker's apt key", argv: ['curl', '-fsSL', `https://download.docker.com/linux/${id}/gpg`, '-o', '/etc/apt/keyrings/docker.asc'], sudo: true, needs: ['apt-prereqs', 'apt-keyrings'] },
    ],
    manual: [
      'Check the key: gpg --show-keys /etc/apt/keyrings/docker.asc must show 9DC8 5822 9FC7 DD38 854A E2D8 8D81 803C 0EBF CD88.',
      'Write /etc/apt/sources.list.d/docker.sources:',
      `  Types: deb / URIs: https://download.docker.com/linux/${id} / Suites: ${codename} / Components: stable / Signed-By: /etc/apt/keyrings/docker.asc`,
      'Then: sudo apt-get update && sudo apt-get install -y docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin',
      `(Docker's guide: https://docs.docker.com/engine/install/${id}/)`,
    ].join('\n'),
  }
}
