// What `shipshape init` writes: a commented shipshape.yaml for this machine (the stacks rendered
// here, the registries they pull from) and an example team check in zx. Built as text, comments
// and all, since a YAML library would drop them.

import { registryOf } from '../network/targets.js'
import { stackImages } from '../stacks/declared.js'
import type { Platform } from '../types.js'

export const EXAMPLE_CHECK = '.shipshape/checks/example.mjs'

export async function initConfig(stacks: readonly string[], platform: Platform): Promise<string> {
  const images = await stackImages(Object.fromEntries(stacks.map((s) => [s, {}])), platform)
  const registries = [...new Set(images.map((i) => registryOf(i.image)))]
  const stackLines = stacks.length
    ? ['stacks:                      # found rendered under ./shipshape/; parameters: `shipshape render <stack> --params`', ...stacks.map((s) => `  ${s}: {}`)]
    : ['# stacks:                    # the stacks this team runs (elasticsearch, mongodb, echo), with their values', '#   mongodb: {port: 27017}']
  return `# shipshape.yaml: what this team's machines need. doctor, setup, checklist, serve and schedule read it;
# a mistake is named with its line. README: "A team's shipshape.yaml" and "Team checks".

# timeoutMs: 5000              # bound for each check, in ms (default 3000)

checks:
  # A built-in check by id: required or not, more time.
  # minikube: {required: false}
  # docker-daemon: {timeoutMs: 8000}

  # A team check: a script of yours, run from this folder once you ran \`shipshape allow\`.
  # .mjs and .js scripts get zx ($, cd, fs, chalk, question…) without installing it; other files
  # run as executables. Exit 0 ok, 1 fail, 2 warn (last line printed: the summary), or print one
  # JSON line {"status":"ok|warn|fail","summary":"…","details":["…"],"fix":"…"}.
  example:
    title: Work git email
    description: Commits carry the work address, so the team's CI and review tools know who wrote them.
    run: ${EXAMPLE_CHECK}
    required: false
    timeoutMs: 5000
    # fix: {run: .shipshape/checks/example-fix.mjs}   # a script \`shipshape setup\` runs to fix it

${stackLines.join('\n')}

# network:
${registries.length ? `#   # The stacks above pull from ${registries.join(', ')}; the registries check reaches them.\n` : ''}#   registries:                # the team's own registries or mirrors, host[:port] or https:// URL
#     - registry.example.com:5000

# steps:                       # onboarding steps \`shipshape setup\` runs (after \`shipshape allow\`)
#   clone-repos:
#     title: Clone the team's repositories
#     run: .shipshape/steps/clone.sh
#     done: .shipshape/steps/cloned.sh   # exits 0 when already done: asked first
#     needs: []                          # step ids that must succeed first
`
}

export const EXAMPLE_SCRIPT = `// An example team check (shipshape.yaml: checks.example). \`shipshape doctor\` runs it once you have
// read it and run \`shipshape allow\`, in a node of its own with zx preloaded: $, cd, fs, chalk,
// question… are globals and \`import 'zx'\` works, with nothing installed. Its folder is the
// folder of shipshape.yaml; it runs within checks.example.timeoutMs.
//
// Report by exit code (0 ok, 1 fail, 2 warn; the last line printed is the summary), or print one
// JSON line: {"status":"ok|warn|fail","summary":"…","details":["…"],"fix":"…"}

const WORK_DOMAIN = '@example.com'

const email = (await $\`git config --get user.email\`.nothrow()).stdout.trim()
const fix = \`git config --global user.email you\${WORK_DOMAIN}\`
if (!email) {
  console.log(JSON.stringify({ status: 'fail', summary: 'git user.email is not set', fix }))
} else if (!email.endsWith(WORK_DOMAIN)) {
  console.log(JSON.stringify({ status: 'warn', summary: \`git user.email is \${email}, not a work address\`, fix }))
} else {
  console.log(\`git user.email is \${email}\`)
}
`
