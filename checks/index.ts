// The registry: the one place that lists the checks, in the order reports show them (DESIGN.md's
// id list). Platform filters live on each check (appliesTo); dependencies in `needs`.

import type { Check } from '../lib/types.js'
import { dockerCli } from './docker-cli.js'
import { dockerCompose } from './docker-compose.js'
import { dockerDaemon } from './docker-daemon.js'
import { dockerHost } from './docker-host.js'
import { kubeContext } from './kube-context.js'
import { kubectl } from './kubectl.js'
import { maxMapCount } from './max-map-count.js'
import { minikube } from './minikube.js'
import { platform } from './platform.js'
import { clock } from './clock.js'
import { proxy } from './proxy.js'
import { registries } from './registries.js'
import { ports } from './ports.js'
import { resources } from './resources.js'
import { rosetta } from './rosetta.js'

export const registry: readonly Check[] = [platform, dockerCli, dockerDaemon, dockerCompose, dockerHost, kubectl, kubeContext, minikube, maxMapCount, ports, resources, rosetta, registries, proxy, clock]

export const checkIds = (): string[] => registry.map((c) => c.id)
