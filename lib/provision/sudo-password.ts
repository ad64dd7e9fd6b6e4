// When a plan needs root and sudo wants a password, ask for it once at the terminal (not echoed),
// check it with `sudo -S -v`, and hand it to the executor. Without a terminal nothing is asked: root
// steps then fail by name with sudo's own "a password is required".

import type { Io } from '../command.js'
import { ExitError } from '../errors.js'
import type { Context, Step } from '../types.js'
import { isRoot } from './privilege.js'

export async function sudoPasswordFor(ctx: Context, steps: readonly Step[], io: Io): Promise<string | undefined> {
  if (isRoot(ctx) || !steps.some((s) => s.sudo) || !(await ctx.which('sudo'))) return undefined
  if ((await ctx.probe(['sudo', '-n', 'true'], { timeoutMs: 10_000 })).ok) return undefined
  if (!io.stdin?.isTTY || !io.stdout.isTTY) return undefined
  const user = ctx.env.USER ?? ctx.env.LOGNAME ?? 'you'
  for (let attempt = 0; attempt < 3; attempt++) {
    const password = await askHidden(io, `[sudo] password for ${user} (for the steps marked sudo): `)
    const r = await ctx.probe(['sudo', '-S', '-p', '', '-v'], { timeoutMs: 20_000, input: `${password}\n` })
    if (r.ok) return password
    io.stderr.write('Sorry, try again.\n')
  }
  return undefined
}

async function askHidden(io: Io, prompt: string): Promise<string> {
  const { createInterface } = process.getBuiltinModule('node:readline')
  const out = io.stdout as NodeJS.WritableStream
  const rl = createInterface({ input: io.stdin as NodeJS.ReadableStream, output: out, terminal: true }) as ReturnType<typeof createInterface> & { _writeToOutput(s: string): void }
  out.write(prompt)
  // readline echoes what is typed through _writeToOutput; a password must not appear.
  rl._writeToOutput = () => {}
  // Ctrl-C or Ctrl-D instead of a password is a cancel, as at setup's question.
  return new Promise((resolve, reject) => {
    let answered = false
    const cancel = () => {
      if (answered) return
      answered = true
      rl.close()
      out.write('\n')
      reject(new ExitError(130, 'Cancelled; nothing was changed.'))
    }
    rl.on('SIGINT', cancel)
    rl.on('close', cancel)
    rl.question('', (answer) => {
      answered = true
      rl.close()
      out.write('\n')
      resolve(answer)
    })
  })
}
