// A line of output we do not control (a team's script, an installer), fit to print on a terminal
// or in a report: no escape sequences or control characters, and cut short.

import { stripVTControlCharacters } from 'node:util'

export function cleanLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const plain = stripVTControlCharacters(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim()
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain
}
