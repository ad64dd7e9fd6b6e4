// Credentials in URLs (a mirror in sources.*, DOCKER_HOST=tcp://admin:pw@host) must never reach a
// terminal, a report file or /healthz. One function masks them in any text about to be printed:
// `https://deploy:s3cret@mirror` becomes `https://deploy:***@mirror`.

// scheme://user:password@ — the password ends at '@'; ':' , '/', whitespace and quotes cannot occur
// in the user part, and whitespace or quotes end the password (a JSON string, a shell word).
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@"'<>]*):([^\s/@"'<>]+)@/gi

export function maskUrlCredentials(text: string): string {
  return text.replace(USERINFO, (_, scheme: string, user: string) => `${scheme}${user}:***@`)
}
