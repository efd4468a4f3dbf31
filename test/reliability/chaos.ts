/**
 * A seeded random run (project issue 10, part 4): issues opened, labeled, closed, reopened,
 * deleted and transferred; jobs re-run, killed, and overlapping with other issues' jobs; faults on
 * both services; deployments that fail or crash. Then a reconcile pass, and the figures that must
 * all be 0: orphans, duplicates, mapping errors, and what a second pass changes.
 *
 * The reconcile pass is what the product offers to converge: every issue's workflow run once more
 * for the state the issue is in (provision and deploy for an open issue, destroy otherwise), then
 * the sweep.
 */
import { prng } from '../support/prng.js';
import { listBindings } from '@trinity/core';
import type { GitHubFault } from '../emulators/github/index.js';
import type { DeploymentOutcome } from '../emulators/railway/types.js';
import type { FaultSpec as RailwayFault } from '../emulators/railway/index.js';
import { GITHUB_FAULTS, RAILWAY_FAULTS } from './fault-matrix.js';
import {
  deploy,
  describeError,
  destroy,
  farmOf,
  FARM_PATH,
  isClearFailure,
  provision,
  servicesOf,
  step,
  sweep,
  threadOf,
  type Job,
  type Stage,
  type World,
} from './world.js';

/** Issues are named by the order they were opened in (slot 0 is the first issue opened). */
export type ChaosEvent =
  | { kind: 'open' }
  | { kind: 'label' | 'close' | 'reopen' | 'delete' | 'transfer' | 'rerun' | 'step'; slot: number }
  | { kind: 'overlap'; slots: [number, number] }
  | { kind: 'kill'; slot: number; afterRequests: number }
  | { kind: 'failing'; slot: number; outcome: DeploymentOutcome }
  | { kind: 'fault'; service: 'github'; operation: string; fault: string }
  | { kind: 'fault'; service: 'railway'; operation: string; fault: string };

const GITHUB_OPERATIONS = [
  'issues/get',
  'graphql/query',
  'graphql/mutation',
  'issues/create-comment',
  'issues/update-comment',
  'issues/list-comments',
  'issues/add-labels',
];
const RAILWAY_OPERATIONS = [
  'ProjectServices',
  'ServiceCreate',
  'Variables',
  'ServiceInstance',
  'Deployment',
  'ServiceDelete',
];
const OUTCOMES: DeploymentOutcome[] = ['healthcheck_fails', 'crashes_after_deploy', 'completes'];

const WEIGHTS: Array<[ChaosEvent['kind'], number]> = [
  ['open', 18],
  ['label', 4],
  ['close', 12],
  ['reopen', 6],
  ['delete', 3],
  ['transfer', 3],
  ['rerun', 10],
  ['step', 7],
  ['overlap', 10],
  ['kill', 7],
  ['failing', 4],
  ['fault', 16],
];

export function generateEvents(seed: number, count: number): ChaosEvent[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const total = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  const events: ChaosEvent[] = [];
  let opened = 0;
  while (events.length < count) {
    let roll = random() * total;
    let kind: ChaosEvent['kind'] = 'open';
    for (const [k, w] of WEIGHTS) {
      roll -= w;
      if (roll < 0) {
        kind = k;
        break;
      }
    }
    if (opened === 0 || (kind === 'overlap' && opened < 2)) kind = 'open';
    const slot = Math.floor(random() * opened);
    switch (kind) {
      case 'open':
        opened++;
        events.push({ kind });
        break;
      case 'overlap': {
        const other = (slot + 1 + Math.floor(random() * (opened - 1))) % opened;
        events.push({ kind, slots: [slot, other] });
        break;
      }
      case 'kill':
        events.push({ kind, slot, afterRequests: 1 + Math.floor(random() * 25) });
        break;
      case 'failing':
        events.push({ kind, slot, outcome: pick(OUTCOMES) });
        break;
      case 'fault':
        events.push(
          random() < 0.5
            ? {
                kind,
                service: 'github',
                operation: pick(GITHUB_OPERATIONS),
                fault: pick(Object.keys(GITHUB_FAULTS)),
              }
            : {
                kind,
                service: 'railway',
                operation: pick(RAILWAY_OPERATIONS),
                fault: pick(Object.keys(RAILWAY_FAULTS).filter((f) => f !== 'timeout after acting')),
              },
        );
        break;
      default:
        events.push({ kind, slot });
    }
  }
  return events;
}

