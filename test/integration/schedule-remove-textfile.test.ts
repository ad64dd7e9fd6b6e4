// `schedule remove` takes the job's Prometheus textfile with it: left behind, node_exporter would go
// on exporting the last run's readiness for ever. Through the real CLI, with a crontab that keeps its
// table in a file.

import assert from 'node:assert/strict'
import { readdir, writeFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { test } from 'node:test'
import { cleanEnv, fakeExecutable, runCli, tempDir } from '../helpers.js'

test('schedule remove deletes the shipshape.prom its job wrote, and nothing else in that folder', async (t) => {
  const [home, bin, textfiles] = [await tempDir(t), await tempDir(t), await tempDir(t)]
  const table = join(bin, 'table')
  await writeFile(table, '')
  await fakeExecutable(bin, 'crontab', `case " $* " in *" -l "*) cat '${table}' ;; *) cat > '${table}' ;; esac`)
  await fakeExecutable(bin, 'pgrep', 'echo 1')
  await fakeExecutable(bin, 'systemctl', 'exit 1')
  const env = cleanEnv({ HOME: home, PATH: [bin, process.env.PATH].join(delimiter) })
  const install = await runCli(['schedule', 'install', '--via', 'cron', '--every', '1h', '--only', 'platform', '--textfile-dir', textfiles], { cwd: home, env, timeoutMs: 30_000 })
  assert.equal(install.code, 0, install.stderr)
  // What a scheduled run leaves, and a file of another exporter beside it.
  await writeFile(join(textfiles, 'shipshape.prom'), 'shipshape_ready 1\n')
  await writeFile(join(textfiles, 'other.prom'), 'other 1\n')
  const dry = await runCli(['schedule', 'remove', '--dry-run'], { cwd: home, env, timeoutMs: 30_000 })
  assert.match(dry.stdout, new RegExp(`would delete ${textfiles}/shipshape\\.prom`))
  assert.deepEqual((await readdir(textfiles)).sort(), ['other.prom', 'shipshape.prom'], 'a dry run changes nothing')
  const removed = await runCli(['schedule', 'remove'], { cwd: home, env, timeoutMs: 30_000 })
  assert.equal(removed.code, 0, removed.stderr)
  assert.deepEqual(await readdir(textfiles), ['other.prom'])
  assert.doesNotMatch((await runCli(['schedule', 'status'], { cwd: home, env })).stdout, /Scheduled with/)
})
