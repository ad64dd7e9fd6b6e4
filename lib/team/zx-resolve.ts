// The resolve hook zx-preload.ts registers: `zx` and `zx/…`, from wherever a team's script sits,
// resolve as if imported from shipshape's own folder, so they find the zx shipshape ships. The same
// function serves module.registerHooks (synchronous) and, as this module's `resolve`, module.register.

interface ResolveContext {
  parentURL?: string
  conditions: string[]
  importAttributes: Record<string, string>
}
type NextResolve<T> = (specifier: string, context: ResolveContext) => T

export function zxFrom(ours: string) {
  return <T>(specifier: string, context: ResolveContext, next: NextResolve<T>): T =>
    specifier === 'zx' || specifier.startsWith('zx/') ? next(specifier, { ...context, parentURL: ours }) : next(specifier, context)
}

let fromOurs: ReturnType<typeof zxFrom> | undefined

/** module.register's loader thread: told where shipshape's folder is. */
export function initialize(data: { parentURL: string }): void {
  fromOurs = zxFrom(data.parentURL)
}

export function resolve<T>(specifier: string, context: ResolveContext, next: NextResolve<T>): T {
  return fromOurs ? fromOurs(specifier, context, next) : next(specifier, context)
}