export function formatEvent(event: ChaosEvent): string {
  switch (event.kind) {
    case 'open':
      return 'open';
    case 'overlap':
      return `overlap #${event.slots[0]} #${event.slots[1]}`;
    case 'kill':
      return `kill #${event.slot} after ${event.afterRequests} requests`;
    case 'failing':
      return `failing #${event.slot} ${event.outcome}`;
    case 'fault':
      return `fault ${event.service} ${event.operation} ${event.fault}`;
    default:
      return `${event.kind} #${event.slot}`;
  }
}

class Killed extends Error {
  override readonly name = 'Killed';
}

interface IssueSlot {
  number: number;
  gone: 'deleted' | 'transferred' | undefined;
}

export interface ChaosReport {
  seed: number;
  mode: ReconcileMode;
  events: ChaosEvent[];
  jobs: number;
  failedJobs: number;
  /** Failures that were neither a kill nor a clear (typed) error. */
  unclearFailures: string[];
  orphans: string[];
  duplicates: string[];
  mappingErrors: string[];
  secondPassChanges: string[];
}

export function chaosFailed(report: ChaosReport): boolean {
  return (
    report.orphans.length +
      report.duplicates.length +
      report.mappingErrors.length +
      report.secondPassChanges.length >
    0
  );
}

/**
 * `jobs-then-sweep` (default): each issue's workflow re-run for its state, then the sweep.
 * `sweep`: the sweep alone, which today neither provisions an open issue whose runs all failed nor
 * deletes a service no mapping row names (see docs/RELIABILITY.md, "Chaos").
 */
export type ReconcileMode = 'jobs-then-sweep' | 'sweep';

