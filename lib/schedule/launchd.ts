// The macOS backend: a LaunchAgent (launchd.plist(5)) in ~/Library/LaunchAgents, loaded into the
// user's GUI domain with `launchctl bootstrap gui/<uid>` and unloaded with `launchctl bootout`.
// StartInterval runs it every N seconds while the user is logged in, and once on wake if missed.

import { join } from 'node:path'
import { xmlEscape } from '../report/junit.js'
import { LAUNCHD_LABEL, type JobSpec } from './spec.js'

export const plistPath = (home: string) => join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`)
export const domain = (uid: number) => `gui/${uid}`

const str = (s: string) => `<string>${xmlEscape(s)}</string>`

export function launchAgentPlist(spec: JobSpec): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  ${str(LAUNCHD_LABEL)}
  <key>ProgramArguments</key>
  <array>
${spec.argv.map((a) => `    ${str(a)}`).join('\n')}
  </array>
  <key>EnvironmentVariables</key>
  <dict>
${Object.entries(spec.env).map(([k, v]) => `    <key>${xmlEscape(k)}</key>\n    ${str(v)}`).join('\n')}
  </dict>
  <key>StartInterval</key>
  <integer>${spec.every.seconds}</integer>
  <key>RunAtLoad</key>
  <false/>
  <key>ProcessType</key>
  ${str('Background')}
  <key>LowPriorityIO</key>
  <true/>
  <key>StandardOutPath</key>
  ${str(spec.logFile)}
  <key>StandardErrorPath</key>
  ${str(spec.logFile)}
</dict>
</plist>
`
}

/** The `--config` file among the plist's ProgramArguments (null when none). */
export function configInPlist(plist: string, flag = '--config'): string | null {
  const m = new RegExp(`<string>${flag}</string>\\s*<string>([^<]*)</string>`).exec(plist)
  if (!m) return null
  const entities: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }
  return m[1].replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => entities[name])
}
