// `shipshape completion bash|zsh|fish`: a completion script for the shell. The script asks shipshape
// itself what fits at completion time (`shipshape completion complete -- <words>`), so commands,
// options, option values, check ids, stack names and stack parameters come from this very shipshape
// and a team's shipshape.yaml, never from a list frozen into the script.

import { pathToFileURL } from 'node:url'
import type { Command } from 'commander'
import { UsageError } from '../lib/errors.js'
import { newCommand, parseArgs, processIo, type Io } from '../lib/command.js'
import { didYouMean } from '../lib/suggest.js'
import { runMain } from './run-main.js'

const SHELLS = ['bash', 'zsh', 'fish'] as const

export function completionCommand(io: Io) {
  return newCommand('completion', io)
    .description('Print a shell completion script: commands, options, check ids, stacks and their parameters.')
    .argument('<shell>', SHELLS.join(', '))
    .argument('[words...]', '(used by the script: the words typed so far)')
    .addHelpText('after', `
Install (each completes from the shipshape on PATH):
  bash:  shipshape completion bash > ~/.local/share/bash-completion/completions/shipshape
  zsh:   shipshape completion zsh > "\${fpath[1]}/_shipshape"   (then: autoload -U compinit && compinit)
  fish:  shipshape completion fish > ~/.config/fish/completions/shipshape.fish`)
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  // The scripts call `completion complete -- <words>`: answered before commander, which would read
  // the words (`--only`) as options of this command.
  if (argv[0] === 'complete') {
    const words = argv[1] === '--' ? argv.slice(2) : argv.slice(1)
    io.stdout.write((await candidates(words, io)).map((c) => `${c}\n`).join(''))
    return 0
  }
  const cmd = completionCommand(io)
  parseArgs(cmd, argv)
  const shell = cmd.args[0]
  if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`no completion for '${shell}'.${didYouMean(shell, SHELLS, '')} Shells: ${SHELLS.join(', ')}`)
  io.stdout.write(SCRIPTS[shell as (typeof SHELLS)[number]])
  return 0
}

/** The command builders, for their options and choices; loaded only when completing. */
async function commandOf(name: string, io: Io): Promise<Command | null> {
  const builders: Record<string, () => Promise<Command>> = {
    doctor: async () => (await import('./doctor.js')).doctorCommand(io),
    setup: async () => (await import('./setup.js')).setupCommand(io),
    render: async () => (await import('./render.js')).renderCommand(io),
    up: async () => (await import('./up.js')).upCommand(io),
    down: async () => (await import('./down.js')).downCommand(io),
    checklist: async () => (await import('./checklist.js')).checklistCommand(io),
    schedule: async () => (await import('./schedule.js')).scheduleCommand(io),
    history: async () => (await import('./history.js')).historyCommand(io),
    serve: async () => (await import('./serve.js')).serveCommand(io),
    explain: async () => (await import('./explain.js')).explainCommand(io),
    completion: async () => completionCommand(io),
  }
  return Object.hasOwn(builders, name) ? builders[name]() : null
}

/** What may come next after `words` (the last one is the word being typed, maybe empty), filtered by it. */
export async function candidates(words: readonly string[], io: Io): Promise<string[]> {
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const keep = (list: readonly string[]) => list.filter((c) => c.startsWith(current))
  const { COMMANDS } = await import('./cli.js')
  if (before.length === 0) return keep([...Object.keys(COMMANDS), 'help', '--help', '--version'])
  const [name] = before
  if (name === 'help') return before.length === 1 ? keep(Object.keys(COMMANDS)) : []
  const cmd = await commandOf(name, io)
  if (!cmd) return []
  // The built-in ids and a team's own from ./shipshape.yaml, when it reads; completion never fails on it.
  const checkIds = async () => {
    const { registry } = await import('../checks/index.js')
    const { loadConfig } = await import('../lib/config.js')
    const { withTeamChecks } = await import('../lib/collect.js')
    const config = await loadConfig(io.cwd).catch(() => null)
    return (config ? await withTeamChecks(registry, config) : registry).map((c) => c.id)
  }
  const stacks = async () => (await import('../lib/stacks/declared.js')).shippedStacks()
  const prev = before.at(-1)!
  const option = cmd.options.find((o) => o.long === prev)
  if (option && (option.required || option.optional)) {
    if (option.argChoices) return keep(option.argChoices)
    if (prev === '--only' || prev === '--skip') {
      // A list: complete the last id after the commas already typed.
      const done = current.slice(0, current.lastIndexOf(',') + 1)
      return (await checkIds()).map((id) => done + id).filter((c) => c.startsWith(current))
    }
    if (prev === '--set') {
      const stack = before[1]
      const { declaredStack } = await import('../lib/stacks/declared.js')
      const params = stack ? Object.keys((await declaredStack(stack))?.params ?? {}) : []
      return keep(params.map((p) => `${p}=`))
    }
    if (prev === '--target') return keep(['compose', 'k8s'])
    return []
  }
  if (current.startsWith('-')) return keep([...cmd.options.map((o) => o.long).filter((l): l is string => Boolean(l)), '--help'])
  // The first argument of a command that takes one.
  const positional = before.slice(1).filter((w, i, all) => !w.startsWith('-') && !cmd.options.some((o) => o.long === all[i - 1] && (o.required || o.optional)))
  if (positional.length === 0) {
    if (['render', 'up', 'down'].includes(name)) return keep(await stacks())
    if (name === 'explain') return keep(await checkIds())
    if (name === 'schedule') return keep(['install', 'remove', 'status'])
    if (name === 'completion') return keep([...SHELLS])
  }
  return keep(cmd.options.map((o) => o.long).filter((l): l is string => Boolean(l)))
}

// Each asks `shipshape completion complete -- <words typed after "shipshape">` for the candidates.
const SCRIPTS: Record<(typeof SHELLS)[number], string> = {
  bash: `# shipshape completion for bash: source it, or put it in ~/.local/share/bash-completion/completions/shipshape
_shipshape() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\\n'
  local -a words=("\${COMP_WORDS[@]:1:COMP_CWORD}")
  [ "\${#words[@]}" -lt "$COMP_CWORD" ] && words+=("")
  COMPREPLY=($(compgen -W "$(shipshape completion complete -- "\${words[@]}" 2>/dev/null)" -- "$cur"))
  [ "\${#COMPREPLY[@]}" -eq 1 ] && [ "\${COMPREPLY[0]%=}" != "\${COMPREPLY[0]}" ] && compopt -o nospace 2>/dev/null
  return 0
}
complete -F _shipshape shipshape
`,
  zsh: `#compdef shipshape
# shipshape completion for zsh: put it as _shipshape in a folder of $fpath
_shipshape() {
  local -a candidates
  candidates=(\${(f)"$(shipshape completion complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)"})
  compadd -S '' -Q -- \${candidates:#*[^=]} 2>/dev/null
  compadd -Q -- \${candidates:#*=}
}
compdef _shipshape shipshape
`,
  fish: `# shipshape completion for fish: put it in ~/.config/fish/completions/shipshape.fish
function __shipshape_complete
  set -l words (commandline -opc)[2..-1] (commandline -ct)
  shipshape completion complete -- $words 2>/dev/null
end
complete -c shipshape -f -a '(__shipshape_complete)'
`,
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
