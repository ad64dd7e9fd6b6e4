// Which checks each stack needs before it can run here: the one table of it, for the checklist.
// A stack's own templates/<stack>/stack.yaml is the authority once it names its checks (a list under
// `checks`, `needs` or `prerequisites`); the table below covers a stack whose file does not.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { projectRoot } from './paths.js'

const FALLBACK: Record<string, string[]> = {
  elasticsearch: ['docker-daemon', 'docker-compose', 'max-map-count', 'ports', 'resources'],
  mongodb: ['docker-daemon', 'docker-compose', 'ports'],
  echo: ['docker-daemon', 'kubectl', 'kube-context'],
}

const FIELDS = ['checks', 'needs', 'prerequisites'] as const

export interface StackNeeds {
  name: string
  /** Check ids; empty when shipshape knows nothing about the stack. */
  needs: string[]
  known: boolean
}

export async function stackNeeds(names: readonly string[], templatesDir = join(projectRoot, 'templates')): Promise<StackNeeds[]> {
  const { parse } = await import('yaml')
  return Promise.all(
    names.map(async (name) => {
      const fromFile = await readFile(join(templatesDir, name, 'stack.yaml'), 'utf8').then(
        (text) => {
          const doc = parse(text) as Record<string, unknown> | null
          for (const field of FIELDS) {
            const v = doc?.[field]
            if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]
          }
          return undefined
        },
        () => undefined,
      )
      const needs = fromFile ?? (Object.hasOwn(FALLBACK, name) ? FALLBACK[name] : undefined)
      return { name, needs: needs ?? [], known: needs !== undefined }
    }),
  )
}
