// The host ports each stack publishes by default, in one place. The stack templates
// (templates/<stack>/stack.yaml, `ports`) will become the source; until then this table is.

export interface StackPort {
  port: number
  /** What listens there, for messages: "Elasticsearch HTTP". */
  what: string
}

export const STACK_PORTS: Readonly<Record<string, readonly StackPort[]>> = {
  elasticsearch: [
    { port: 9200, what: 'Elasticsearch HTTP' },
    { port: 9300, what: 'Elasticsearch transport' },
    { port: 5601, what: 'Kibana' },
  ],
  mongodb: [{ port: 27017, what: 'MongoDB' }],
  echo: [{ port: 8080, what: 'echo service (nginx)' }],
}

/** Ports of the stacks in use; with no stacks configured, every stack's defaults. */
export function portsFor(stacks: readonly string[]): { stack: string; port: number; what: string }[] {
  const names = stacks.length > 0 ? stacks : Object.keys(STACK_PORTS)
  return names.flatMap((stack) => (STACK_PORTS[stack] ?? []).map((p) => ({ stack, ...p })))
}
