// `shipshape up elasticsearch` for real, one band at a time, against stand-ins that answer as that
// band's Elasticsearch and Kibana do (test/standin.ts; what they mimic is in test/fixtures/README.md):
// the health checks, the setup service's password change on the band's path for the band's user,
// Kibana's address variable and login, and the depends_on chain all run in the real Docker engine
// under docker-compose v1. A wrong row of the band table leaves Kibana unhealthy or the setup failing.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { need } from '../gate.js'
import { cleanEnv, runCli, tempDir } from '../helpers.js'
import { dockerProbe, freePort, removeProject, suffix } from '../images.js'
import { standinImage, standinTar } from '../standin.js'
import { renderWith } from '../stacks.js'

// One run per kind of wiring: platinum 6.0–6.2, trial 6.3–6.5 with ELASTICSEARCH_URL, basic
// security in 6.8 (here off), trial 7.0 on /_security/, basic 7.x before kibana_system, and 8.x.
const RUNS = [
  { version: '6.2.4', security: true, unauthenticated: 'missing authentication token' },
  { version: '6.5.4', security: true, unauthenticated: 'missing authentication token' },
  { version: '6.8.23', security: false },
  { version: '7.0.1', security: true, unauthenticated: 'missing authentication credentials' },
  { version: '7.5.2', security: true, unauthenticated: 'missing authentication credentials' },
  { version: '8.19.10', security: true, unauthenticated: 'missing authentication credentials' },
]

// curl, as the stand-ins' own clients are: busybox nc closes the connection once it has answered,
// which Node's keep-alive client takes for a hang-up.
async function request(url: string, auth?: string): Promise<{ status: number; body: string }> {
  const r = await dockerProbe(['curl', '-s', '-i', '--max-time', '10', ...(auth ? ['-u', auth] : []), url], { timeoutMs: 20_000 })
  const [head, body = ''] = r.stdout.split(/\r?\n\r?\n/)
  return { status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0), body }
}

for (const run of RUNS) {
  test(`up elasticsearch ${run.version} with security ${run.security ? 'on' : 'off'}: setup, health checks and Kibana's login work as that band's do`, async (t) => {
    if (!(await need(t, 'docker', 'busybox', 'curl'))) return
    // The flavour the render picks by default is the flavour the stand-in plays.
    const chosen = (await renderWith('elasticsearch', 'compose', [`version=${run.version}`, `security=${run.security}`])).files[0].text
    const flavour = /elasticsearch-platinum:/.test(chosen) ? 'platinum' : 'default'
    const tar = await standinTar(t)
    const [es, kibana] = [await standinImage(t, tar, { role: 'es', version: run.version, flavour }), await standinImage(t, tar, { role: 'kibana', version: run.version })]
    const [cwd, port, kibanaPort] = [await tempDir(t), await freePort(), await freePort()]
    const project = `shipshape-test-es-${suffix()}`
    t.after(() => removeProject(project))
    const sets = [`version=${run.version}`, `security=${run.security}`, `image=${es}`, `kibanaImage=${kibana}`, `port=${port}`, `kibanaPort=${kibanaPort}`, 'heapMb=256', 'memLimit=512Mi', 'kibanaMemLimit=256Mi', 'raiseLimits=false'].flatMap((s) => ['--set', s])
    // --no-checks: vm.max_map_count is the host's business, not this test's; this engine may not
    // raise the memlock and nofile limits (raiseLimits=false leaves them alone).
    const up = await runCli(['up', 'elasticsearch', '--project', project, '--no-checks', '--timeout', '240000', ...sets], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 300_000 })
    assert.equal(up.code, 0, `${up.stdout}\n${up.stderr}`)
    assert.match(up.stdout, new RegExp(`kibana: http://127\\.0\\.0\\.1:${kibanaPort}/`))

    const envFile = join(cwd, 'shipshape/elasticsearch/compose/.env')
    const anonymous = await request(`http://127.0.0.1:${port}/`)
    if (run.security) {
      const env = await readFile(envFile, 'utf8')
      const secret = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(env)![1]
      assert.equal(anonymous.status, 401)
      assert.match(anonymous.body, new RegExp(`${run.unauthenticated} for REST request \\[/\\]`))
      assert.equal((await request(`http://127.0.0.1:${port}/`, `elastic:${secret('ELASTIC_PASSWORD')}`)).status, 200)
      // Kibana's user got its password from the setup service, on the band's path.
      const user = Number(run.version.split('.')[0]) >= 8 || run.version >= '7.8' ? 'kibana_system' : 'kibana'
      assert.equal((await request(`http://127.0.0.1:${port}/`, `${user}:${secret('KIBANA_PASSWORD')}`)).status, 200, `${user} logs in`)
      const logs = await dockerProbe(['docker', 'ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=com.docker.compose.service=setup'])
      const setupLog = await dockerProbe(['docker', 'logs', logs.stdout.trim()])
      assert.match(setupLog.stdout, /All done/)
    } else {
      assert.equal(anonymous.status, 200)
      assert.match(anonymous.body, /You Know, for Search/)
      // No password to keep, and no setup service to give one: Kibana came up without either.
      await assert.rejects(readFile(envFile, 'utf8'), { code: 'ENOENT' })
    }
    assert.equal((await request(`http://127.0.0.1:${kibanaPort}/`)).status, 302, 'Kibana is ready')

    const down = await runCli(['down', 'elasticsearch', '--project', project, '--volumes', ...sets], { cwd, env: cleanEnv({ HOME: cwd }), timeoutMs: 120_000 })
    assert.equal(down.code, 0, down.stderr)
  })
}
