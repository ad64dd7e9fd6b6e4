// A fix only for a known cause: every check, with tools that hang or die, proposes no step (only how
// to look); removals only of packages seen installed; steps that refuse root are not planned as root;
// doctor's fix is setup's plan minus what is done.

import assert from 'node:assert/strict'
import { mkdir, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { registry } from '../../checks/index.js'
import { settleFix } from '../../lib/provision/advice.js'
import { installed, installedOf } from '../../lib/provision/apt.js'
import { CONFLICTING, dockerAptSteps } from '../../lib/provision/docker-apt.js'
import { runChecks } from '../../lib/runner.js'
import { stepText } from '../../lib/report/fix-text.js'
import type { Check, Finding, Probe, ProbeResult, Step } from '../../lib/types.js'
import { makeContext, put, replayProbe, tempDir } from '../helpers.js'
import { as } from '../privilege.js'

/** Every tool is installed (which finds it) but every command it runs hangs, or is killed. */
function brokenTools(result: Partial<ProbeResult>): { probe: Probe; which: (cmd: string) => Promise<string> } {
  return {
    probe: async () => ({ ok: false, code: null, stdout: '', stderr: '', timedOut: false, ms: 1, ...result }),
    which: async (cmd: string) => `/usr/bin/${cmd}`,
  }
}

const INSTALLERS = /apt-get|dpkg|brew|curl|install|usermod|systemctl|sysctl|tee|\bmv\b/

for (const [what, result] of [['hangs (killed at the bound)', { timedOut: true }], ['is killed (exit null)', { timedOut: false }], ['exits 1 saying nothing', { code: 1 }]] as const) {
  test(`every check, when each tool it runs ${what}: no install, removal or rewrite, only how to look`, async () => {
    const ctx = makeContext({ ...as('user-with-sudo'), ...brokenTools(result), noCache: true })
    const findings = await runChecks(registry, ctx, { timeoutMs: 2_000 })
    for (const f of findings) {
      if (f.status === 'timeout' || f.status === 'error') {
        assert.deepEqual(f.fix?.steps ?? [], [], `${f.id} (${f.status}) proposes steps`)
        assert.match(f.fix?.manual ?? '', /could not learn[\s\S]*shipshape doctor --only/, `${f.id} says how to look`)
      }
      for (const line of (f.fix?.steps ?? []).map((s) => stepText(s))) {
        // A check that did reach a verdict without the tools (vm.max_map_count reads /proc) may fix that.
        if (INSTALLERS.test(line)) assert.ok(!['docker-cli', 'docker-compose', 'kubectl', 'minikube', 'docker-daemon'].includes(f.id), `${f.id}: ${line}`)
      }
    }
    // The tool checks that probe an installed binary cannot call it missing or old.
    for (const id of ['docker-cli', 'docker-compose', 'kubectl', 'minikube']) {
      const f = findings.find((x) => x.id === id)!
      assert.ok(f.status === 'timeout' || f.status === 'error', `${id} is ${f.status}: ${f.summary}`)
    }
  })
}

test('a hung probe is named as the command to run by hand, with a longer --timeout', async () => {
  const hang: Check = {
    id: 'hang',
    title: 'Hang',
    required: true,
    run: async (ctx) => {
      await ctx.probe(['sleep', '30'])
      return { status: 'ok', summary: 'never' }
    },
    fix: () => ({ steps: [{ id: 'reinstall', title: 'Reinstall', argv: ['apt-get', 'install', '-y', 'thing'], sudo: true }] }),
  }
  const [f] = await runChecks([hang], makeContext(as('user-with-sudo')), { timeoutMs: 300 })
  assert.equal(f.status, 'timeout')
  assert.deepEqual(f.fix!.steps, [])
  assert.match(f.fix!.manual!, /--timeout 10000/)
  assert.match(f.fix!.manual!, /Or run by hand: sleep 30/)
})

test('a check that says timeout itself keeps its step-less advice but loses any step; one that throws gets none', async () => {
  const checks: Check[] = [
    { id: 'slow', title: 'Slow', required: true, run: async () => ({ status: 'timeout', summary: 'no answer', fix: { steps: [], manual: 'Restart Docker Desktop.' } }) },
    { id: 'guess', title: 'Guess', required: true, run: async () => ({ status: 'timeout', summary: 'no answer', fix: { steps: [{ id: 'rm', title: 'Remove it', argv: ['apt-get', 'remove', '-y', 'docker.io'], sudo: true }] } }) },
    { id: 'bug', title: 'Bug', required: true, run: async () => { throw new Error('oops') }, fix: () => ({ steps: [{ id: 'x', title: 'x', argv: ['true'], sudo: false }] }) },
  ]
  const [slow, guess, bug] = await runChecks(checks, makeContext(as('user-with-sudo')))
  assert.match(slow.fix!.manual!, /^Restart Docker Desktop\.\nshipshape could not learn/)
  assert.deepEqual(guess.fix!.steps, [])
  assert.doesNotMatch(guess.fix!.manual!, /remove/)
  assert.equal(bug.status, 'error')
  assert.deepEqual(bug.fix!.steps, [])
})

test('the conflicting packages are removed only when seen installed, and the step names them', async (t) => {
  // A host root without dpkg's status file: dpkg-query answers, replayed.
  const hostRoot = await tempDir(t, 'shipshape-no-dpkg-')
  const none = makeContext({ ...as('user-with-sudo'), hostRoot, probe: replayProbe({}) })
  assert.ok(!(await dockerAptSteps(none)).some((s) => s.id === 'docker-conflicts-remove'))
  const listed = `dpkg-query -W -f=\${Package} \${Status}\\n ${CONFLICTING.join(' ')}`
  const some = makeContext({ ...as('user-with-sudo'), hostRoot, probe: replayProbe({ [listed]: { code: 1, stdout: 'docker.io install ok installed\nrunc deinstall ok config-files\ncontainerd install ok installed\n' } }) })
  const steps = await dockerAptSteps(some)
  const remove = steps.find((s) => s.id === 'docker-conflicts-remove')!
  assert.deepEqual(remove.argv, ['apt-get', 'remove', '-y', 'docker.io', 'containerd'])
  assert.match(remove.title, /docker\.io, containerd/)
  assert.deepEqual(steps.find((s) => s.id === 'docker-engine')!.needs, ['docker-apt-update', 'docker-conflicts-remove'])
  // dpkg that does not answer is not a sighting: no removal.
  const hung = makeContext({ ...as('user-with-sudo'), hostRoot, probe: replayProbe({ [listed]: { timedOut: true, code: null } }) })
  assert.ok(!(await dockerAptSteps(hung)).some((s) => s.id === 'docker-conflicts-remove'))
})

test("dpkg's status file is read directly, unless changes are still journalled or it is missing; then dpkg-query answers", async (t) => {
  const hostRoot = await tempDir(t, 'shipshape-dpkg-')
  // Paragraphs as dpkg writes them: one removed with its config left, one half-installed, one
  // installed for two architectures, one on hold.
  await put(join(hostRoot, 'var/lib/dpkg/status'), [
    'Package: docker.io\nStatus: install ok installed\nArchitecture: amd64\nVersion: 20.10.24+dfsg1-1+b3\n',
    'Package: runc\nStatus: deinstall ok config-files\nArchitecture: amd64\n',
    'Package: containerd\nStatus: install reinstreq half-installed\nArchitecture: amd64\n',
    'Package: podman-docker\nStatus: install ok installed\nArchitecture: amd64\n',
    'Package: podman-docker\nStatus: install ok installed\nArchitecture: arm64\n',
    'Package: docker-doc\nStatus: hold ok installed\nArchitecture: all\n',
  ].join('\n'))
  await mkdir(join(hostRoot, 'var/lib/dpkg/updates'), { recursive: true })
  const probe = replayProbe({})
  const ctx = makeContext({ ...as('user-with-sudo'), hostRoot, probe })
  assert.deepEqual(await installedOf(ctx, CONFLICTING), ['docker.io', 'docker-doc', 'podman-docker'])
  assert.equal(await installed(ctx, ['docker.io', 'podman-docker']), true)
  assert.equal(await installed(ctx, ['docker.io', 'runc']), false)
  assert.deepEqual(probe.calls, [], 'no dpkg-query started')

  // setup asks again in the same run after it installs: dpkg has replaced its status file by then.
  const status = join(hostRoot, 'var/lib/dpkg/status')
  await put(`${status}-new`, 'Package: docker.io\nStatus: install ok installed\n\nPackage: runc\nStatus: install ok installed\n')
  await rename(`${status}-new`, status)
  assert.equal(await installed(ctx, ['docker.io', 'runc']), true)

  // An interrupted dpkg run leaves its changes in updates/: the status file is not the whole truth.
  await put(join(hostRoot, 'var/lib/dpkg/updates/0000'), 'Package: runc\nStatus: install ok installed\n')
  const journalled = replayProbe({ [`dpkg-query -W -f=\${Package} \${Status}\\n docker.io runc`]: { code: 0, stdout: 'docker.io install ok installed\nrunc install ok installed\n' } })
  assert.deepEqual(await installedOf(makeContext({ hostRoot, probe: journalled }), ['docker.io', 'runc']), ['docker.io', 'runc'])
  assert.equal(journalled.calls.length, 1)
})

const finding = (fix: { steps: Step[] }): Finding => ({ id: 'kube-context', title: 'Kubernetes cluster', required: false, status: 'warn', summary: 'no context', version: null, details: [], durationMs: 1, fix })
const start: Step = { id: 'minikube-start', title: 'Start', argv: ['minikube', 'start', '--driver=docker'], sudo: false, asUser: true }
const after: Step = { id: 'after-start', title: 'After', argv: ['kubectl', 'get', 'nodes'], sudo: false, needs: ['minikube-start'] }

test('as root with no user to go back to, a step that refuses root (and what needs it) is not planned; the fix says what to do', async () => {
  const ctx = makeContext(as('root'))
  const f = finding({ steps: [start, after] })
  const fix = await settleFix(ctx, f, f.fix)
  assert.deepEqual(fix!.steps, [])
  assert.match(fix!.manual!, /as your own user and run: minikube start --driver=docker/)
  assert.doesNotMatch(fix!.manual!, /sudo/)
  // Under sudo, setup can go back to the invoking user: the step stays.
  const underSudo = await settleFix(makeContext(as('root-under-sudo')), f, f.fix)
  assert.deepEqual(underSudo!.steps.map((s) => s.id), ['minikube-start', 'after-start'])
})

test("doctor's fix leaves out what is already done, as setup's plan does", async () => {
  const done: Step = { id: 'done', title: 'Done already', argv: ['true'], sudo: true, done: async () => true }
  const todo: Step = { id: 'todo', title: 'To do', argv: ['sysctl', '-w', 'a=1'], sudo: true, needs: ['done'] }
  const f = finding({ steps: [done, todo] })
  const fix = await settleFix(makeContext(as('user-with-sudo')), f, f.fix)
  assert.deepEqual(fix!.steps.map((s) => s.id), ['todo'])
  // Nothing left to do and nothing to say: no fix at all.
  const g = finding({ steps: [done] })
  assert.equal(await settleFix(makeContext(as('user-with-sudo')), g, g.fix), null)
})
