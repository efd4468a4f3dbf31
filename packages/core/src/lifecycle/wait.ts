import type { RailwayClient } from '../railway/client.js';
import type { Deployment, DeploymentStatus } from '../railway/types.js';
import type { Logger } from '../logger.js';

/** Statuses after which a deployment will not change by itself. SLEEPING is a healthy app asleep. */
export const SETTLED: ReadonlySet<DeploymentStatus> = new Set([
  'SUCCESS',
  'SLEEPING',
  'FAILED',
  'CRASHED',
  'REMOVED',
  'SKIPPED',
]);

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
   * Polls to keep watching after SUCCESS: an app that crashes on its first requests or right after
   * start-up goes SUCCESS → CRASHED, and reporting it as live would be wrong. Default 2.
   */
  confirmPolls?: number;
}

export type WaitOutcome =
  | { settled: true; deployment: Deployment; polls: number }
  | { settled: false; deployment: Deployment; polls: number };

/**
 * Polls a deployment until it settles or the time runs out. Fast at first (most failures show
 * early), slower as a build goes on, and never faster than the Railway rate-limit budget allows:
 * the client stretches each interval when the remaining budget runs low.
 */
export async function waitForDeployment(options: WaitOptions): Promise<WaitOutcome> {
  const deadline = options.now() + options.timeoutMs;
  let interval = options.intervalMs;
  let polls = 0;
  let last: DeploymentStatus | undefined;
  let confirmations = 0;
  for (;;) {
    const deployment = await options.client.getDeployment(options.deploymentId);
    polls++;
    if (deployment.status !== last) {
      options.logger.info(`Deployment ${deployment.id}: ${deployment.status}`);
      options.onStatus?.(deployment.status);
      last = deployment.status;
    }
    const healthy = deployment.status === 'SUCCESS' || deployment.status === 'SLEEPING';
    if (healthy && confirmations >= (options.confirmPolls ?? 2)) return { settled: true, deployment, polls };
    if (!healthy && SETTLED.has(deployment.status)) return { settled: true, deployment, polls };
    if (healthy) {
      // Confirm at the first, short interval: a crash on start-up shows within seconds.
      if (confirmations === 0) interval = options.intervalMs;
      confirmations++;
    }
    const wait = options.client.pollDelay(interval);
    // Out of time while confirming a success: it is live as far as anyone can tell.
    if (options.now() + wait > deadline) return { settled: healthy, deployment, polls };
    await options.sleep(wait);
    interval = Math.min(options.maxIntervalMs, Math.round(interval * 1.5));
  }
}
