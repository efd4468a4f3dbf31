import { randomBytes, randomUUID } from 'node:crypto';
import { buildLifecycle, phaseIndexAt } from './deployments.js';
import type {
  DeploymentRec,
  DomainRec,
  EnvironmentRec,
  InstanceRec,
  ProjectRec,
  ServiceCreate,
  ServiceRec,
} from './records.js';
import { DEFAULT_SWITCHES } from './types.js';
import type { DeploymentScenario, DeploymentStatus, RailwaySwitches } from './types.js';

export type {
  DeploymentRec,
  DomainRec,
  EnvironmentRec,
  InstanceRec,
  ProjectRec,
  ServiceCreate,
  ServiceRec,
  SourceRec,
} from './records.js';

/** Errors whose message (and extensions) reach the client unchanged, as a GraphQL error. */
export class RailwayError extends Error {
  constructor(
    message: string,
    readonly extensions: Record<string, unknown> = { code: 'INTERNAL_SERVER_ERROR' },
  ) {
    super(message);
  }
}

/** Railway names at most 32 characters (README, behaviour → source). */
export const MAX_SERVICE_NAME_LENGTH = 32;

export class Store {
  readonly projects = new Map<string, ProjectRec>();
  readonly environments = new Map<string, EnvironmentRec>();
  readonly services = new Map<string, ServiceRec>();
  readonly instances = new Map<string, InstanceRec>();
  readonly deployments = new Map<string, DeploymentRec>();
  readonly domains = new Map<string, DomainRec>();
  /** Shared (environment-level) variables, keyed by environment id. */
  readonly sharedVariables = new Map<string, Record<string, string>>();
  private readonly scenarios: { match: string | RegExp; scenario: DeploymentScenario }[] = [];
  switches: RailwaySwitches = { ...DEFAULT_SWITCHES };
  private seq = 0;

  constructor(
    readonly clock: () => number,
    readonly plantedSecret: string,
  ) {}

  setScenario(match: string | RegExp, scenario: DeploymentScenario): void {
    this.scenarios.push({ match, scenario });
  }

  private scenarioFor(serviceName: string): DeploymentScenario | undefined {
    // The most recent matching setScenario wins, so a test can override an earlier catch-all.
    for (let i = this.scenarios.length - 1; i >= 0; i--) {
      const { match, scenario } = this.scenarios[i] ?? { match: '', scenario: undefined };
      if (typeof match === 'string' ? match === serviceName : match.test(serviceName)) return scenario;
    }
    return undefined;
  }

  addProject(name: string, envNames: string[], id: string = randomUUID()): ProjectRec {
    if (this.projects.has(id)) throw new RailwayError(`Project ${id} already exists`);
    const now = this.clock();
    const project = { id, name, createdAt: now, updatedAt: now };
    this.projects.set(project.id, project);
    for (const env of envNames) this.addEnvironment(project.id, env, false);
    return project;
  }

  addEnvironment(projectId: string, name: string, isEphemeral: boolean): EnvironmentRec {
    if (this.projectEnvironments(projectId).some((e) => e.name === name)) {
      throw new RailwayError(`Environment with name "${name}" already exists`);
    }
    const now = this.clock();
    const env = { id: randomUUID(), projectId, name, isEphemeral, createdAt: now, updatedAt: now };
    this.environments.set(env.id, env);
    return env;
  }

  projectEnvironments(projectId: string): EnvironmentRec[] {
    return [...this.environments.values()].filter((e) => e.projectId === projectId && !e.deletedAt);
  }

  projectServices(projectId: string): ServiceRec[] {
    return [...this.services.values()].filter((s) => s.projectId === projectId && !s.deletedAt);
  }

  liveService(id: string): ServiceRec | undefined {
    const s = this.services.get(id);
    return s && !s.deletedAt ? s : undefined;
  }

  instance(serviceId: string, environmentId: string): InstanceRec | undefined {
    return [...this.instances.values()].find(
      (i) => i.serviceId === serviceId && i.environmentId === environmentId,
    );
  }

  serviceInstances(serviceId: string): InstanceRec[] {
    return [...this.instances.values()].filter((i) => i.serviceId === serviceId);
  }

  createService(input: ServiceCreate): { service: ServiceRec; deployments: DeploymentRec[] } {
    const name = input.name ?? `service-${randomBytes(3).toString('hex')}`;
    if (name.length > MAX_SERVICE_NAME_LENGTH) {
      // The limit is documented; this wording is not.
      throw new RailwayError(`Service name must be at most ${MAX_SERVICE_NAME_LENGTH} characters`, {
        code: 'BAD_USER_INPUT',
      });
    }
    if (this.projectServices(input.projectId).some((s) => s.name === name)) {
      throw new RailwayError(
        this.switches.duplicateName === 'unique'
          ? 'Service name must be unique within a project'
          : `A service named "${name}" already exists in this project`,
        { code: 'BAD_USER_INPUT' },
      );
    }
    const now = this.clock();
    const service: ServiceRec = {
      id: randomUUID(),
      projectId: input.projectId,
      name,
      icon: input.icon ?? null,
      createdAt: now,
      updatedAt: now,
    };
    this.services.set(service.id, service);
    // Forks are not modelled, so environmentId never narrows creation: Railway creates the service
    // in every environment that is not a fork, and the first build must already see the variables.
    const deployments: DeploymentRec[] = [];
    for (const env of this.projectEnvironments(input.projectId)) {
      const inst: InstanceRec = {
        id: randomUUID(),
        serviceId: service.id,
        environmentId: env.id,
        source: input.source && (input.source.image || input.source.repo) ? { ...input.source } : null,
        branch: input.branch ?? null,
        variables: { ...(input.variables ?? {}) },
        createdAt: now,
        updatedAt: now,
      };
      this.instances.set(inst.id, inst);
      if (inst.source) deployments.push(this.deploy(service.id, env.id, { reason: 'deploy' }));
    }
    return { service, deployments };
  }

