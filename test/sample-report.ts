// A report made by the real runner over fake checks, with one finding of every status and text that
// needs escaping in every format (quotes, backslashes, newlines, <, &, #), for the format tests.

import { runChecks, buildReport } from '../lib/runner.js'
import type { Check, Context, Report, Status } from '../lib/types.js'
import { makeContext } from './helpers.js'
import { as } from './privilege.js'

export const NASTY = 'bad "quote" \\ back <tag> & #hash\nsecond line'

export const sampleChecks: Check[] = [
  { id: 'kubectl', title: 'kubectl', required: true, run: async () => ({ status: 'ok', summary: 'client v1.32.4', version: 'v1.32.4-gke.100', details: ['found at /usr/bin/kubectl'] }) },
  { id: 'docker-compose', title: 'Docker Compose', required: false, run: async () => ({ status: 'warn', summary: 'v1 is end of life', version: '1.29.2' }) },
  {
    id: 'docker-daemon',
    title: 'Docker daemon',
    required: true,
    run: async () => ({
      status: 'fail',
      summary: NASTY,
      details: ['socket /var/run/docker.sock: EACCES'],
      fix: { steps: [{ id: 'docker-group', title: 'Add you to the docker group', argv: ['usermod', '-aG', 'docker', 'alice'], sudo: true }], manual: 'Log out and back in so the new group applies.' },
    }),
  },
  { id: 'minikube', title: 'minikube', required: false, appliesTo: () => false, run: async () => ({ status: 'ok', summary: 'never runs' }) },
  { id: 'ports', title: 'Ports', required: true, timeoutMs: 30, run: () => new Promise(() => {}) },
  { id: 'resources', title: 'Resources', required: true, run: async () => { throw new Error('a bug') } },
]

/** One check per wanted status, all ok unless told; for serve's 200/503 cases. */
export function statusCheck(id: string, status: () => Status, calls?: { n: number }): Check {
  return { id, title: id, required: true, run: async () => { if (calls) calls.n++; await new Promise((r) => setTimeout(r, 20)); return { status: status(), summary: `${id} is ${status()}` } } }
}

/** By default as a user with sudo, so fixes read `sudo …` whoever runs the tests. */
export async function reportOf(checks: readonly Check[], ctx: Context = makeContext(as('user-with-sudo'))): Promise<Report> {
  const started = ctx.now()
  return buildReport(await runChecks(checks, ctx), ctx, started, '0.1.0')
}

export const sampleReport = () => reportOf(sampleChecks)
