// Text that came from outside (a daemon's answer, a kubeconfig's context name, a tool's output) is
// shown as what it is, never acted on by the terminal: a control character other than newline and
// tab becomes its caret form (ESC is `^[`, BEL `^G`), as `cat -v` shows it, so `\x1b[2J` cannot clear
// the screen or `\x1b]0;…\x07` retitle the window. Imports nothing of the project.

// C0 controls but newline and tab, DEL, and the C1 range (CSI is 0x9b in some terminals).
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g

export function visible(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0)
    return code < 0x20 ? `^${String.fromCharCode(code + 64)}` : code === 0x7f ? '^?' : `\\u${code.toString(16).padStart(4, '0')}`
  })
}
