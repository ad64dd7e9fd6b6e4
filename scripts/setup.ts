// `shipshape setup`: doctor, turn every failing check into a plan of steps, show it, confirm on a
// terminal (without one and without --yes: print the plan, exit 2, change nothing), run it with a
// log, then doctor again. `--dry-run` prints the plan and changes nothing. `doctor --fix` comes here.

import { pathToFileURL } from 'node:url'
import { registry } from '../checks/index.js'
import { Option, csv, formatOption, newCommand, parseArgs, processIo, type Io } from '../lib/command.js'
import { loadConfig, type Config } from '../lib/config.js'
import { withTeamChecks } from '../lib/collect.js'
import { createContext } from '../lib/context.js'
import { ExitError, UsageError } from '../lib/errors.js'
import { checkDockerChoice, DOCKER_CHOICES, type DockerChoice } from '../lib/provision/docker.js'
import { provisionFix, STEP_IDS } from '../lib/provision/fixes.js'
import { settleFix } from '../lib/provision/advice.js'
import { canSpin } from '../lib/report/progress.js'
import { closest } from '../lib/suggest.js'
import { toolVersion } from '../lib/paths.js'
import { buildPlan, executePlan, manualOf, newLogFile, type Plan } from '../lib/provision/plan.js'
import { privilegeOf } from '../lib/provision/privilege.js'
import { sudoPasswordFor } from '../lib/provision/sudo-password.js'
import { renderPlanHuman, renderResultsHuman, renderSetupJson } from '../lib/report/plan.js'
import { painter, wantsColor } from '../lib/report/style.js'
import { runChecks, selectChecks, summarise, unknownCheck, verdictOf } from '../lib/runner.js'
import type { Check, Context, Finding, Step } from '../lib/types.js'
import { runMain, takeFirstInterrupt } from './run-main.js'
import { maskUrlCredentials } from '../lib/redact.js'
import { cleanLine } from '../lib/clean-line.js'

/** Checks whose fix depends on setup's options. */
const SETUP_DEPENDENT = new Set(['docker-cli', 'docker-compose', 'docker-daemon'])

/** What setup plans by default; `setup --help`, the README and doctor's closing hint say the same. */
export const SETUP_INCLUDES = `By default setup plans the fix of every check that fails or warns and has one, optional checks
included (a stopped minikube cluster, vm.max_map_count), minus what is already done. A check that
timed out or errored gets no steps, only how to look again. --only and --skip narrow the plan.`

export interface SetupOptions {
  format: 'human' | 'json'
  yes?: boolean
  dryRun?: boolean
  only?: string[]
  skip?: string[]
  docker: DockerChoice
  config?: string
  timeout?: number
  /** --offline (and doctor --fix --offline): the network checks skip, before the steps and after. */
  offline?: boolean
}

export function setupCommand(io: Io) {
  return newCommand('setup', io)
    .description('Install and configure what doctor finds missing: show a plan, confirm, run it with a log, check again.')
    .addOption(formatOption(['human', 'json']))
    .option('--yes', 'run the plan without asking (needed when there is no terminal)')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--only <ids>', "only fix these checks, or run these of the team's steps (comma-separated)", csv)
    .option('--skip <ids>', 'leave out these checks or steps, e.g. minikube-start (comma-separated)', csv)
    .addOption(new Option('--docker <way>', 'how to get Docker').choices(DOCKER_CHOICES).default('auto'))
    .option('--config <file>', 'a shipshape.yaml other than ./shipshape.yaml')
    .option('--offline', 'skip the network checks (registries, proxy, clock); network.offline in shipshape.yaml says the same')
    .addHelpText('after', `
${SETUP_INCLUDES}

--docker: auto (Docker's apt repository when it answers, else the distribution's docker.io; on
macOS the engine already in use, else Docker Desktop; Docker Desktop on WSL where it is present),
desktop, colima, orbstack, podman (macOS, through Homebrew), engine (Docker's repository), distro
(docker.io). Downloads honour HTTPS_PROXY and NO_PROXY; sources.<name> in
shipshape.yaml points them at a mirror.

Exit codes: 0 done (or nothing to do), 1 a step failed or a required check still fails,
2 bad input, or no terminal to confirm on without --yes (nothing was changed).

Examples:
  shipshape setup --dry-run
  shipshape setup --yes --docker distro --skip minikube-start
  shipshape setup --format json --dry-run --only kubectl`)
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const cmd = setupCommand(io)
  parseArgs(cmd, argv)
  return setup(cmd.opts<SetupOptions>(), io)
}

async function diagnose(checks: readonly Check[], ctx: Context, opts: SetupOptions, skipChecks: string[]): Promise<Finding[]> {
  // --only naming team steps alone: no check's fix is wanted.
  const only = opts.only?.filter((id) => !Object.hasOwn(ctx.config.data.steps, id))
  if (opts.only?.length && !only?.length) return []
  const selected = selectChecks(checks, ctx, { only, skip: skipChecks })
  return runChecks(selected, ctx, { timeoutMs: opts.timeout })
}