  deploy(serviceId: string, environmentId: string, meta: Record<string, unknown>): DeploymentRec {
    const service = this.liveService(serviceId);
    const inst = this.instance(serviceId, environmentId);
    if (!service || !inst) throw new RailwayError('Service instance not found');
    // A service without a source has nothing to build; Railway refuses rather than queueing.
    if (!inst.source) throw new RailwayError('Service instance has no source to deploy');
    const now = this.clock();
    const source = inst.source.image ?? `${inst.source.repo ?? ''}@${inst.branch ?? 'main'}`;
    const dep: DeploymentRec = {
      id: randomUUID(),
      seq: ++this.seq,
      projectId: service.projectId,
      serviceId,
      environmentId,
      createdAt: now,
      updatedAt: now,
      statusUpdatedAt: now,
      lifecycle: buildLifecycle(this.scenarioFor(service.name), {
        serviceName: service.name,
        source,
        image: Boolean(inst.source.image),
        plantedSecret: this.plantedSecret,
      }),
      phaseIndex: 0,
      removed: false,
      bonusMs: 0,
      meta: {
        ...meta,
        ...(inst.source.image ? { image: inst.source.image } : {}),
        ...(inst.source.repo ? { repo: inst.source.repo, branch: inst.branch ?? 'main' } : {}),
      },
    };
    this.deployments.set(dep.id, dep);
    return dep;
  }

  deleteService(id: string): void {
    const service = this.liveService(id);
    // Railway answers an unknown id with an error rather than a silent `true`: `Not Authorized`
    // was seen; `Service not found` is the other plausible answer (a switch).
    if (!service) {
      throw new RailwayError(
        this.switches.unknownServiceDelete === 'not_found' ? 'Service not found' : 'Not Authorized',
      );
    }
    const now = this.clock();
    service.deletedAt = now;
    for (const inst of this.serviceInstances(id)) this.instances.delete(inst.id);
    for (const d of this.deployments.values()) if (d.serviceId === id) this.remove(d);
    for (const dom of [...this.domains.values()]) if (dom.serviceId === id) this.domains.delete(dom.id);
  }

  createDomain(serviceId: string, environmentId: string, targetPort: number | null): DomainRec {
    const service = this.liveService(serviceId);
    if (!service || !this.instance(serviceId, environmentId)) throw new RailwayError('Service not found');
    const dom: DomainRec = {
      id: randomUUID(),
      projectId: service.projectId,
      serviceId,
      environmentId,
      domain: `${service.name}-${randomBytes(3).toString('hex')}.up.railway.app`,
      targetPort,
      createdAt: this.clock(),
    };
    this.domains.set(dom.id, dom);
    return dom;
  }

  instanceDomains(serviceId: string, environmentId: string): DomainRec[] {
    return [...this.domains.values()].filter(
      (d) => d.serviceId === serviceId && d.environmentId === environmentId,
    );
  }

  status(d: DeploymentRec): DeploymentStatus {
    if (d.removed) return 'REMOVED';
    return d.lifecycle.phases[d.phaseIndex]?.status ?? 'INITIALIZING';
  }

  /** `Deployment.deploymentStopped`: the app exited (a removed deployment keeps what it had). */
  stopped(d: DeploymentRec): boolean {
    return d.lifecycle.phases[d.phaseIndex]?.stopped === true;
  }

  elapsed(d: DeploymentRec): number {
    return d.frozenElapsed ?? this.clock() - d.createdAt + d.bonusMs;
  }

  remove(d: DeploymentRec): void {
    if (d.removed) return;
    d.frozenElapsed = this.elapsed(d);
    d.removed = true;
    d.statusUpdatedAt = d.updatedAt = this.clock();
  }

  /** Brings every deployment up to the clock, in creation order so supersession is deterministic. */
  settle(): void {
    const all = [...this.deployments.values()].sort((a, b) => a.seq - b.seq);
    for (const d of all) {
      if (d.removed) continue;
      const target = phaseIndexAt(d.lifecycle.phases, this.elapsed(d));
      while (d.phaseIndex < target) {
        d.phaseIndex++;
        const phase = d.lifecycle.phases[d.phaseIndex];
        d.statusUpdatedAt = d.updatedAt = d.createdAt + (phase?.at ?? 0);
        if (phase?.status === 'SUCCESS') this.supersede(d);
        if (d.removed) break;
      }
    }
  }

  /** Only one deployment of a service instance is live: the newest successful one. */
  private supersede(d: DeploymentRec): void {
    for (const other of this.deployments.values()) {
      if (other === d || other.removed || other.serviceId !== d.serviceId) continue;
      if (other.environmentId !== d.environmentId || this.status(other) !== 'SUCCESS') continue;
      this.remove(other.seq < d.seq ? other : d);
      if (d.removed) return;
    }
  }

  /** Poll mode: move one state forward, as if exactly the time to the next phase had passed. */
  step(d: DeploymentRec): void {
    if (d.removed) return;
    const next = d.lifecycle.phases[d.phaseIndex + 1];
    if (!next) return;
    d.bonusMs += Math.max(0, next.at - this.elapsed(d));
    this.settle();
  }

  latestDeployment(serviceId: string, environmentId: string): DeploymentRec | undefined {
    let latest: DeploymentRec | undefined;
    for (const d of this.deployments.values()) {
      if (d.serviceId === serviceId && d.environmentId === environmentId && (!latest || d.seq > latest.seq)) {
        latest = d;
      }
    }
    return latest;
  }
}
