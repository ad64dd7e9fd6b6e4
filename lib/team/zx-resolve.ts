// The resolve hook zx-preload.ts registers: `zx` and `zx/…`, from wherever a team's script sits,
// resolve as if imported from shipshape's own folder, so they find the zx shipshape ships.

interface ResolveContext {
  parentURL?: string
  conditions: string[]
  importAttributes: Record<string, string>
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<unknown>

let ours: string | undefined

export function initialize(data: { parentURL: string }): void {
  ours = data.parentURL
}

export function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<unknown> {
  if (ours && (specifier === 'zx' || specifier.startsWith('zx/'))) return next(specifier, { ...context, parentURL: ours })
  return next(specifier, context)
}
