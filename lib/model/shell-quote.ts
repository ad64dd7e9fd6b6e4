// Quoting for every text shipshape writes that another program parses as words: POSIX sh (rc files,
// crontab commands, the commands we print), fish (config.fish), systemd unit lines (Environment=,
// ExecStart=) and crontab lines. One module per target's rules, so a value is quoted the same way
// wherever it goes. A control character (newline, tab, ESC…) is refused for every target: a newline
// starts a second unit line or crontab entry, and none of these values legitimately holds one.
// Imports nothing of the project: lib/model/ is the bottom layer.

/** A value that no target can carry safely; `what` names it (a variable, an argument) for the message. */
export class UnsafeValueError extends Error {
  readonly exitCode = 2
  constructor(readonly what: string, readonly value: string) {
    const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
    super(`${what} holds a newline or control character (${shown}), which shipshape will not write into a command, unit or crontab; nothing was changed. Set ${what} without it and run again.`)
    this.name = 'UnsafeValueError'
  }
}

const CONTROL = /[\x00-\x1f\x7f]/

/** Throws UnsafeValueError naming `what` when `value` holds a control character. */
export function refuseControl(what: string, value: string): string {
  if (CONTROL.test(value)) throw new UnsafeValueError(what, value)
  return value
}

// Characters no shell (sh, bash, dash, zsh, fish) treats specially in a bare word.
const BARE = /^[\w@%+=:,./-]+$/

// ---- POSIX sh ----

/** One sh word for `value`: bare when nothing in it is special, else single-quoted ('\'' for a quote). */
export function shWord(value: string, what = 'a value'): string {
  refuseControl(what, value)
  if (value !== '' && BARE.test(value)) return value
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/** A command line for sh, each argument its own word. */
export function shLine(argv: readonly string[], what = 'an argument'): string {
  return argv.map((a) => shWord(a, what)).join(' ')
}

/**
 * The value of the first sh word of `text` after quote removal (no expansion: `$`, `~` and globs stay
 * as written), and the rest of the text after it. Single quotes, double quotes (where `\` escapes
 * `$ \` " \\` and newline only) and backslashes outside quotes, as POSIX 2.2 says. null when a quote is open.
 */
export function shUnquoteWord(text: string): { value: string; rest: string } | null {
  let i = 0
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
  let out = ''
  for (; i < text.length; i++) {
    const c = text[i]
    if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|') break
    if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end === -1) return null
      out += text.slice(i + 1, end)
      i = end
    } else if (c === '"') {
      let j = i + 1
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '$`"\\\n'.includes(text[j + 1])) j++
        out += text[j]
      }
      if (j >= text.length) return null
      i = j
    } else if (c === '\\' && i + 1 < text.length) {
      out += text[++i]
    } else out += c
  }
  return { value: out, rest: text.slice(i) }
}

// ---- fish ----

/** One fish word: bare when safe, else single-quoted, where fish escapes only `\'` and `\\`. */
export function fishWord(value: string, what = 'a value'): string {
  refuseControl(what, value)
  if (value !== '' && /^[\w@+=:,./-]+$/.test(value)) return value // no `%`: old fish expands %self
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

// ---- systemd (systemd.syntax(7) "Quoting", systemd.service(5) "Command lines") ----

// Inside double quotes systemd takes C escapes; `%` starts a specifier in every setting.
const systemdInner = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')

/** One ExecStart= argument: quoted, and `$` doubled since ExecStart= expands variables. */
export function systemdExecWord(value: string, what = 'an argument'): string {
  refuseControl(what, value)
  return `"${systemdInner(value).replace(/\$/g, '$$$$')}"`
}

/** One Environment= assignment; Environment= expands no variables, so `$` stays as it is. */
export function systemdEnvironment(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UnsafeValueError(`the variable name ${JSON.stringify(name)}`, name)
  refuseControl(name, value)
  return `"${systemdInner(`${name}=${value}`)}"`
}

/** The words of a systemd line after unquoting, with specifiers `%%` and (for ExecStart) `$$` undone. */
export function systemdUnquoteWords(line: string, exec: boolean): string[] | null {
  const words: string[] = []
  let i = 0
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', s: ' ' }
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++
    if (i >= line.length) break
    let word = ''
    let quote: string | null = null
    for (; i < line.length; i++) {
      const c = line[i]
      if (!quote && (c === ' ' || c === '\t')) break
      if (!quote && (c === '"' || c === "'")) quote = c
      else if (quote && c === quote) quote = null
      else if (c === '\\' && i + 1 < line.length) {
        const n = line[++i]
        if (n === 'x') {
          word += String.fromCharCode(parseInt(line.slice(i + 1, i + 3), 16))
          i += 2
        } else word += escapes[n] ?? n
      } else word += c
    }
    if (quote) return null
    word = word.replace(/%%/g, '%')
    words.push(exec ? word.replace(/\$\$/g, '$') : word)
  }
  return words
}

// ---- crontab (crontab(5)) ----

/**
 * A crontab command field for `argv` run with `env` set: `/usr/bin/env 'NAME=value' … argv`, since a
 * quoted `'NAME=value'` word is not an assignment to sh (it would be run as a command). cron turns an
 * unescaped `%` into a newline, so every `%` is written `\%`.
 */
export function cronCommand(env: Record<string, string>, argv: readonly string[], redirect: string): string {
  const assignments = Object.entries(env).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new UnsafeValueError(`the variable name ${JSON.stringify(k)}`, k)
    return shWord(`${k}=${refuseControl(k, v)}`, k)
  })
  const words = [...(assignments.length ? ['/usr/bin/env', ...assignments] : []), shLine(argv)]
  return `${words.join(' ')}${redirect ? ` ${redirect}` : ''}`.replace(/%/g, '\\%')
}

/** What sh receives from cron for a command field: `\%` back to `%` (the unescaped-`%` stdin part is not ours). */
export const cronUnescape = (command: string) => command.replace(/\\%/g, '%')
