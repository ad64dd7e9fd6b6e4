// The run history stays bounded (rotated at its size) and shows drift between two recorded runs.

import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { appendHistory, diffRuns, isRegression, loadHistory, readHistory, toEntry, type HistoryEntry } from '../../lib/history.js'
import { main as historyMain } from '../../scripts/history.js'
import { reportOf, statusCheck } from '../sample-report.js'
import { runProcess, tempDir } from '../helpers.js'
import { capture } from '../capture.js'

const entry = (at: string, checks: HistoryEntry['checks']): HistoryEntry => ({ startedAt: at, durationMs: 5, exitCode: checks.some((c) => c.status === 'fail') ? 1 : 0, version: '0.1.0', platform: 'linux', checks })

test('history rotates at its bound: the live file never passes it, one older file is kept, nothing else', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'history.jsonl')
  const report = await reportOf([statusCheck('docker-daemon', () => 'ok')])
  const line = JSON.stringify(toEntry(report)).length + 1
  const max = line * 5 + 10
  for (let i = 0; i < 23; i++) await appendHistory(file, { ...toEntry(report), startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() }, max)
  assert.ok((await stat(file)).size <= max)
  assert.ok((await stat(`${file}.1`)).size <= max)
  await assert.rejects(stat(`${file}.2`))
  const runs = await readHistory(file)
  // 23 runs, 5 per file: the newest 3 in the live file and the 5 before them in .1.
  assert.equal(runs.length, 8)
  assert.equal(runs.at(-1)!.startedAt, new Date(Date.UTC(2026, 0, 1, 0, 22)).toISOString())
  assert.equal(runs[0].startedAt, new Date(Date.UTC(2026, 0, 1, 0, 15)).toISOString())
  assert.equal((await stat(file)).mode & 0o777, 0o600)
})

test('a damaged line (a disk that filled mid-write) is passed over, the rest is read', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'history.jsonl')
  await appendHistory(file, entry('2026-01-01T00:00:00.000Z', []))
  const { appendFile } = await import('node:fs/promises')
  await appendFile(file, '{"startedAt": "2026-01-01T00:01')
  assert.equal((await readHistory(file)).length, 1)
  assert.match(await readFile(file, 'utf8'), /2026-01-01T00:01/)
})

test('drift: status transitions, version moves, new and dropped checks; ok→fail is a regression', () => {
  const before = entry('2026-01-01T00:00:00.000Z', [
    { id: 'docker-daemon', status: 'ok', version: '24.0.7', required: true },
    { id: 'kubectl', status: 'ok', version: '1.31.2', required: true },
    { id: 'minikube', status: 'fail', version: null, required: false },
    { id: 'ports', status: 'ok', version: null, required: true },
  ])
  const after = entry('2026-01-01T01:00:00.000Z', [
    { id: 'docker-daemon', status: 'fail', version: null, required: true },
    { id: 'kubectl', status: 'ok', version: '1.32.0', required: true },
    { id: 'minikube', status: 'ok', version: '1.34.0', required: false },
    { id: 'max-map-count', status: 'warn', version: null, required: true },
  ])
  const changes = diffRuns(before, after)
  assert.deepEqual(changes, [
    { id: 'docker-daemon', kind: 'status', from: 'ok', to: 'fail' },
    { id: 'kubectl', kind: 'version', from: '1.31.2', to: '1.32.0' },
    { id: 'minikube', kind: 'status', from: 'fail', to: 'ok' },
    { id: 'max-map-count', kind: 'added', from: null, to: 'warn' },
    { id: 'ports', kind: 'removed', from: 'ok', to: null },
  ])
  assert.deepEqual(changes.filter(isRegression).map((c) => c.id), ['docker-daemon'])
})

test('shipshape history shows the runs newest first with what changed; --format json carries the changes', async (t) => {
  const home = await tempDir(t)
  const file = join(home, '.shipshape', 'history.jsonl')
  await appendHistory(file, entry('2026-01-01T00:00:00.000Z', [{ id: 'docker-daemon', status: 'ok', version: '24.0.7', required: true }]))
  await appendHistory(file, entry('2026-01-01T01:00:00.000Z', [{ id: 'docker-daemon', status: 'fail', version: null, required: true }]))
  const human = await capture(historyMain, [], { HOME: home })
  assert.equal(human.code, 0)
  const lines = human.stdout.split('\n')
  const newest = lines.findIndex((l) => l.startsWith('2026-01-01T01:00'))
  assert.ok(newest > 0 && newest < lines.findIndex((l) => l.startsWith('2026-01-01T00:00')), human.stdout)
  assert.match(lines[newest], /not ready.*failing: docker-daemon/)
  assert.match(lines[newest + 1], /✗ docker-daemon: ok → fail/)
  const json = JSON.parse((await capture(historyMain, ['--format', 'json'], { HOME: home })).stdout)
  assert.deepEqual(json.runs[0].changes, [{ id: 'docker-daemon', kind: 'status', from: 'ok', to: 'fail' }])
  assert.deepEqual(json.runs[1].changes, [])
})

