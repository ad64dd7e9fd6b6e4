// Does a Docker daemon answer through the active context or DOCKER_HOST? Each way it can fail has its
// own fix, so each is named: not running (no socket, refused), no access (the socket is there but
// this user is not in the docker group), not answering (accepts, never replies: bounded, child
// killed), and a remote daemon (works, but bind mounts and published ports live on that machine).

import { userInfo } from 'node:os'
import { daemonFacts, daemonInVm, isRemote, type DaemonFacts } from '../lib/docker-facts.js'
import { dockerGroupStep, dockerServiceStep } from '../lib/provision/docker-linux.js'
import { dockerDesktopOpenStep } from '../lib/provision/docker-macos.js'
import type { Check, Context, Fix, Outcome } from '../lib/types.js'

const GiB = 1024 ** 3

export const dockerDaemon = {
  id: 'docker-daemon',
  title: 'Docker daemon',
  required: true,
  needs: ['docker-cli'],
  async run(ctx) {
    return judgeDaemon(await daemonFacts(ctx))
  },
  // The facts are memoised for the run, so the fix reads the same answer the check judged.
  fix: async (ctx) => daemonFix(ctx, await daemonFacts(ctx)),
} satisfies Check

export function judgeDaemon(d: DaemonFacts): Outcome {
  if (d.ok) {
    const i = d.info
    const what = `Docker Engine ${i.ServerVersion} on ${i.OperatingSystem || i.OSType} (${i.NCPU} CPUs, ${(i.MemTotal / GiB).toFixed(1)} GiB)`
    const details = [`endpoint ${d.endpoint}`, `server ${i.Name}, kernel ${i.KernelVersion}, ${i.Architecture}`, `data in ${i.DockerRootDir}${daemonInVm(i) ? ' (inside the Docker Desktop VM)' : ''}`]
    if (isRemote(d.endpoint)) {
      return { status: 'warn', summary: `remote daemon at ${d.endpoint}: ${what}; bind mounts and published ports are on that machine, not this one`, version: i.ServerVersion, details }
    }
    return { status: 'ok', summary: what, version: i.ServerVersion, details }
  }
  const details = [d.message, `endpoint ${d.endpoint}`].filter(Boolean)
  switch (d.problem) {
    case 'no-access':
      return { status: 'fail', summary: `no access to ${d.endpoint}: permission denied (this user is not in the docker group)`, details }
    case 'not-answering':
      return { status: 'timeout', summary: `the daemon at ${d.endpoint} accepts connections but did not answer within ${d.waitedMs ?? '?'} ms`, details: [...details, 'docker info was stopped at the bound'] }
    case 'not-running': {
      const socket = d.endpoint.replace(/^unix:\/\//, '')
      if (d.socketExists === false) return { status: 'fail', summary: `not running: no socket at ${socket}`, details }
      if (d.socketExists === true) return { status: 'fail', summary: `not running: ${socket} exists but nothing serves it (a daemon that stopped)`, details }
      return { status: 'fail', summary: `not running: nothing answers at ${d.endpoint}`, details }
    }
    case 'no-cli':
      return { status: 'skip', summary: 'docker is not on PATH', details }
    default:
      return { status: 'fail', summary: `docker info failed: ${d.message}`, details }
  }
}

/** The login name the docker group fix is for. */
export function loginName(ctx: Context): string {
  return ctx.env.USER || ctx.env.LOGNAME || userInfo().username
}

export function daemonFix(ctx: Context, d: DaemonFacts): Fix | null {
  if (d.ok) return null
  const p = ctx.platform
  const viaHost = ctx.env.DOCKER_HOST ? `DOCKER_HOST=${ctx.env.DOCKER_HOST} is set: if that is not the daemon you mean, unset it (see the docker-host check).` : ''
  switch (d.problem) {
    case 'no-access':
      return {
        steps: [dockerGroupStep(ctx, [], loginName(ctx))],
        manual: 'Log out and back in (or run `newgrp docker` in this shell) so the new group applies. Do not chmod the socket: the docker group is root-equivalent, and so is a world-writable socket.',
      }
    case 'not-answering': {
      const restart = p.kind === 'macos' || p.kind === 'wsl' ? 'Restart Docker Desktop (whale menu > Restart).' : 'Restart the daemon: sudo systemctl restart docker'
      return { steps: [], manual: [viaHost, restart].filter(Boolean).join('\n') }
    }
    case 'not-running':
      if (viaHost) return { steps: [], manual: viaHost }
      if (p.kind === 'macos') return { steps: [dockerDesktopOpenStep()] }
      if (p.kind === 'wsl') {
        return { steps: [], manual: 'Start Docker Desktop on Windows and enable Settings > Resources > WSL integration for this distro. For Docker Engine inside WSL 2 instead: set [boot] systemd=true in /etc/wsl.conf, run `wsl.exe --shutdown` from Windows, then `sudo systemctl enable --now docker`.' }
      }
      return { steps: [dockerServiceStep()] }
    default:
      return viaHost ? { steps: [], manual: viaHost } : null
  }
}