/** `checks` is the registry; tests hand in their own. */
export async function setup(opts: SetupOptions, io: Io, builtIn: readonly Check[] = registry): Promise<number> {
  const config = await loadConfig(io.cwd, opts.config)
  const checks = await withTeamChecks(builtIn, config)
  const team = await teamPlanSteps(config, opts)
  const ctx = await createContext({ env: io.env, cwd: io.cwd, config, offline: opts.offline })
  checkDockerChoice(ctx.platform, opts.docker)
  const checkIds = new Set(checks.map((c) => c.id))
  const skipChecks = (opts.skip ?? []).filter((id) => checkIds.has(id))
  const skipSteps = (opts.skip ?? []).filter((id) => !checkIds.has(id))
  const teamStepIds = Object.keys(config.data.steps)
  for (const id of opts.only ?? []) if (!checkIds.has(id) && !teamStepIds.includes(id)) throw unknownCheck(id, [...checkIds, ...teamStepIds])
  // A mistyped --skip would keep the very step it meant to leave out: refuse it before anything runs.
  for (const id of skipSteps) {
    // path-<folder>: the PATH line for a tool installed off PATH, one id per folder (lib/provision/shell-path.ts).
    // fix-<id>: a team check's fix.run (lib/team/checks.ts); the team's own steps by their ids.
    if (STEP_IDS.includes(id) || id.startsWith('path-') || teamStepIds.includes(id) || (id.startsWith('fix-') && config.data.checks[id.slice(4)]?.fix)) continue
    const near = closest(id, [...STEP_IDS, ...teamStepIds, ...checkIds])
    throw new UsageError(`--skip: no check or step named '${id}'. ${near ? `Did you mean '${near}'?` : `Steps: ${STEP_IDS.join(', ')}; checks: ${[...checkIds].join(', ')}`}`)
  }

  const findings = await diagnose(checks, ctx, opts, skipChecks)
  const notes: string[] = []
  for (const f of findings) {
    if (f.status === 'ok' || f.status === 'skip') continue
    // A check's own fix calls the installers with their defaults; where setup's options change the
    // answer (--docker, and asking the network which Docker source answers), ask the installer again.
    // A timeout or error keeps the runner's answer: no steps for an unknown cause.
    if (f.status !== 'timeout' && f.status !== 'error' && (SETUP_DEPENDENT.has(f.id) || !f.fix)) {
      const asked = await provisionFix(f.id, ctx, f, { docker: opts.docker, probeNetwork: !opts.dryRun })
      if (asked) f.fix = await settleFix(ctx, f, asked)
    }
    if (f.fix?.note && !notes.includes(f.fix.note)) notes.push(f.fix.note)
  }
  const trust = team.length ? await (await import('../lib/team/checks.js')).trustFor(ctx) : null
  if (trust && !trust.allowed) {
    const { notAllowedSummary } = await import('../lib/team/trust.js')
    notes.push(`the team's steps in shipshape.yaml are not planned: ${notAllowedSummary(trust)}`)
  }
  const plan = await buildPlan(ctx, findings, { skipSteps, extraSteps: trust?.allowed ? team : [] })
  const unplanned = skipSteps.filter((id) => !plan.skipped.some((s) => s.id === id))
  if (unplanned.length) notes.push(`--skip: ${unplanned.join(', ')} ${unplanned.length === 1 ? 'is' : 'are'} not in this plan`)
  const privilege = await privilegeOf(ctx)

  const json = opts.format === 'json'
  const color = wantsColor(io.env, Boolean(io.stdout.isTTY)) && !json
  const paint = painter(color)
  const showPlan = () => io.stdout.write(maskUrlCredentials(json ? renderSetupJson({ platform: ctx.platform, ...plan, notes }, privilege) : renderPlanHuman(ctx.platform, plan, notes, paint, privilege, toolVersion())))
  const stillFailing = summarise(findings).exitCode

  if (opts.dryRun || plan.steps.length === 0) {
    showPlan()
    return plan.steps.length === 0 && !opts.dryRun ? stillFailing : 0
  }
  if (!opts.yes) {
    const tty = Boolean(io.stdin?.isTTY && io.stdout.isTTY)
    showPlan()
    if (!tty) {
      io.stderr.write('shipshape: no terminal to confirm the plan on; nothing was changed. Run again with --yes to apply it.\n')
      return 2
    }
    if (!(await confirm(io, `Run these ${plan.steps.length} steps? [y/N] `))) {
      io.stdout.write('Nothing was changed.\n')
      return 0
    }
  } else if (!json) showPlan()

  return apply(checks, ctx, plan, notes, opts, io, paint)
}

/** The team's own steps from shipshape.yaml: all of them, or those --only names and what they need. */
async function teamPlanSteps(config: Config, opts: SetupOptions): Promise<Step[]> {
  if (Object.keys(config.data.steps).length === 0) return []
  const steps = (await import('../lib/team/steps.js')).teamSteps(config)
  if (!opts.only?.length) return steps
  const wanted = new Set<string>()
  const add = (id: string) => {
    if (wanted.has(id) || !Object.hasOwn(config.data.steps, id)) return
    wanted.add(id)
    for (const need of config.data.steps[id].needs) add(need)
  }
  for (const id of opts.only) add(id)
  return steps.filter((s) => wanted.has(s.id))
}

