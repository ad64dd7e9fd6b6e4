// Docker from the distribution's own packages (`--docker distro`, or `auto` when Docker's repository
// cannot be reached): docker.io, plus the distribution's Compose (v2 plugin on Ubuntu, the
// `docker-compose` package on Debian 12, which is Compose v1; doctor says so).

import type { Platform, Step } from '../types.js'
import { aptInstall, aptUpdate } from './apt.js'

export function distroComposePackage(p: Platform): string {
  return p.distro?.id === 'ubuntu' ? 'docker-compose-v2' : 'docker-compose'
}

export function dockerDistroSteps(p: Platform): Step[] {
  return [
    aptUpdate(),
    aptInstall('docker-engine', `Install Docker from ${p.distro?.id ?? 'the distribution'}'s packages (docker.io)`, ['docker.io', distroComposePackage(p)], ['apt-update']),
  ]
}