export async function runChaos(
  world: World,
  seed: number,
  count: number,
  mode: ReconcileMode = 'jobs-then-sweep',
): Promise<ChaosReport> {
  const events = generateEvents(seed, count);
  const stage = world.stage({ accounts: 2 });
  const elsewhere = `${stage.fullName}-elsewhere`;
  world.github.createRepo(elsewhere, { files: { 'README.md': '# elsewhere\n' } });
  const slots: IssueSlot[] = [];
  const lastJob = new Map<number, () => Promise<unknown>>();
  const report: ChaosReport = {
    seed,
    mode,
    events,
    jobs: 0,
    failedJobs: 0,
    unclearFailures: [],
    orphans: [],
    duplicates: [],
    mappingErrors: [],
    secondPassChanges: [],
  };
  let runs = 0;

  const record = async (label: string, job: () => Promise<unknown>) => {
    report.jobs++;
    try {
      await job();
    } catch (error) {
      report.failedJobs++;
      if (!(error instanceof Killed) && !isClearFailure(error))
        report.unclearFailures.push(`${label}: ${describeError(error)}`);
    }
  };
  /** The job an issue's state calls for: provision then deploy when open, destroy otherwise. */
  const jobFor = (slot: IssueSlot, job?: Job) => {
    const runId = String(9000 + ++runs);
    const state = world.github.repo(stage.fullName).issue(slot.number);
    if (slot.gone === undefined && state?.state === 'open') {
      return async () => {
        const provisioned = await provision(stage, slot.number, runId, job);
        if (provisioned.outputs['service-id'] !== '') await deploy(stage, slot.number, runId, job);
      };
    }
    return () => destroy(stage, slot.number, runId, job);
  };
  const trigger = async (slot: IssueSlot, label: string, job?: Job) => {
    const run = jobFor(slot, job);
    lastJob.set(slot.number, run);
    await record(label, run);
  };
  const slotAt = (i: number): IssueSlot => slots[i] as IssueSlot;

  for (const event of events) {
    // Time passes between events: deployments progress, rate-limit windows move.
    world.clock.now += 30_000;
    world.railway.advance(30_000);
    switch (event.kind) {
      case 'open': {
        const number = stage.openIssue(`chaos ${slots.length}`);
        const slot = { number, gone: undefined };
        slots.push(slot);
        await trigger(slot, `open #${number}`);
        break;
      }
      case 'label':
        await trigger(slotAt(event.slot), `label #${event.slot}`);
        break;
      case 'close':
      case 'reopen': {
        const slot = slotAt(event.slot);
        if (slot.gone === undefined)
          world.github.setIssueState(stage.fullName, slot.number, event.kind === 'close' ? 'closed' : 'open');
        await trigger(slot, `${event.kind} #${event.slot}`);
        break;
      }
      case 'delete':
      case 'transfer': {
        const slot = slotAt(event.slot);
        if (slot.gone === undefined) {
          if (event.kind === 'delete') world.github.deleteIssue(stage.fullName, slot.number);
          else world.github.transferIssue(stage.fullName, slot.number, elsewhere);
          slot.gone = event.kind === 'delete' ? 'deleted' : 'transferred';
        }
        await trigger(slot, `${event.kind} #${event.slot}`);
        break;
      }
      case 'rerun': {
        const slot = slotAt(event.slot);
        const again = lastJob.get(slot.number);
        if (again !== undefined) await record(`rerun #${event.slot}`, again);
        break;
      }
      case 'step': {
        const slot = slotAt(event.slot);
        if (slot.gone === undefined)
          await record(`step #${event.slot}`, () =>
            step(stage, slot.number, `step at event ${runs}`, String(9000 + ++runs)),
          );
        break;
      }
      case 'overlap': {
        const [a, b] = event.slots.map(slotAt) as [IssueSlot, IssueSlot];
        const runA = jobFor(a);
        const runB = jobFor(b);
        lastJob.set(a.number, runA);
        lastJob.set(b.number, runB);
        await Promise.all([record(`overlap #${a.number}`, runA), record(`overlap #${b.number}`, runB)]);
        break;
      }
      case 'kill':
        await trigger(slotAt(event.slot), `kill #${event.slot}`, killedJob(stage, event.afterRequests));
        break;
      case 'failing': {
        const slot = slotAt(event.slot);
        world.railway.setScenario(new RegExp(`^issue-${slot.number}$`), {
          outcome: event.outcome,
          crashAfterMs: 20_000,
        });
        await trigger(slot, `failing #${event.slot}`);
        break;
      }
      case 'fault':
        if (event.service === 'github') {
          const fault = GITHUB_FAULTS[event.fault] as Omit<GitHubFault, 'operationId'>;
          world.github.injectFault({ ...fault, operationId: event.operation });
        } else {
          const fault = RAILWAY_FAULTS[event.fault] as Omit<RailwayFault, 'operation'>;
          world.railway.injectFault({ ...fault, operation: event.operation });
        }
        break;
    }
  }
  // Faults not yet fired are not part of the reconcile passes.
  world.github.clearFaults();
  world.railway.clearFaults();

  const reconcile = async () => {
    if (mode === 'jobs-then-sweep')
      for (const slot of slots) await record(`reconcile #${slot.number}`, jobFor(slot));
    await record('sweep', () => sweep(stage, String(9000 + ++runs)));
  };
  await reconcile();
  const before = snapshot(world, stage, slots);
  check(world, stage, slots, report);
  await reconcile();
  const after = snapshot(world, stage, slots);
  for (const [what, value] of Object.entries(before))
    if (after[what] !== value) report.secondPassChanges.push(`${what}: ${value} → ${after[what]}`);
  return report;
}

/**
 * A job that dies after `afterRequests` requests, as a runner killed mid-step: every later request
 * to GitHub or Railway throws, so nothing after that point happens.
 */
function killedJob(stage: Stage, afterRequests: number): Job {
  let left = afterRequests;
  const spend = () => {
    if (--left < 0) throw new Killed(`killed after ${afterRequests} requests`);
  };
  const octokit = stage.newOctokit();
  octokit.hook.before('request', spend);
  const railwayFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    spend();
    return fetch(input, init);
  }) as typeof fetch;
  return { context: stage.context(undefined, octokit), accounts: stage.accounts(railwayFetch) };
}

