// What follows a Docker Engine install on Linux and WSL 2 (docs.docker.com/engine/install/linux-postinstall):
// the docker group for the person setting up (never root: the group is root-equivalent, and root
// needs no group), the service enabled where systemd runs, and on WSL 2 without systemd the
// `[boot] systemd=true` line in /etc/wsl.conf, which takes effect after `wsl.exe --shutdown`.

import type { Context, Step } from '../types.js'
import { exists, hostPath, placeFile, readOrNull } from './files.js'
import { invokingUser } from './privilege.js'

export const WSL_CONF = '/etc/wsl.conf'

export const systemdRuns = (ctx: Context) => exists(hostPath(ctx, '/run/systemd/system'))

export function dockerGroupStep(ctx: Context, needs: string[]): Step | null
export function dockerGroupStep(ctx: Context, needs: string[], user: string): Step
export function dockerGroupStep(ctx: Context, needs: string[], named?: string): Step | null {
  const user = named ?? invokingUser(ctx)
  if (!user) return null
  return {
    id: 'docker-group',
    title: `Add ${user} to the docker group (root-equivalent; takes effect at the next login)`,
    argv: ['usermod', '-aG', 'docker', user],
    sudo: true,
    needs,
    async done(c) {
      const r = await c.probe(['id', '-nG', user])
      return r.ok && r.stdout.trim().split(/\s+/).includes('docker')
    },
  }
}

/** The Docker service, now and at every boot (systemd). */
export function dockerServiceStep(needs: string[] = []): Step {
  return {
    id: 'docker-service',
    title: 'Start Docker now and at every boot',
    argv: ['systemctl', 'enable', '--now', 'docker.service', 'containerd.service'],
    sudo: true,
    needs,
    async done(c) {
      const r = await c.probe(['systemctl', 'is-active', 'docker.service'])
      return r.stdout.trim() === 'active'
    },
  }
}

export async function dockerServiceSteps(ctx: Context, needs: string[]): Promise<Step[]> {
  if (await systemdRuns(ctx)) return [dockerServiceStep(needs)]
  if (ctx.platform.kind === 'wsl' && ctx.platform.wsl === 2) return [wslSystemdStep()]
  return []
}

/** Adds (or sets) `systemd=true` under [boot], keeping every other line of wsl.conf. */
export function withSystemd(conf: string): string {
  const lines = conf === '' ? [] : conf.replace(/\n$/, '').split('\n')
  const boot = lines.findIndex((l) => /^\s*\[boot\]\s*$/i.test(l))
  if (boot === -1) return [...lines, ...(lines.length ? [''] : []), '[boot]', 'systemd=true', ''].join('\n')
  let end = lines.findIndex((l, i) => i > boot && /^\s*\[/.test(l))
  if (end === -1) end = lines.length
  const at = lines.slice(boot + 1, end).findIndex((l) => /^\s*systemd\s*=/i.test(l))
  if (at === -1) lines.splice(boot + 1, 0, 'systemd=true')
  else lines[boot + 1 + at] = 'systemd=true'
  return lines.join('\n') + '\n'
}

export function wslSystemdStep(): Step {
  return {
    id: 'wsl-systemd',
    title: `Turn on systemd in ${WSL_CONF} ([boot] systemd=true); then run 'wsl.exe --shutdown' from Windows and reopen the terminal`,
    argv: [],
    sudo: true,
    async done(c) {
      const conf = (await readOrNull(hostPath(c, WSL_CONF))) ?? ''
      return withSystemd(conf) === conf
    },
    async perform(c) {
      const conf = (await readOrNull(hostPath(c, WSL_CONF))) ?? ''
      await placeFile(c, WSL_CONF, withSystemd(conf), 0o644)
    },
  }
}
