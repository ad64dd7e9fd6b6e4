// `schedule install --textfile-dir DIR`: the folder node_exporter's textfile collector reads must exist
// and be writable by the user the job runs as. A scheduled run has nobody to tell, so install checks
// it up front and refuses with the fix (Debian's /var/lib/prometheus/node-exporter, for one, is
// root's). The collector itself only reads the folder, so handing it to that user costs nothing.

import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { othersCanWrite } from '../atomic-write.js'
import { shellLine } from '../probe.js'
import { stepText } from '../report/fix-text.js'
import type { Privilege, Probe } from '../types.js'

/**
 * What stops `user` (default: whoever runs this) from writing files in `dir`, with the fix; null when
 * nothing does. Another user (root editing that user's crontab) is asked through `runuser`. The fix
 * gets root as this machine can (`privilege`): no sudo as root.
 */
export async function textfileDirProblem(dir: string, probe: Probe, user?: string, privilege: Privilege = 'sudo'): Promise<string | null> {
  const asRoot = (argv: string[]) => stepText({ argv, sudo: true }, privilege)
  const who = user ?? currentUser()
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => error.code ?? 'unreadable')
  if (info === 'ENOENT') return `${dir} does not exist. Create it for ${who}: ${asRoot(['install', '-d', '-o', who, dir])} (or mkdir -p inside your home)`
  if (typeof info === 'string') return `${dir} cannot be read (${info}). Pick a folder ${who} can write, or fix its permissions.`
  if (!info.isDirectory()) return `${dir} is not a folder. Pass the folder node_exporter's --collector.textfile.directory names.`
  // Another user who can write the folder could put a link where shipshape.prom goes.
  const shared = othersCanWrite(info)
  if (shared) return `${dir} is ${shared} and has no sticky bit, so another user could replace shipshape.prom with a link. Make it writable by ${who} alone: ${shellLine(['sudo', 'chmod', 'go-w', dir])}.`
  const writable = user
    ? (await probe(['runuser', '-u', user, '--', 'test', '-w', dir, '-a', '-x', dir], { timeoutMs: 10_000 })).ok
    : await access(dir, constants.W_OK | constants.X_OK).then(() => true, () => false)
  if (writable) return null
  return `${who}, who runs the scheduled job, cannot write ${dir}. Let them (node_exporter only reads it): ${asRoot(['chown', who, dir])}, or pick a folder ${who} owns.`
}

function currentUser(): string {
  try {
    return userInfo().username
  } catch {
    return `uid ${process.getuid?.() ?? '?'}` // a uid without a passwd entry (some containers)
  }
}
