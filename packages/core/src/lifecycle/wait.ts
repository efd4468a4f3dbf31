import type { RailwayClient } from '../railway/client.js';
import type { Deployment, DeploymentStatus } from '../railway/types.js';
import type { Logger } from '../logger.js';

/**
 * Statuses after which a deployment will not change by itself. SLEEPING is a healthy app asleep;
 * SKIPPED is a deployment Railway dropped because a GitHub check failed while it waited for CI.
 */
export const SETTLED: ReadonlySet<DeploymentStatus> = new Set([
  'SUCCESS',
  'SLEEPING',
  'FAILED',
  'CRASHED',
  'REMOVED',
  'SKIPPED',
]);

/** Railway holds these until a person approves it: waiting longer only burns the runner's minutes. */
const HELD_FOR_A_PERSON: ReadonlySet<DeploymentStatus> = new Set(['NEEDS_APPROVAL']);

/** A deployment being removed: usually a newer one of the same service replaced it. */
const REPLACED: ReadonlySet<DeploymentStatus> = new Set(['REMOVED', 'REMOVING']);

export interface WaitOptions {
  client: RailwayClient;
  deploymentId: string;
  timeoutMs: number;
  /** First interval between polls; each later one grows by half, up to `maxIntervalMs`. */
  intervalMs: number;
  maxIntervalMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  logger: Logger;
  onStatus?: (status: DeploymentStatus) => void;
  /**
   * The service instance's newest deployment. A deployment that turns REMOVED while it is waited
   * for was usually replaced by a newer one (a redeploy, a variable change, a push), which is then
   * followed instead. Without it a REMOVED deployment simply ends the wait.
   */
  newest?: () => Promise<Deployment | null>;
  /**
   * Polls to keep watching after SUCCESS: an app that crashes on its first requests or right after
   * start-up goes SUCCESS → CRASHED, and reporting it as live would be wrong. Default 2.
   */
  confirmPolls?: number;
}

export interface WaitOutcome {
  /** False when the time ran out first (the deployment may still be WAITING for CI, or building). */
  settled: boolean;
  /** The last deployment followed, as last read. */
  deployment: Deployment;
  polls: number;
  /** Statuses the last deployment followed was seen in, in order: evidence of how far it got. */
  seen: DeploymentStatus[];
  /** Deployments that were replaced while waited for, oldest first. */
  replaced: string[];
}

/** SUCCESS with every instance stopped is an app that exited (Railway's "Completed"), not a live one. */
export function isLive(deployment: Deployment): boolean {
  return (deployment.status === 'SUCCESS' || deployment.status === 'SLEEPING') && !isCompleted(deployment);
}

export function isCompleted(deployment: Deployment): boolean {
  return deployment.status === 'SUCCESS' && deployment.deploymentStopped === true;
}

/**
 * Polls a deployment until it settles or the time runs out. Fast at first (most failures show
 * early), slower as a build goes on, and never faster than the Railway rate-limit budget allows:
 * the client stretches each interval when the remaining budget runs low. A deployment awaiting
 * approval ends the wait at once; one replaced by a newer deployment hands over to that one.
 */
export async function waitForDeployment(options: WaitOptions): Promise<WaitOutcome> {
  const deadline = options.now() + options.timeoutMs;
  let deploymentId = options.deploymentId;
  let interval = options.intervalMs;
  let polls = 0;
  let seen: DeploymentStatus[] = [];
  const replaced: string[] = [];
  let confirmations = 0;
  for (;;) {
    const deployment = await options.client.getDeployment(deploymentId);
    polls++;
    if (deployment.status !== seen.at(-1)) {
      options.logger.info(
        `Deployment ${deployment.id}: ${deployment.status}${isCompleted(deployment) ? ' (stopped: the app exited)' : ''}`,
      );
      options.onStatus?.(deployment.status);
      seen.push(deployment.status);
    }
    const done = (settled: boolean): WaitOutcome => ({ settled, deployment, polls, seen, replaced });

    if (REPLACED.has(deployment.status)) {
      const newer = await newerDeployment(options, deployment, replaced);
      if (newer === undefined) {
        if (deployment.status === 'REMOVED') return done(true);
      } else {
        options.logger.info(
          `Deployment ${deployment.id} was replaced by the newer deployment ${newer.id}; following that one.`,
        );
        replaced.push(deployment.id);
        deploymentId = newer.id;
        seen = [];
        confirmations = 0;
        interval = options.intervalMs;
        continue;
      }
    }
    if (HELD_FOR_A_PERSON.has(deployment.status) || isCompleted(deployment)) return done(true);
    const healthy = isLive(deployment);
    if (healthy && confirmations >= (options.confirmPolls ?? 2)) return done(true);
    if (!healthy && SETTLED.has(deployment.status)) return done(true);
    if (healthy) {
      // Confirm at the first, short interval: a crash on start-up shows within seconds.
      if (confirmations === 0) interval = options.intervalMs;
      confirmations++;
    }
    const wait = options.client.pollDelay(interval);
    // Out of time while confirming a success: it is live as far as anyone can tell.
    if (options.now() + wait > deadline) return done(healthy);
    await options.sleep(wait);
    interval = Math.min(options.maxIntervalMs, Math.round(interval * 1.5));
  }
}

/** The instance's newest deployment when it is not the removed one (nor one already left behind). */
async function newerDeployment(
  options: WaitOptions,
  removed: Deployment,
  replaced: readonly string[],
): Promise<Deployment | undefined> {
  if (options.newest === undefined) return undefined;
  const newest = await options.newest();
  if (newest === null || newest.id === removed.id || replaced.includes(newest.id)) return undefined;
  return newest;
}
