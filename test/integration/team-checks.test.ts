// A team's own checks in shipshape.yaml, through the spawned CLI: each exit code and the JSON line,
// a hang killed with its group, garbage and 10 MB of output, a zx script with no zx installed, and
// the trust rule: nothing runs before `shipshape allow`, nor after a script changes.

import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { test } from 'node:test'
import { byId, team } from '../team.js'

const sh = (body: string) => `#!/bin/sh\n${body}\n`

test('a team check reports by its exit code, last stdout line the summary; a required fail is exit 1', async (t) => {
  const tm = await team(t, `checks:
  t-ok: {run: .shipshape/checks/ok.sh, title: All good}
  t-fail: {run: .shipshape/checks/fail.sh, required: true}
  t-warn: {run: .shipshape/checks/warn.sh}
  t-odd: {run: .shipshape/checks/odd.sh}
`, {
    '.shipshape/checks/ok.sh': sh('echo looking\necho "VPN is up"'),
    '.shipshape/checks/fail.sh': sh('echo "not logged in to registry.example.com"; echo "try docker login" >&2; exit 1'),
    '.shipshape/checks/warn.sh': sh('echo "git user.email is personal"; exit 2'),
    '.shipshape/checks/odd.sh': sh('echo oops; exit 7'),
  })
  assert.equal((await tm.run(['allow'])).code, 0)
  const r = await tm.run(['doctor', '--format', 'json', '--only', 't-ok,t-fail,t-warn,t-odd'])
  assert.equal(r.code, 1, r.stderr)
  const c = byId(r.stdout)
  assert.deepEqual([c['t-ok'].status, c['t-ok'].summary], ['ok', 'VPN is up'])
  assert.deepEqual([c['t-fail'].status, c['t-fail'].summary, c['t-fail'].required], ['fail', 'not logged in to registry.example.com', true])
  assert.deepEqual(c['t-fail'].details, ['try docker login'])
  assert.deepEqual([c['t-warn'].status, c['t-warn'].summary], ['warn', 'git user.email is personal'])
  assert.equal(c['t-odd'].status, 'error')
  assert.match(c['t-odd'].summary, /exited with 7/)
  // Optional ones alone do not make the run not ready.
  assert.equal((await tm.run(['doctor', '--only', 't-ok,t-warn'])).code, 0)
})

test('a team check may print one JSON line instead; one that is not a report is an error naming the field', async (t) => {
  const tm = await team(t, `checks:
  j-warn: {run: checks/warn.sh}
  j-bad: {run: checks/bad.sh}
  j-broken: {run: checks/broken.sh}
`, {
    'checks/warn.sh': sh(`echo '{"status":"warn","summary":"npm is not logged in to @acme","details":["registry: npm.acme.test"],"fix":"npm login --scope=@acme"}'`),
    'checks/bad.sh': sh(`echo '{"status":"great","summary":"x"}'`),
    'checks/broken.sh': sh(`echo '{"status":'`),
  })
  await tm.run(['allow'])
  const r = await tm.run(['doctor', '--format', 'json', '--only', 'j-warn,j-bad,j-broken'])
  const c = byId(r.stdout)
  assert.deepEqual([c['j-warn'].status, c['j-warn'].summary, c['j-warn'].details], ['warn', 'npm is not logged in to @acme', ['registry: npm.acme.test']])
  assert.equal(c['j-warn'].fix?.manual, 'npm login --scope=@acme')
  assert.equal(c['j-bad'].status, 'error')
  assert.match(c['j-bad'].summary, /JSON line is not a report: status/)
  assert.equal(c['j-broken'].status, 'error')
  assert.match(c['j-broken'].summary, /not JSON/)
})

test('a script that hangs is cut off at its bound and what it started is killed with its group', async (t) => {
  const tm = await team(t, `checks:
  hangs: {run: hang.sh, timeoutMs: 1000, required: true}
`, { 'hang.sh': sh('sleep 300 &\necho $! > child.pid\nwait') })
  await tm.run(['allow'])
  const r = await tm.run(['doctor', '--format', 'json', '--only', 'hangs'])
  assert.equal(r.code, 1)
  assert.equal(byId(r.stdout).hangs.status, 'timeout')
  const pid = Number(readFileSync(join(tm.dir, 'child.pid'), 'utf8'))
  assert.ok(pid > 0)
  assert.ok(!alive(pid), `the script's child ${pid} outlived doctor`)
})

