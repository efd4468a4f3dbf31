/**
 * The issue's story, as a user lives it: the issue is opened (provision), its sandbox deployed,
 * a step journaled, the issue closed (destroy). A step that fails is run again, as a person
 * re-runs a failed job, up to `RERUNS` times. The verdict checks what must hold whatever happened:
 * no service or deployment twice, no comment twice, the mapping valid and naming the service.
 */
import {
  describeError,
  deploy,
  destroy,
  farmOf,
  isClearFailure,
  provision,
  servicesOf,
  step,
  threadOf,
  type Stage,
  type World,
} from './world.js';

export const RERUNS = 2;

export type Verdict = 'completed' | 'stopped' | 'FAILED';

export interface StoryResult {
  verdict: Verdict;
  /** Why a cell stopped or failed: the error, or the broken invariant. */
  notes: string[];
  /** Steps that failed at least once and were run again. */
  reruns: number;
  /** Each failure a re-run followed: the step and the error the person saw. */
  failures: string[];
}

const EVENTS = [
  'sandbox_created',
  'deployment_started',
  'deployment_succeeded',
  'step_completed',
  'sandbox_destroyed',
];

export async function runStory(world: World, stage: Stage): Promise<StoryResult> {
  const issue = stage.openIssue();
  const notes: string[] = [];
  let reruns = 0;
  const failures: string[] = [];
  let stopped = false;
  let crashed = false;

  /** Runs a step, re-running it when it fails; false when it never succeeded. */
  const attempt = async (name: string, run: () => Promise<unknown>): Promise<boolean> => {
    for (let i = 0; i <= RERUNS; i++) {
      try {
        await run();
        return true;
      } catch (error) {
        if (!isClearFailure(error)) {
          crashed = true;
          notes.push(`${name}: unclear failure ${describeError(error)}`);
        }
        if (i < RERUNS) {
          reruns++;
          failures.push(`${name}: ${describeError(error)}`);
        } else notes.push(`${name} failed ${RERUNS + 1} times: ${describeError(error)}`);
      }
      // A person re-runs a failed job a little later.
      world.clock.now += 60_000;
      world.railway.advance(60_000);
    }
    stopped = true;
    return false;
  };

  // A re-run keeps its run's id (GitHub bumps only the attempt), so the journal step's key is stable.
  const done =
    (await attempt('provision', () => provision(stage, issue))) &&
    (await attempt('deploy', () => deploy(stage, issue))) &&
    (await attempt('step', () => step(stage, issue, 'Ran the test suite: 42 passed'))) &&
    (await (async () => {
      const live = servicesOf(world, stage);
      if (live.length !== 1) notes.push(`before destroy: ${live.length} live services, not 1`);
      world.github.setIssueState(stage.fullName, issue, 'closed');
      return attempt('destroy', () => destroy(stage, issue));
    })());

  const broken = invariants(world, stage, issue, done);
  notes.push(...broken);
  const verdict: Verdict = crashed || broken.length > 0 ? 'FAILED' : stopped ? 'stopped' : 'completed';
  return { verdict, notes, reruns, failures };
}

/** What must hold in every cell, whether the story completed or stopped. */
function invariants(world: World, stage: Stage, issue: number, completed: boolean): string[] {
  const broken: string[] = [];
  const projectIds = new Set(stage.projects.map((p) => p.projectId));
  const deployments = world.railway.state.deployments().filter((d) => projectIds.has(d.projectId));
  const servicesEver = new Set(deployments.map((d) => d.serviceId));
  // Each service created from an image starts one deployment; the story never asks for another.
  if (servicesEver.size > 1) broken.push(`${servicesEver.size} services created`);
  if (deployments.length > 1) broken.push(`${deployments.length} deployments`);
  let farm;
  try {
    farm = farmOf(world, stage);
  } catch (error) {
    broken.push(`mapping invalid: ${describeError(error)}`);
  }
  const rows = farm?.agent_map.filter((row) => row.issue === issue && row.service_id !== '') ?? [];
  const live = servicesOf(world, stage);
  for (const service of live) {
    if (!rows.some((row) => row.service_id === service.id && row.status !== 'destroyed'))
      broken.push(`service ${service.name} is live without a live mapping row`);
  }
  for (const id of servicesEver) {
    if (!rows.some((row) => row.service_id === id) && !live.some((s) => s.id === id) && completed)
      broken.push(`service ${id} left no mapping row`);
  }
  if (rows.length > 1) broken.push(`${rows.length} mapping rows for the issue`);
  const thread = threadOf(world, stage, issue);
  if (thread.duplicateKeys.length > 0)
    broken.push(`comments posted twice: ${thread.duplicateKeys.join(', ')}`);
  if (thread.statusComments > 1) broken.push(`${thread.statusComments} status comments`);
  if (completed) {
    if (live.length > 0) broken.push(`${live.length} services live after destroy`);
    if (rows[0]?.status !== 'destroyed')
      broken.push(`the row says ${rows[0]?.status ?? 'nothing'}, not destroyed`);
    for (const type of EVENTS) {
      const n = thread.types.filter((t) => t === type).length;
      if (n !== 1) broken.push(`${n} ${type} comments`);
    }
  }
  return broken;
}
