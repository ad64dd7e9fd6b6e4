// Loopback seams for network tests: a port that refuses connections (an unreachable mirror or proxy
// without leaving the machine).

import { createServer, type AddressInfo } from 'node:net'

/** A loopback port nothing listens on: bind, note it, close. */
export async function refusingPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as AddressInfo).port
  await new Promise((resolve) => s.close(resolve))
  return port
}
