// kube-context judged from recorded kubectl output: reachable, skewed (with suffixed GKE-style
// versions), refused and hanging servers.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { judgeCluster } from '../../checks/kube-context.js'
import type { KubeTarget } from '../../lib/kubeconfig.js'
import type { ProbeResult } from '../../lib/types.js'
import { fixture } from '../helpers.js'

const target: KubeTarget = { files: ['/home/a/.kube/config'], context: 'gke_team_dev', cluster: 'gke_team_dev', server: 'https://34.1.2.3' }
const result = (over: Partial<ProbeResult>): ProbeResult => ({ ok: true, code: 0, stdout: '', stderr: '', timedOut: false, ms: 40, ...over })

test('a suffixed server two minors behind the client warns about skew', async () => {
  const client = JSON.parse(await fixture('kubectl-version.client-1.32.json'))
  const stdout = JSON.stringify({ ...client, serverVersion: { major: '1', minor: '30+', gitVersion: 'v1.30.5-gke.1014001' } })
  const r = judgeCluster(target, result({ stdout }))
  assert.equal(r.status, 'warn')
  assert.equal(r.summary, "context 'gke_team_dev' (https://34.1.2.3): Kubernetes v1.30.5-gke.1014001, but kubectl is v1.32.4-dispatcher: a skew of 2 minor versions (kubectl supports one)")
  const near = judgeCluster(target, result({ stdout: JSON.stringify({ ...client, serverVersion: { major: '1', minor: '31+', gitVersion: 'v1.31.1-gke.2' } }) }))
  assert.equal(near.status, 'ok')
})

test('refused and hanging servers are told apart, both naming context and server', async () => {
  const client = await fixture('kubectl-version.client-1.32.json')
  const refused = judgeCluster(target, result({ ok: false, code: 1, stdout: client, stderr: await fixture('kubectl-version.refused.stderr.txt') }))
  assert.equal(refused.status, 'fail')
  assert.match(refused.summary, /^context 'gke_team_dev' \(https:\/\/34\.1\.2\.3\) is unreachable: The connection to the server localhost:8080 was refused/)
  const hanging = judgeCluster(target, result({ ok: false, code: 1, stdout: client, stderr: await fixture('kubectl-version.hanging-server.stderr.txt'), ms: 2100 }))
  assert.equal(hanging.status, 'timeout')
  assert.equal(hanging.summary, "context 'gke_team_dev' (https://34.1.2.3) did not answer within 2100 ms")
})
