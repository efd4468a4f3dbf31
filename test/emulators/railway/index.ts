import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TokenRegistry } from './auth.js';
import { FaultPlan } from './faults.js';
import { RateLimiter } from './ratelimit.js';
import { loadRailwaySchema } from './schema.js';
import { GRAPHQL_PATH, startServer } from './server.js';
import { Store } from './state.js';
import type { DeploymentRec } from './state.js';
import type {
  DeploymentScenario,
  DeploymentStatus,
  FaultSpec,
  Progression,
  RailwayPlan,
  RailwayRequestLogEntry,
  RailwaySwitches,
  TokenSpec,
} from './types.js';

export { DEFAULT_SWITCHES } from './types.js';
export { PLAN_LIMITS } from './ratelimit.js';
export type {
  AuthKind,
  DeploymentScenario,
  DeploymentStatus,
  FaultKind,
  FaultSpec,
  Progression,
  RailwayPlan,
  RailwayRequestLogEntry,
  RailwaySwitches,
  TokenSpec,
} from './types.js';
export { loadRailwaySchema } from './schema.js';

export interface RailwayEmulatorOptions {
  /** Default Date.now; the start of the clock, and its source in 'realtime' progression. */
  now?: () => number;
  /** Default 'manual'. */
  progression?: Progression;
  /** Listening port; default 0 (any free port). */
  port?: number;
  /** Requests per token per hour; default 1000, Hobby's. No per-second limit unless `plan` is set. */
  rateLimit?: number;
  /** A published plan's limits, per hour and per second (overrides `rateLimit`). */
  plan?: RailwayPlan;
  /**
   * HTTP status for documents that fail parsing or validation. Default 400, as GraphQL-over-HTTP
   * servers answer; 200 puts the same GraphQL errors in a 200 answer. Railway's is not published.
   */
  invalidDocumentStatus?: 200 | 400;
  /** Answers no source settles (see RailwaySwitches); defaults in DEFAULT_SWITCHES. */
  switches?: Partial<RailwaySwitches>;
}

export interface ServiceSnapshot {
  id: string;
  projectId: string;
  name: string;
  createdAt: number;
  instances: {
    environmentId: string;
    source: { image?: string; repo?: string } | null;
    branch: string | null;
    variables: Record<string, string>;
  }[];
  domains: string[];
}

export interface DeploymentSnapshot {
  id: string;
  projectId: string;
  serviceId: string;
  environmentId: string;
  status: DeploymentStatus;
  createdAt: number;
  outcome: DeploymentScenario['outcome'];
  meta: Record<string, unknown>;
}

export interface RailwayEmulator {
  readonly url: string;
  close(): Promise<void>;
  addProject(p?: { id?: string; name?: string; environments?: string[] }): {
    projectId: string;
    environmentId: string;
    environmentIds: Record<string, string>;
  };
  addToken(t: TokenSpec): void;
  /** The token becomes unknown: a project token is then answered `Project Token not found`. */
  revokeToken(token: string): void;
  setSwitches(switches: Partial<RailwaySwitches>): void;
  setPlan(plan: RailwayPlan): void;
  setScenario(match: string | RegExp, s: DeploymentScenario): void;
  advance(ms: number): void;
  /** Current emulator clock (ms since epoch). */
  now(): number;
  readonly requests: ReadonlyArray<RailwayRequestLogEntry>;
  clearRequests(): void;
  readonly state: {
    services(projectId?: string): ServiceSnapshot[];
    deployments(serviceId?: string): DeploymentSnapshot[];
  };
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  setRateLimit(limit: number): void;
  readonly plantedSecret: string;
}

export async function startRailwayEmulator(options: RailwayEmulatorOptions = {}): Promise<RailwayEmulator> {
  const now = options.now ?? Date.now;
  const progression = options.progression ?? 'manual';
  const base = now();
  let offset = 0;
  // Manual and poll modes freeze time at start so that only advance() (or a poll) moves anything.
  const clock = progression === 'realtime' ? () => now() + offset : () => base + offset;
  const plantedSecret = `pl4nted_${randomBytes(12).toString('hex')}`;
  const store = new Store(clock, plantedSecret);
  const tokens = new TokenRegistry(clock);
  const faults = new FaultPlan();
  const limiter = new RateLimiter(clock, options.rateLimit ?? 1000);
  if (options.plan !== undefined) limiter.setPlan(options.plan);
  store.switches = { ...store.switches, ...options.switches };
  const log: RailwayRequestLogEntry[] = [];

  const server = startServer({
    schema: loadRailwaySchema(),
    store,
    tokens,
    faults,
    limiter,
    log,
    progression,
    invalidDocumentStatus: options.invalidDocumentStatus ?? 400,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const deploymentSnapshot = (d: DeploymentRec): DeploymentSnapshot => ({
    id: d.id,
    projectId: d.projectId,
    serviceId: d.serviceId,
    environmentId: d.environmentId,
    status: store.status(d),
    createdAt: d.createdAt,
    outcome: d.lifecycle.scenario.outcome,
    meta: structuredClone(d.meta),
  });

  return {
    url: `http://127.0.0.1:${port}${GRAPHQL_PATH}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    addProject(p = {}) {
      const envNames = p.environments ?? ['production'];
      if (envNames.length === 0) throw new Error('a project needs at least one environment');
      const project = store.addProject(p.name ?? 'emulated-project', envNames, p.id);
      const envs = store.projectEnvironments(project.id);
      const environmentIds = Object.fromEntries(envs.map((e) => [e.name, e.id]));
      return { projectId: project.id, environmentId: envs[0]?.id ?? '', environmentIds };
    },
    addToken: (t) => tokens.add(t),
    revokeToken: (token) => tokens.revoke(token),
    setSwitches(switches) {
      store.switches = { ...store.switches, ...switches };
    },
    setPlan: (plan) => limiter.setPlan(plan),
    setScenario: (match, s) => store.setScenario(match, s),
    advance(ms) {
      if (!(ms >= 0)) throw new Error('advance(ms) needs a non-negative number');
      offset += ms;
      store.settle();
    },
    now: clock,
    get requests() {
      return log;
    },
    clearRequests: () => void log.splice(0),
    state: {
      services(projectId) {
        store.settle();
        return [...store.services.values()]
          .filter((s) => !s.deletedAt && (!projectId || s.projectId === projectId))
          .map((s) => ({
            id: s.id,
            projectId: s.projectId,
            name: s.name,
            createdAt: s.createdAt,
            instances: store.serviceInstances(s.id).map((i) => ({
              environmentId: i.environmentId,
              source: i.source ? { ...i.source } : null,
              branch: i.branch,
              variables: { ...i.variables },
            })),
            domains: [...store.domains.values()].filter((d) => d.serviceId === s.id).map((d) => d.domain),
          }));
      },
      deployments(serviceId) {
        store.settle();
        return [...store.deployments.values()]
          .filter((d) => !serviceId || d.serviceId === serviceId)
          .sort((a, b) => a.seq - b.seq)
          .map(deploymentSnapshot);
      },
    },
    injectFault: (f) => faults.inject(f),
    clearFaults: () => faults.clear(),
    setRateLimit(limit) {
      limiter.limit = limit;
      limiter.reset();
    },
    plantedSecret,
  };
}
