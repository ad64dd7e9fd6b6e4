// Versions as tools print them, read by parseVersion: the recorded docker line, Docker's zero-padded
// 19.03-era minors, Kubernetes' suffixed gitVersion.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { judgeVersion, parseVersion } from '../../lib/versions.js'
import { fixture } from '../helpers.js'

test('parseVersion reads the recorded `docker --version` line and the zero-padded 19.03 era', async () => {
  assert.equal(parseVersion(await fixture('docker-version.client-28.txt')), '28.2.2')
  assert.equal(parseVersion('Docker version 19.03.13, build 4484c46d9d'), '19.3.13')
  assert.equal(parseVersion('Docker version 18.09.7, build 2d0083d'), '18.9.7')
  assert.equal(parseVersion('v1.32.4-gke.100'), '1.32.4')
  assert.equal(parseVersion('1.0.0'), '1.0.0')
  assert.equal(parseVersion('no version here'), null)
  assert.deepEqual(judgeVersion('docker', 'Docker version 19.03.13, build 4484c46d9d'), { version: '19.3.13', floor: '>=20.10.0', meets: false })
})