test('garbage and 10 MB of output: control characters never reach the report, too much output is stopped', async (t) => {
  const tm = await team(t, `checks:
  garbage: {run: garbage.sh}
  flood: {run: flood.sh, timeoutMs: 20000}
`, {
    'garbage.sh': sh(`printf 'a\\033]0;title\\007b\\033[31mred\\001\\377\\n'; exit 1`),
    'flood.sh': sh('head -c 10485760 /dev/zero | tr "\\0" x; echo; echo done'),
  })
  await tm.run(['allow'])
  const r = await tm.run(['doctor', '--format', 'json', '--only', 'garbage,flood'])
  const c = byId(r.stdout)
  assert.equal(c.garbage.status, 'fail')
  assert.doesNotMatch(c.garbage.summary, /[\u0000-\u001f\u007f]/)
  assert.match(c.garbage.summary, /^ab.*red/)
  assert.equal(c.flood.status, 'error')
  assert.match(c.flood.summary, /printed too much/)
  assert.ok(r.stdout.length < 100_000)
  const human = await tm.run(['doctor', '--only', 'garbage'])
  assert.doesNotMatch(human.stdout, /\u001b/)
})

test('an .mjs check uses zx ($, chalk, import from "zx") with no zx of its own or on PATH', async (t) => {
  // PATH: node's folder and the system's, nothing of this project (node_modules/.bin holds zx).
  const PATH = [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter)
  for (const d of PATH.split(delimiter)) assert.ok(!existsSync(join(d, 'zx')), `${d}/zx would make this test prove nothing`)
  const tm = await team(t, `checks:
  zx-check: {run: .shipshape/checks/git.mjs, title: git is there}
`, {
    '.shipshape/checks/git.mjs': `import { $ as dollar, fs as zfs } from 'zx'
const out = await $\`echo \${'quoted; not run'}\`
if (dollar !== $ || zfs !== fs) process.exit(3)
console.log(chalk.bold('said:'), out.stdout.trim())
`,
  }, { PATH, FORCE_COLOR: '0' })
  await tm.run(['allow'])
  const r = await tm.run(['doctor', '--format', 'json', '--only', 'zx-check'])
  const c = byId(r.stdout)['zx-check']
  assert.equal(c.status, 'ok', JSON.stringify(c))
  assert.equal(c.summary, 'said: quoted; not run')
})

test('not allowed: the script is not run, the check names `shipshape allow`, and a required one is not ready', async (t) => {
  const tm = await team(t, `checks:
  vpn: {run: .shipshape/checks/vpn.sh, required: true}
`, { '.shipshape/checks/vpn.sh': sh('touch ran.marker; echo up') })
  const r = await tm.run(['doctor', '--only', 'vpn'])
  assert.equal(r.code, 1)
  assert.match(r.stdout, /not allowed yet: read \.shipshape\/checks\/vpn\.sh, shipshape\.yaml, then run `shipshape allow`/)
  assert.ok(!existsSync(join(tm.dir, 'ran.marker')))

  assert.equal((await tm.run(['allow'])).code, 0)
  assert.equal((await tm.run(['doctor', '--only', 'vpn'])).code, 0)
  assert.ok(existsSync(join(tm.dir, 'ran.marker')))
})

