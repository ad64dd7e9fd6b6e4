// `shipshape up` and `down` against the real Docker engine and docker-compose, with images built
// here from busybox: up waits on a real healthcheck, a never-healthy service times out with its log
// lines, and down keeps the data volume unless --volumes.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { get } from 'node:http'
import { join } from 'node:path'
import { need } from '../gate.js'
import { cleanEnv, runCli, tempDir } from '../helpers.js'
import { busyboxImage, dockerProbe, freePort, removeProject, suffix } from '../images.js'

const web = { name: 'stacks-web', cmd: ['/bin/sh', '-c', 'exec httpd -f -p "${PORT:-80}" -h /www'] }

function fetchText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: 5_000 }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', reject)
  })
}

async function project(t: import('node:test').TestContext): Promise<string> {
  const name = `shipshape-test-${suffix()}`
  t.after(() => removeProject(name))
  return name
}

const containersOf = async (p: string) => (await dockerProbe(['docker', 'ps', '-aq', '--filter', `label=com.docker.compose.project=${p}`])).stdout.split('\n').filter(Boolean)

test('up waits until the healthchecks pass, prints the URL that answers, and down removes the containers', async (t) => {
  if (!(await need(t, 'docker', 'busybox'))) return
  const [image, cwd, p, port] = [await busyboxImage(t, web), await tempDir(t), await project(t), await freePort()]
  const sets = ['--set', `nginxImage=${image}`, '--set', `echoImage=${image}`, '--set', `port=${port}`]
  const up = await runCli(['up', 'echo', '--project', p, '--timeout', '90000', ...sets], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 180_000 })
  assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`)
  assert.match(up.stdout, new RegExp(`nginx: http://127\\.0\\.0\\.1:${port}/`))
  const states = await dockerProbe(['docker', 'inspect', '--format', '{{.State.Health.Status}}', ...(await containersOf(p))])
  assert.deepEqual(states.stdout.trim().split('\n'), ['healthy', 'healthy'])
  const again = await runCli(['up', 'echo', '--project', p, '--timeout', '90000', ...sets], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 180_000 })
  assert.equal(again.code, 0, `up again, with its own port taken by itself: ${again.stderr}`)
  const answer = await fetchText(`http://127.0.0.1:${port}/`)
  assert.equal(answer.status, 200)
  assert.match(answer.body, /hello from a shipshape test image/)

  const down = await runCli(['down', 'echo', '--project', p, ...sets], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 120_000 })
  assert.equal(down.code, 0, down.stderr)
  assert.deepEqual(await containersOf(p), [])
})

test('a service that never becomes healthy fails after the timeout with its last log lines', async (t) => {
  if (!(await need(t, 'docker', 'busybox'))) return
  const broken = await busyboxImage(t, { name: 'stacks-broken', cmd: ['/bin/sh', '-c', 'echo "fatal: no config at /etc/web.conf"; exec sleep 3600'] })
  const [image, cwd, p, port] = [await busyboxImage(t, web), await tempDir(t), await project(t), await freePort()]
  const up = await runCli(['up', 'echo', '--project', p, '--timeout', '15000', '--set', `nginxImage=${broken}`, '--set', `echoImage=${image}`, '--set', `port=${port}`], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 180_000 })
  assert.equal(up.code, 1, up.stdout)
  assert.match(up.stderr, /not healthy within 15000 ms/)
  assert.match(up.stderr, /nginx: running \(starting\); last log lines:\n\s+fatal: no config at \/etc\/web\.conf/)
  assert.doesNotMatch(up.stderr, /^echo: /m, 'the healthy service is not blamed')
  // It stopped at --timeout (said above), not after the healthcheck's 12 retries of 5 s.
})

test('a dependency that never becomes healthy fails the same way, though compose v1 blocks on it', async (t) => {
  if (!(await need(t, 'docker', 'busybox'))) return
  const broken = await busyboxImage(t, { name: 'stacks-broken', cmd: ['/bin/sh', '-c', 'echo "echo-server: listen EACCES 0.0.0.0:8080"; exec sleep 3600'] })
  const [image, cwd, p, port] = [await busyboxImage(t, web), await tempDir(t), await project(t), await freePort()]
  const up = await runCli(['up', 'echo', '--project', p, '--timeout', '12000', '--set', `nginxImage=${image}`, '--set', `echoImage=${broken}`, '--set', `port=${port}`], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 120_000 })
  assert.equal(up.code, 1, up.stdout)
  assert.match(up.stderr, /not healthy within 12000 ms/)
  assert.match(up.stderr, /echo: running \(starting\); last log lines:\n\s+echo-server: listen EACCES 0\.0\.0\.0:8080/)
})

