// Every render read by YAML 1.1 readers other than ours: PyYAML (what docker-compose v1 is built on)
// and docker-compose v1 itself. Each stack and target is rendered with every value a YAML 1.1 reader
// takes for something other than a string (`=`, `<<`, y/n, on/off, octal, sexagesimal, ~, .inf,
// timestamps…) in the slots that take free text, and every Elasticsearch band; each file must load,
// and every string must come back the string it was.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { need } from '../gate.js'
import { cleanEnv, runProcess, tempDir } from '../helpers.js'
import { readYaml11, renderWith } from '../stacks.js'
import { ROWS } from '../bands.js'

const PYTHON = '/usr/bin/python3' // Debian's, with python3-yaml

// The YAML 1.1 forms (yaml.org/type: bool, int, float, null, merge, value, timestamp) that a plain
// scalar would change into another type.
const TRAPS = ['=', '<<', 'y', 'N', 'yes', 'No', 'on', 'OFF', 'true', 'False', '0755', '0x1F', '0b101', '+12', '1_000', '22:22', '1:20:30.5', '1e3', '6.02e+23', '.5', '1.', '.inf', '-.Inf', '.NaN', '~', 'null', 'NULL', '2001-12-14', '2001-12-14t21:59:43.10-05:00']
// The same, limited to what a DNS name may be (names, externalName).
const DNS_TRAPS = TRAPS.filter((t) => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(t) && !/\.\.|^\.|\.$/.test(t))

interface Case {
  name: string
  stack: string
  target: 'compose' | 'k8s'
  sets: string[]
}

function cases(): Case[] {
  const out: Case[] = []
  for (const target of ['compose', 'k8s'] as const) {
    for (const trap of TRAPS) {
      out.push({ name: `mongodb rootUser=${trap}`, stack: 'mongodb', target, sets: [`rootUser=${trap}`] })
      out.push({ name: `elasticsearch clusterName=${trap}`, stack: 'elasticsearch', target, sets: [`clusterName=${trap}`] })
    }
    for (const { version } of ROWS) for (const security of [true, false]) out.push({ name: `elasticsearch ${version} security=${security}`, stack: 'elasticsearch', target, sets: [`version=${version}`, `security=${security}`] })
  }
  for (const trap of DNS_TRAPS.filter((t) => /^[a-z]/.test(t))) {
    out.push({ name: `echo name=${trap}`, stack: 'echo', target: 'k8s', sets: [`name=${trap}`] })
    out.push({ name: `mongodb name=${trap}`, stack: 'mongodb', target: 'k8s', sets: [`name=${trap}`] })
  }
  for (const trap of DNS_TRAPS) out.push({ name: `echo externalName=${trap}`, stack: 'echo', target: 'k8s', sets: ['serviceType=ExternalName', `externalName=${trap}`] })
  return out
}

const pythonHasYaml = (t: import('node:test').TestContext) => need(t, 'pyyaml')

// Prints each file's documents as JSON; a value PyYAML made into a non-JSON type (a date) becomes
// "<date>" so it shows as a mismatch, not a crash. A file it cannot load is reported with its error.
const LOAD = `
import json, sys, yaml
out = {}
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            out[path] = {"docs": list(yaml.safe_load_all(f))}
    except yaml.YAMLError as e:
        out[path] = {"error": str(e)}
print(json.dumps(out, default=lambda o: "<%s>" % type(o).__name__))
`

test('every render loads in PyYAML as the same data, with every string still a string', async (t) => {
  if (!(await pythonHasYaml(t))) return
  const dir = await tempDir(t)
  const files: Array<{ path: string; c: Case; expected: unknown[] }> = []
  for (const [i, c] of cases().entries()) {
    const r = await renderWith(c.stack, c.target, c.sets)
    for (const f of r.files.filter((f) => f.path.endsWith('.yaml'))) {
      const path = join(dir, `${i}-${f.path.replace(/\//g, '_')}`)
      await writeFile(path, f.text)
      files.push({ path, c, expected: JSON.parse(JSON.stringify(await readYaml11(f.text))) })
    }
  }
  const r = await runProcess(PYTHON, ['-c', LOAD, ...files.map((f) => f.path)], { env: cleanEnv(), timeoutMs: 120_000 })
  assert.equal(r.code, 0, r.stderr)
  const loaded = JSON.parse(r.stdout) as Record<string, { docs?: unknown[]; error?: string }>
  for (const f of files) {
    const got = loaded[f.path]
    assert.equal(got.error, undefined, `${f.c.name} (${f.c.target}): PyYAML cannot load it: ${got.error}`)
    assert.deepEqual(got.docs, f.expected, `${f.c.name} (${f.c.target}): PyYAML reads other data`)
  }
  assert.ok(files.length > 100, `${files.length} files`)
})

test('every compose render is accepted by docker-compose v1, which reads YAML 1.1', async (t) => {
  if (!(await need(t, 'docker-compose'))) return
  const dir = await tempDir(t)
  const compose = cases().filter((c) => c.target === 'compose')
  const failures: string[] = []
  // Two at a time: each docker-compose start costs a couple of seconds of Python.
  const queue = [...compose.entries()]
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [i, c] = next
        const r = await renderWith(c.stack, 'compose', c.sets)
        const file = join(dir, `${i}.yaml`)
        await writeFile(file, r.files.find((f) => f.path === 'compose.yaml')!.text)
        const env = cleanEnv(r.secrets)
        const out = await runProcess('docker-compose', ['-p', 'shipshape-yaml11', '--project-directory', dir, '-f', file, 'config', '-q'], { env, cwd: dir, timeoutMs: 60_000 })
        if (out.code !== 0) failures.push(`${c.name}: ${out.stderr.trim().split('\n').slice(-3).join(' | ')}`)
      }
    }),
  )
  assert.deepEqual(failures, [])
})