async function apply(checks: readonly Check[], ctx: Context, plan: Plan, notes: string[], opts: SetupOptions, io: Io, paint: ReturnType<typeof painter>): Promise<number> {
  const json = opts.format === 'json'
  const sudoPassword = json ? undefined : await sudoPasswordFor(ctx, plan.steps, io)
  const logFile = await newLogFile(ctx)
  const live = !json && Boolean(io.stdout.isTTY) && !io.env.CI && canSpin(io.stdout as NodeJS.WriteStream)
  const spinner = live ? (await import('ora')).default({ stream: io.stdout as NodeJS.WriteStream, discardStdin: false }) : null
  // The first Ctrl-C lets the running step finish and stops there; a second one ends at once.
  const interrupt = new AbortController()
  const release = takeFirstInterrupt(() => {
    interrupt.abort()
    io.stderr.write('\nshipshape: interrupted; the running step finishes, no other starts (Ctrl-C again to quit now)\n')
  })
  const showLine = (s: Step, line: string) => {
    if (!line || json) return
    const width = Math.max(20, ((io.stdout as NodeJS.WriteStream).columns ?? 80) - 4)
    if (spinner) spinner.text = `${s.title}\n  ${paint('dim', line.slice(0, width))}`
    else io.stdout.write(`[${s.id}] ${line}\n`)
  }
  const results = await executePlan(ctx, plan, {
    logFile,
    signal: interrupt.signal,
    sudoPassword,
    onStart: (s) => (spinner ? spinner.start(s.title) : json ? undefined : io.stdout.write(`… ${s.title}\n`)),
    // On a terminal the step's latest line sits under its spinner; without one each line says its step.
    onOutput: (s, line) => showLine(s, cleanLine(maskUrlCredentials(line), 200)),
    onQuiet: (s, message) => showLine(s, message),
    onFinish: (s, r) => {
      const line = r.status === 'ok' ? `✓ ${s.title}` : `✗ ${s.title}: ${r.error ?? r.status}`
      if (spinner) (r.status === 'ok' ? spinner.succeed(s.title) : spinner.fail(line.slice(2)))
      else if (!json) io.stdout.write(`${paint(r.status === 'ok' ? 'green' : 'red', line)}\n`)
    },
  })

  release()
  // Prove it: a fresh context, so nothing remembered from before the steps answers for after.
  const again = await createContext({ env: ctx.env, cwd: ctx.cwd, config: ctx.config, offline: opts.offline })
  const skipChecks = (opts.skip ?? []).filter((id) => checks.some((c) => c.id === id))
  const after = await diagnose(checks, again, opts, skipChecks)
  const summary = summarise(after)
  const failedStep = results.some((r) => r.status !== 'ok')
  if (json) {
    io.stdout.write(maskUrlCredentials(renderSetupJson({ platform: ctx.platform, ...plan, notes, results, logFile, after: summary }, await privilegeOf(ctx))))
  } else {
    io.stdout.write(maskUrlCredentials(`\n${renderResultsHuman(results, logFile, paint)}`))
    const bad = after.filter((f) => f.status !== 'ok' && f.status !== 'skip')
    for (const f of bad) io.stdout.write(`${maskUrlCredentials(paint(f.required ? 'red' : 'yellow', `still ${f.status}: ${f.title}: ${f.summary}`))}\n`)
    // What is left by hand is read from the checks after the steps, not from the plan: a step may have
    // done what the plan's advice described (an rc line commented out), and then nothing is left.
    const byHand = manualOf(after)
    if (byHand.length) io.stdout.write(`To finish by hand:\n${byHand.map((m) => `  • ${m.replaceAll('\n', '\n    ')}`).join('\n')}\n`)
    io.stdout.write(summary.exitCode === 0 && !failedStep ? `${paint('green', `${verdictOf(0)}.`)}\n` : `${paint('red', `${verdictOf(1)} yet.`)} Run 'shipshape doctor' for details.\n`)
  }
  return failedStep || summary.exitCode !== 0 ? 1 : 0
}

/** Ctrl-C or Ctrl-D at the question is a cancel: exit 130, nothing changed, no trace. */
async function confirm(io: Io, question: string): Promise<boolean> {
  const { createInterface } = process.getBuiltinModule('node:readline')
  const rl = createInterface({ input: io.stdin as NodeJS.ReadableStream, output: io.stdout as NodeJS.WritableStream })
  try {
    const answer = await new Promise<string | null>((resolve) => {
      rl.on('SIGINT', () => resolve(null))
      rl.on('close', () => resolve(null))
      rl.question(question, resolve)
    })
    if (answer === null) {
      io.stdout.write('\n')
      throw new ExitError(130, 'Cancelled; nothing was changed.')
    }
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runMain(main)
