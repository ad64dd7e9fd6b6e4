// Colour only where a person reads a terminal: a TTY, not CI, no NO_COLOR (https://no-color.org).

import type { Env, Status } from '../types.js'

export function wantsColor(env: Env, isTTY: boolean): boolean {
  return isTTY && !env.CI && env.NO_COLOR === undefined && env.TERM !== 'dumb'
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const
export type Paint = (style: keyof typeof CODES, text: string) => string

export function painter(color: boolean): Paint {
  return color ? (style, text) => `\x1b[${CODES[style]}m${text}\x1b[0m` : (_style, text) => text
}

export const MARKS: Record<Status, { mark: string; style: keyof typeof CODES }> = {
  ok: { mark: '✓', style: 'green' },
  warn: { mark: '!', style: 'yellow' },
  fail: { mark: '✗', style: 'red' },
  timeout: { mark: '✗', style: 'red' },
  error: { mark: '✗', style: 'red' },
  skip: { mark: '-', style: 'dim' },
}