/** What a second pass must not change. */
function snapshot(world: World, stage: Stage, slots: readonly IssueSlot[]): Record<string, string> {
  const comments = slots
    .filter((s) => s.gone === undefined)
    .map((s) =>
      world.github
        .repo(stage.fullName)
        .comments(s.number)
        .map((c) => `${c.id}:${c.body.length}`),
    )
    .join(',');
  return {
    'live services': servicesOf(world, stage)
      .map((s) => s.id)
      .sort()
      .join(','),
    'mapping file': world.github.repo(stage.fullName).readFile(FARM_PATH) ?? '',
    comments,
  };
}

function check(world: World, stage: Stage, slots: readonly IssueSlot[], report: ChaosReport): void {
  const live = servicesOf(world, stage);
  let farm;
  try {
    farm = farmOf(world, stage);
  } catch (error) {
    report.mappingErrors.push(`mapping invalid: ${describeError(error)}`);
  }
  const bindings = farm === undefined ? [] : listBindings(farm);
  const isOpen = (slot: IssueSlot | undefined) =>
    slot !== undefined &&
    slot.gone === undefined &&
    world.github.repo(stage.fullName).issue(slot.number)?.state === 'open';
  const slotOf = (name: string) => slots.find((s) => `issue-${s.number}` === name);

  for (const service of live) {
    const slot = slotOf(service.name);
    if (!isOpen(slot))
      report.orphans.push(`service ${service.name} (${service.id}) is live, its issue is not open`);
    else if (!bindings.some((row) => row.service_id === service.id))
      report.orphans.push(`service ${service.name} (${service.id}) is live with no mapping row`);
  }
  for (const slot of slots.filter(isOpen)) {
    const mine = live.filter((s) => s.name === `issue-${slot.number}`);
    if (mine.length !== 1) report.orphans.push(`open issue #${slot.number} has ${mine.length} services`);
  }
  const names = live.map((s) => s.name);
  for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i)))
    report.duplicates.push(`service ${name} is live twice`);
  for (const slot of slots.filter((s) => s.gone === undefined)) {
    const thread = threadOf(world, stage, slot.number);
    if (thread.statusComments > 1)
      report.duplicates.push(`issue #${slot.number}: ${thread.statusComments} status comments`);
    for (const key of new Set(thread.duplicateKeys))
      report.duplicates.push(`issue #${slot.number}: event ${key} twice`);
  }
  for (const row of bindings) {
    if (!live.some((s) => s.id === row.service_id))
      report.mappingErrors.push(`row of #${row.issue} binds ${row.service_id}, which is not live`);
  }
  const issues = bindings.map((row) => row.issue);
  for (const issue of new Set(issues.filter((n, i) => issues.indexOf(n) !== i)))
    report.mappingErrors.push(`issue #${issue} is bound twice`);
  for (const [i, project] of stage.projects.entries()) {
    const counted = farm?.accounts.find((a) => a.account_id === i + 1)?.active_services ?? 0;
    const onRailway = live.filter((s) => s.projectId === project.projectId).length;
    if (counted !== onRailway)
      report.mappingErrors.push(
        `account ${i + 1}: the mapping counts ${counted} live sandboxes, Railway holds ${onRailway}`,
      );
  }
}

export function formatReport(report: ChaosReport): string {
  const lines = [
    `Chaos seed ${report.seed}, ${report.events.length} events: ${report.jobs} jobs run, ${report.failedJobs} failed along the way` +
      ` (${report.unclearFailures.length} with an unclear error)`,
    `orphans ${report.orphans.length}, duplicates ${report.duplicates.length}, mapping errors ${report.mappingErrors.length}, ` +
      `second pass changes ${report.secondPassChanges.length}`,
    ...[
      ...report.orphans,
      ...report.duplicates,
      ...report.mappingErrors,
      ...report.secondPassChanges,
      ...report.unclearFailures,
    ].map((line) => `  ${line}`),
  ];
  if (chaosFailed(report)) {
    lines.push(
      `To reproduce: npm run test:chaos -- --seed ${report.seed} --events ${report.events.length}` +
        (report.mode === 'sweep' ? ' --reconcile sweep' : ''),
    );
    lines.push('Events:', ...report.events.map((e, i) => `  ${i + 1}. ${formatEvent(e)}`));
  }
  return lines.join('\n');
}