test('down keeps the data volume; down --volumes removes it', async (t) => {
  if (!(await need(t, 'docker', 'busybox'))) return
  // A stand-in for mongo: serves on 27017 and answers the mongosh healthcheck.
  const mongo = await busyboxImage(t, { name: 'stacks-mongo', cmd: ['/bin/sh', '-c', 'exec httpd -f -p 27017 -h /www'], scripts: { 'bin/mongosh': 'exec wget -q -O /dev/null http://127.0.0.1:27017/' } })
  const [cwd, p, port] = [await tempDir(t), await project(t), await freePort()]
  const args = ['--project', p, '--set', `image=${mongo}`, '--set', `port=${port}`]
  const env = cleanEnv({ HOME: cwd })
  const up = await runCli(['up', 'mongodb', ...args, '--timeout', '90000'], { cwd, env, timeoutMs: 180_000 })
  assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`)
  assert.match(up.stdout, new RegExp(`mongodb: mongodb://root@127\\.0\\.0\\.1:${port}/\\?authSource=admin`))
  assert.doesNotMatch(up.stdout, /PASSWORD|password=/)
  const [id] = await containersOf(p)
  assert.equal((await dockerProbe(['docker', 'exec', id, 'sh', '-c', 'echo kept > /data/db/marker'])).ok, true)

  const volume = `${p}_mongo-data`
  assert.equal((await runCli(['down', 'mongodb', ...args], { cwd, env, timeoutMs: 120_000 })).code, 0)
  assert.deepEqual(await containersOf(p), [])
  assert.equal((await dockerProbe(['docker', 'volume', 'inspect', volume])).ok, true, 'the volume survives down')

  const again = await runCli(['up', 'mongodb', ...args, '--timeout', '90000'], { cwd, env, timeoutMs: 180_000 })
  assert.equal(again.code, 0, again.stderr)
  const [id2] = await containersOf(p)
  assert.equal((await dockerProbe(['docker', 'exec', id2, 'cat', '/data/db/marker'])).stdout, 'kept\n')

  assert.equal((await runCli(['down', 'mongodb', ...args, '--volumes'], { cwd, env, timeoutMs: 120_000 })).code, 0)
  assert.equal((await dockerProbe(['docker', 'volume', 'inspect', volume])).ok, false, 'down --volumes removes it')
})

test('up --dry-run prints the commands and changes nothing', async (t) => {
  const cwd = await tempDir(t)
  // --no-checks: the checks' part of a dry run is tested in config-contract.test.ts; here port 8080 may be busy.
  const r = await runCli(['up', 'echo', '--dry-run', '--no-checks', '--project', 'shipshape-test-dry'], { cwd, env: cleanEnv({ HOME: cwd }) })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /-p shipshape-test-dry --project-directory \S+\/shipshape\/echo\/compose -f \S+\/compose\.yaml up -d/)
  const { readdir } = await import('node:fs/promises')
  assert.deepEqual(await readdir(cwd), [])
})

test('registries: a stack whose images the daemon already has needs no registry; one it lacks names the registry', async (t) => {
  if (!(await need(t, 'docker', 'busybox'))) return
  const [image, cwd] = [await busyboxImage(t, web), await tempDir(t)]
  const doctor = async (echoImage: string) => {
    await writeFile(join(cwd, 'shipshape.yaml'), `stacks:\n  echo: {nginxImage: "${image}", echoImage: "${echoImage}"}\n`)
    const r = await runCli(['doctor', '--only', 'registries', '--format', 'json'], { cwd, env: cleanEnv({ HOME: cwd }) })
    return JSON.parse(r.stdout).checks.find((c: { id: string }) => c.id === 'registries') as { status: string; summary: string; details: string[] }
  }
  const local = await doctor(image)
  assert.equal(local.status, 'ok')
  assert.match(local.summary, /^nothing to pull/)
  assert.ok(local.details.includes(`${image}: present in the daemon, nothing to pull`), local.details.join('\n'))
  // An image the daemon lacks is pulled from its registry; a loopback one that nothing serves fails by name.
  const port = await freePort()
  const missing = await doctor(`127.0.0.1:${port}/shipshape/absent-${suffix()}:1`)
  assert.equal(missing.status, 'fail')
  assert.match(missing.summary, new RegExp(`127\\.0\\.0\\.1:${port}: .*refused`))
})
