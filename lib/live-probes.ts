// The process groups of probes still running. Each probe runs detached in its own group (lib/probe.ts)
// so a timeout's kill reaches its grandchildren; the same detachment keeps the terminal's Ctrl-C
// from reaching them. So the interrupt handler (scripts/run-main.ts) kills these groups before it
// exits: nothing shipshape started outlives it. Process-wide on purpose, like the signal itself.

const live = new Set<number>()

/** Remembers a running probe's group; the returned function forgets it once the probe is reaped. */
export function trackGroup(pid: number | undefined): () => void {
  if (!pid) return () => {}
  live.add(pid)
  return () => live.delete(pid)
}

/** SIGKILL to every live probe's process group, now. Returns how many groups it signalled. */
export function killLiveGroups(): number {
  let n = 0
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL')
      n++
    } catch {
      // Already gone.
    }
  }
  live.clear()
  return n
}
