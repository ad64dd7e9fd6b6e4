// The mongodb health check on both kinds of image, for real: one that has only the legacy `mongo`
// shell (4.4 and older) and one that has only `mongosh` (6.0 and later). Stand-ins from busybox
// answer the ping as the shells do: exit 0 when the server answers.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { need } from '../gate.js'
import { cleanEnv, runCli, tempDir } from '../helpers.js'
import { busyboxImage, dockerProbe, freePort, removeProject, suffix } from '../images.js'

const server = ['/bin/sh', '-c', 'exec httpd -f -p 27017 -h /www']
const ping = 'exec wget -q -O /dev/null http://127.0.0.1:27017/'

for (const [version, shell] of [['4.4', 'mongo'], ['7.0', 'mongosh']] as const) {
  test(`mongodb ${version}: the health check finds ${shell}, the only shell that image has`, async (t) => {
    if (!(await need(t, 'docker', 'busybox'))) return
    const image = await busyboxImage(t, { name: `stacks-mongo-${shell}`, cmd: server, scripts: { [`bin/${shell}`]: ping } })
    const [cwd, port] = [await tempDir(t), await freePort()]
    const project = `shipshape-test-${suffix()}`
    t.after(() => removeProject(project))
    const up = await runCli(['up', 'mongodb', '--project', project, '--timeout', '90000', '--set', `version=${version}`, '--set', `image=${image}`, '--set', `port=${port}`], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 180_000 })
    assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`)
    const id = (await dockerProbe(['docker', 'ps', '-q', '--filter', `label=com.docker.compose.project=${project}`])).stdout.trim()
    const health = await dockerProbe(['docker', 'inspect', '--format', '{{.State.Health.Status}} {{(index .State.Health.Log 0).ExitCode}}', id])
    assert.equal(health.stdout.trim(), 'healthy 0')
    assert.equal((await dockerProbe(['docker', 'exec', id, 'sh', '-c', `command -v ${shell === 'mongo' ? 'mongosh' : 'mongo'}`])).ok, false, 'the other shell is really absent')
  })
}
