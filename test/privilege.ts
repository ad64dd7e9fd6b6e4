// Contexts for the three ways a machine gets root, whoever runs the tests (CI runs as root, without
// sudo): SHIPSHAPE_UID sets who we are, and `which` says whether sudo is installed.

import { tmpdir } from 'node:os'
import type { Context } from '../lib/types.js'

type Who = 'user-with-sudo' | 'user-without-sudo' | 'root' | 'root-under-sudo'

export function as(who: Who, env: Context['env'] = {}): Partial<Context> {
  const uid = who.startsWith('root') ? '0' : '1000'
  const base = { PATH: process.env.PATH, HOME: tmpdir(), USER: who.startsWith('root') ? 'root' : 'alice', ...env, SHIPSHAPE_UID: uid }
  const withSudo = who === 'user-with-sudo' || who === 'root-under-sudo'
  return {
    env: who === 'root-under-sudo' ? { ...base, SUDO_USER: 'alice' } : base,
    which: async (cmd) => (cmd === 'sudo' ? (withSudo ? '/usr/bin/sudo' : null) : null),
  }
}
