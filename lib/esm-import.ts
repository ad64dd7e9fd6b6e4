// import() of a package published only as ES modules (ora). In the bundle this file stays a file of
// its own, dist/cli/esm-import.js, which node compiles itself (build/bundle.ts): there every other
// package is loaded with require(), since code compiled from V8's cache (lib/code-cache.ts) cannot
// import() on Node 20.
export function importEsm<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>
}
