// Credentials in URLs (a mirror in sources.*, DOCKER_HOST=tcp://admin:pw@host) must never reach a
// terminal, a report file or /healthz. One function masks them in any text about to be printed:
// `https://deploy:s3cret@mirror` becomes `https://deploy:***@mirror`.

// [scheme://]user:password@host: the authority runs until '/', '?', '#', whitespace, a quote or '<>',
// and its LAST '@' ends the password (curl and Go read `http://alice:p@ss@proxy` so). Without a
// scheme (`HTTP_PROXY=bob:pw@proxy:3128`, which curl and Go accept) the value must start a word; an
// image reference's `name:tag@sha256:…` is not a credential.
const STOP = `\\s/?#"'<>`
const USERINFO = new RegExp(
  `(?:\\b([a-z][a-z0-9+.-]*://)|(?<=^|[\\s=(,;\\[{"'<>]))([^${STOP}@:]*):([^${STOP}]+)@(?![a-z0-9]+:[a-f0-9]{32,})`,
  'gi',
)

export function maskUrlCredentials(text: string): string {
  return text.replace(USERINFO, (_, scheme: string | undefined, user: string) => `${scheme ?? ''}${user}:***@`)
}

/**
 * The same stream with every text written to it masked: whatever a command prints (reports, plans,
 * error messages, a unit shown by --dry-run) passes here, so no printer can forget. Everything else
 * (isTTY, columns, events) is the stream's own.
 */
export function maskingStream<T extends NodeJS.WritableStream>(stream: T): T {
  const original = (stream.write as (...args: unknown[]) => boolean).bind(stream)
  const masked = (chunk: unknown, ...rest: unknown[]) => original(typeof chunk === 'string' ? maskUrlCredentials(chunk) : chunk, ...rest)
  // A library that hooks write (ora clears its spinner around each one) replaces what the proxy hands
  // out, not the stream's own: its hook then writes through `masked`, which it took first, and never
  // through itself again.
  let write: unknown = masked
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') return write
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
    set(target, prop, value) {
      if (prop === 'write') write = value
      else Reflect.set(target, prop, value, target)
      return true
    },
  })
}