test('a script changed after `allow` (or a helper added beside it) is not run until allowed again; --revoke forgets', async (t) => {
  const tm = await team(t, `checks:
  vpn: {run: .shipshape/checks/vpn.sh}
`, { '.shipshape/checks/vpn.sh': sh('echo up') })
  await tm.run(['allow'])
  assert.equal(byId((await tm.run(['doctor', '--format', 'json', '--only', 'vpn'])).stdout).vpn.status, 'ok')
  const { writeFileSync, rmSync } = await import('node:fs')
  writeFileSync(join(tm.dir, '.shipshape/checks/vpn.sh'), sh('touch ran.marker; echo up'))
  let c = byId((await tm.run(['doctor', '--format', 'json', '--only', 'vpn'])).stdout).vpn
  assert.equal(c.status, 'warn')
  assert.match(c.summary, /changed since `shipshape allow`\): read \.shipshape\/checks\/vpn\.sh, then run `shipshape allow`/)
  assert.ok(!existsSync(join(tm.dir, 'ran.marker')))

  await tm.run(['allow'])
  writeFileSync(join(tm.dir, '.shipshape/checks/helper.mjs'), 'export const x = 1\n')
  c = byId((await tm.run(['doctor', '--format', 'json', '--only', 'vpn'])).stdout).vpn
  assert.match(c.summary, /read \.shipshape\/checks\/helper\.mjs, then/)
  rmSync(join(tm.dir, '.shipshape/checks/helper.mjs'))
  assert.equal(byId((await tm.run(['doctor', '--format', 'json', '--only', 'vpn'])).stdout).vpn.status, 'ok')

  const revoked = await tm.run(['allow', '--revoke'])
  assert.equal(revoked.code, 0)
  assert.match(byId((await tm.run(['doctor', '--format', 'json', '--only', 'vpn'])).stdout).vpn.summary, /not allowed yet/)
})

test("the record is this user's own, 0600 in a 0700 folder; one another user owns is not believed", async (t) => {
  const tm = await team(t, `checks:
  vpn: {run: vpn.sh}
`, { 'vpn.sh': sh('touch ran.marker; echo up') })
  await tm.run(['allow'])
  const { statSync, chownSync, chmodSync } = await import('node:fs')
  const folder = join(tm.home, '.local/share/shipshape')
  assert.equal(statSync(folder).mode & 0o777, 0o700)
  assert.equal(statSync(join(folder, 'allowed.json')).mode & 0o777, 0o600)
  // As root with another user's HOME: their record (owned by them) does not let root run their scripts.
  if (process.getuid?.() === 0) {
    chownSync(join(folder, 'allowed.json'), 1234, 1234)
    assert.match(byId((await tm.run(['doctor', '--format', 'json', '--only', 'vpn'])).stdout).vpn.summary, /not allowed yet/)
    assert.ok(!existsSync(join(tm.dir, 'ran.marker')))
    chownSync(join(folder, 'allowed.json'), 0, 0)
  }
  chmodSync(join(folder, 'allowed.json'), 0o666)
  assert.match(byId((await tm.run(['doctor', '--format', 'json', '--only', 'vpn'])).stdout).vpn.summary, /not allowed yet/)
  assert.ok(!existsSync(join(tm.dir, 'ran.marker')))
})

test('shipshape.yaml: a team id that is a built-in one, a typo without run:, a missing script are exit 2 at file:line', async (t) => {
  const cases: [string, RegExp][] = [
    ['checks:\n  kubectl: {run: x.sh}\n', /shipshape\.yaml:2:3: checks\.kubectl: 'kubectl' is a built-in check; rename the team's check/],
    ['checks:\n  minikub: {required: true}\n', /shipshape\.yaml:2:3: unknown check id 'minikub'\. Did you mean 'minikube'\?/],
    ['checks:\n  vpn:\n    run: nothere.sh\n', /shipshape\.yaml:3:10: checks\.vpn\.run: no file /],
    ['checks:\n  vpn: {run: x.sh, fix: {rn: y.sh}}\n', /shipshape\.yaml:2:26: unknown field 'rn'\. Did you mean 'run'\?/],
    ['checks:\n  kubectl: {title: K}\n', /checks\.kubectl\.title: only a team check \(one with run:\) takes title/],
  ]
  for (const [config, expected] of cases) {
    const tm = await team(t, config, { 'x.sh': sh('echo') })
    const r = await tm.run(['doctor'])
    assert.equal(r.code, 2, config)
    assert.match(r.stderr, expected)
  }
})

function alive(pid: number): boolean {
  try {
    // A zombie waiting for init to reap it is dead to us.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}
