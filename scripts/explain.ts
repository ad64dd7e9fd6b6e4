// `shipshape explain <check-id>`: what a check looks at, why it matters, what each of its statuses
// means, and the fix it would propose on this machine (the check is run, with what it needs, to know).
// The words are data on the check (Check.about), so a check and its explanation change together.

import { pathToFileURL } from 'node:url'
import { registry } from '../checks/index.js'
import { collect, withTeamChecks } from '../lib/collect.js'
import { loadConfig } from '../lib/config.js'
import { newCommand, parseArgs, processIo, type Io } from '../lib/command.js'
import { fixLines } from '../lib/report/fix-text.js'
import { maskUrlCredentials } from '../lib/redact.js'
import { unknownCheck } from '../lib/runner.js'
import type { Check, Status } from '../lib/types.js'
import { runMain } from './run-main.js'

/** What skip, timeout and error mean for every check. */
const COMMON: Partial<Record<Status, string>> = {
  skip: 'not run: it does not apply on this platform, --offline leaves the network out, or a check it needs did not pass (then, if required, the run is not ready)',
  timeout: 'no answer within its bound (--timeout, or checks.<id>.timeoutMs): it proposes no change, only how to look again',
  error: 'the check itself could not finish (an answer it cannot read): no change is proposed',
}

/** What a team script's exit code says (lib/team/checks.ts). */
const TEAM: Partial<Record<Status, string>> = { ok: 'the script exited 0', warn: 'the script exited 2', fail: 'the script exited 1' }

export function explainCommand(io: Io) {
  return newCommand('explain', io)
    .description('Explain a check: what it looks at, why it matters, what each status means, and the fix it would propose here.')
    .argument('<check-id>', `one of ${registry.map((c) => c.id).join(', ')}`)
    .option('--config <file>', 'a shipshape.yaml other than ./shipshape.yaml')
    .option('--offline', 'skip the network checks (registries, proxy, clock)')
    .addHelpText('after', `
Examples:
  shipshape explain docker-daemon
  shipshape explain max-map-count`)
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cmd = explainCommand(io)
  parseArgs(cmd, argv)
  const id = cmd.args[0]
  const opts = cmd.opts<{ config?: string; offline?: boolean }>()
  // A team's own checks (shipshape.yaml) are explained as the built-in ones, from their description.
  const checks: readonly (Check & { description?: string })[] = await withTeamChecks(registry, await loadConfig(io.cwd, opts.config))
  const check = checks.find((c) => c.id === id)
  if (!check) throw unknownCheck(id, checks.map((c) => c.id))
  const { report } = await collect(registry, { env: io.env, cwd: io.cwd, config: opts.config, only: [id], offline: opts.offline })
  const finding = report.checks.find((f) => f.id === id)!
  const about = check.about ?? (check.description ? { looks: check.description, why: "your team's own check (shipshape.yaml)", statuses: TEAM } : undefined)
  const statuses = { ...about?.statuses, ...COMMON }
  const width = Math.max(...Object.keys(statuses).map((s) => s.length))
  const out = [
    `${check.title} (${check.id}): ${finding.required ? 'required' : 'optional'}${check.needs?.length ? `; runs after ${check.needs.join(', ')}` : ''}`,
    '',
    `What it looks at: ${about?.looks ?? 'see the README'}`,
    `Why it matters: ${about?.why ?? 'see the README'}`,
    '',
    'What each status means:',
    ...Object.entries(statuses).map(([s, text]) => `  ${s.padEnd(width)}  ${text}`),
    '',
    `On this machine: ${finding.status}: ${finding.summary}`,
  ]
  const fix = finding.status === 'ok' || finding.status === 'skip' ? [] : fixLines(finding.fix)
  if (fix.length) out.push('The fix it proposes here:', ...fix.map((l) => `  ${l}`))
  else if (finding.blockedBy?.length) out.push(`The fix it proposes here: first what it needs: ${finding.blockedBy.map((d) => `${d} (shipshape explain ${d})`).join(', ')}.`)
  else out.push(finding.status === 'ok' ? 'The fix it proposes here: none, nothing to fix.' : 'The fix it proposes here: none it can be sure of; see the status above.')
  io.stdout.write(maskUrlCredentials(`${out.join('\n')}\n`))
  return 0
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
