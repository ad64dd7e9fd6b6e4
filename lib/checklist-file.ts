// Keeps a person's notes when `shipshape checklist --output FILE` runs again: only the text between the
// two markers is shipshape's. A file without markers keeps all of its text below the new block.

import { BEGIN_MARKER, END_MARKER } from './report/markdown.js'

const begins = (line: string) => line.startsWith('<!-- shipshape:checklist:begin')
const ends = (line: string) => line.startsWith('<!-- shipshape:checklist:end')

/** `block` is a rendered checklist, markers included. */
export function mergeChecklist(existing: string | null, block: string): string {
  if (existing === null || existing.trim() === '') return block
  const lines = existing.split('\n')
  const start = lines.findIndex(begins)
  const end = lines.findIndex((l, i) => i > start && ends(l))
  if (start === -1 || end === -1) return `${block}\n${existing}`
  const before = lines.slice(0, start).join('\n')
  const after = lines.slice(end + 1).join('\n')
  return `${before ? `${before}\n` : ''}${block.replace(/\n$/, '')}\n${after}`
}

export { BEGIN_MARKER, END_MARKER }