test('shipshape history with no runs says how to record them', async (t) => {
  const home = await tempDir(t)
  const r = await capture(historyMain, [], { HOME: home })
  assert.equal(r.code, 0)
  assert.match(r.stdout, /No runs recorded yet.*shipshape schedule install/)
})

test('a line cut short does not swallow the next run; lines of another shape are skipped and counted, never a crash', async (t) => {
  const home = await tempDir(t)
  const file = join(home, '.shipshape', 'history.jsonl')
  const { appendFile } = await import('node:fs/promises')
  await appendHistory(file, entry('2026-01-01T00:00:00.000Z', []))
  await appendFile(file, '{"startedAt": "2026-01-01T00:01')
  await appendHistory(file, entry('2026-01-01T00:02:00.000Z', [{ id: 'docker-daemon', status: 'ok', version: null, required: true }]))
  // What an older shipshape left: a cut line with the next run glued to it.
  await appendFile(file, '{"startedAt":"2026-01-01T00:03' + JSON.stringify(entry('2026-01-01T00:04:00.000Z', [])) + '\n')
  await appendFile(file, '{"checks":[null]}\n{"startedAt":"2026-01-01T00:05:00.000Z","exitCode":0,"checks":[null]}\n[1]\nnull\n')
  const { entries, skipped } = await loadHistory(file)
  assert.deepEqual(entries.map((e) => e.startedAt), ['2026-01-01T00:00:00.000Z', '2026-01-01T00:02:00.000Z', '2026-01-01T00:04:00.000Z'])
  assert.equal(skipped, 6)
  const human = await capture(historyMain, [], { HOME: home })
  assert.equal(human.code, 0, human.stderr)
  assert.match(human.stderr, /6 unreadable lines .* skipped/)
  assert.match(human.stdout, /Last 3 of 3 recorded runs/)
  const json = JSON.parse((await capture(historyMain, ['--format', 'json'], { HOME: home })).stdout)
  assert.equal(json.skipped, 6)
  const { main: scheduleMain } = await import('../../scripts/schedule.js')
  const status = await capture(scheduleMain, ['status', '--format', 'json'], { HOME: home, PATH: '/nonexistent' })
  assert.doesNotMatch(status.stderr, /unexpected error/, status.stderr)
})

test('two runs rotating at 512 KiB at once lose no line and neither crashes', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'history.jsonl')
  const { writeFile } = await import('node:fs/promises')
  const historyModule = new URL('../../lib/history.js', import.meta.url).href
  // A barrier, not the clock: each child says it is ready, then both wait for one file to appear.
  const child = `
    const { existsSync, writeFileSync } = await import('node:fs')
    const { appendHistory } = await import(${JSON.stringify(historyModule)})
    const [who, ready, go] = process.argv.slice(1)
    writeFileSync(ready, '')
    for (let i = 0; i < 1e8 && !existsSync(go); i++);
    await appendHistory(${JSON.stringify(file)}, { startedAt: '2027-01-01T00:00:00.000Z', durationMs: 1, exitCode: 0, version: who, platform: 'linux', checks: [] })
  `
  for (let round = 0; round < 8; round++) {
    const filler = JSON.stringify(entry('2026-01-01T00:00:00.000Z', [])) + '\n'
    const lines = Math.floor((512 * 1024 - 1) / filler.length)
    await writeFile(file, filler.repeat(lines))
    const go = join(dir, `go-${round}`)
    const ready = (who: string) => join(dir, `ready-${round}-${who}`)
    const runs = ['a', 'b'].map((who) => runProcess(process.execPath, ['--input-type=module', '-e', child, who, ready(who), go], { timeoutMs: 30_000 }))
    for (let i = 0; i < 3000 && !(existsSync(ready('a')) && existsSync(ready('b'))); i++) await new Promise((r) => setTimeout(r, 10))
    await writeFile(go, '')
    for (const r of await Promise.all(runs)) assert.equal(r.code, 0, r.stderr)
    const recorded = await readHistory(file)
    assert.equal(recorded.length, lines + 2, `round ${round}: ${lines + 2 - recorded.length} lines lost`)
    assert.deepEqual(recorded.filter((r) => r.startedAt.startsWith('2027')).map((r) => r.version).sort(), ['a', 'b'])
  }
})

test('a rotation lock another run holds: after a bounded wait the line is appended without rotating, nothing lost', async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'history.jsonl')
  const { writeFile } = await import('node:fs/promises')
  const filler = JSON.stringify(entry('2026-01-01T00:00:00.000Z', [])) + '\n'
  const lines = Math.floor((512 * 1024 - 1) / filler.length)
  await writeFile(file, filler.repeat(lines))
  await writeFile(`${file}.lock`, '')
  await appendHistory(file, entry('2027-01-01T00:00:00.000Z', []))
  assert.equal((await readHistory(file)).length, lines + 1, 'nothing lost while another run holds the lock')
  assert.equal(await stat(`${file}.1`).then(() => 'rotated', () => 'not rotated'), 'not rotated')
})
