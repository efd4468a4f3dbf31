import type { SandboxStatus } from '../farm/types.js';
import type { Logger } from '../logger.js';
import { redactText } from '../journal/sanitize.js';
import type { Deployment, DeploymentStatus, LogLine } from '../railway/types.js';
import type { RailwayTarget } from './railway-target.js';
import { createDomain } from './unanswered.js';
import { isCompleted, isLive } from './wait.js';

export type OutcomeType =
  'deployment_succeeded' | 'build_failed' | 'deployment_failed' | 'deployment_waiting';

export interface Outcome {
  type: OutcomeType;
  status: SandboxStatus;
  url: string | undefined;
  logTail: string[];
}

/** Statuses a deployment can get past only after its build succeeded. */
const PAST_THE_BUILD: ReadonlySet<DeploymentStatus> = new Set([
  'DEPLOYING',
  'SUCCESS',
  'SLEEPING',
  'CRASHED',
]);

/**
 * Railway's FAILED covers a failed build and a failed deploy alike (a healthcheck that never passed
 * is FAILED too), and its own CLI does not tell them apart (docs/railway.md, "Deployment statuses", cites both). So a build
 * failure is claimed only with evidence: the deployment was never seen past the build, it wrote no
 * deploy log (its container never started), and its build log has lines. Anything else is a
 * deployment failure.
 */
export function buildFailed(evidence: {
  status: DeploymentStatus;
  seen: readonly DeploymentStatus[];
  buildLines: number;
  deployLines: number;
}): boolean {
  return (
    evidence.status === 'FAILED' &&
    !evidence.seen.some((status) => PAST_THE_BUILD.has(status)) &&
    evidence.deployLines === 0 &&
    evidence.buildLines > 0
  );
}

export interface OutcomeInput {
  railway: RailwayTarget;
  serviceId: string;
  deployment: Deployment;
  /** Statuses the deployment was seen in while it was waited for. */
  seen: readonly DeploymentStatus[];
  /** `log-lines`: the tail shows at most this many lines. */
  logLines: number;
  secrets: readonly string[];
  logger: Logger;
}

/**
 * What a settled (or held) deployment means for the sandbox. A live one gets a public domain if it
 * has none; a failed one brings the tail of the log that holds the failure.
 */
export async function describeOutcome(input: OutcomeInput): Promise<Outcome> {
  const { railway, deployment, logLines, secrets } = input;
  const tail = (lines: LogLine[]): string[] =>
    // Railway answers `limit + 1` lines (its CLI trims the extra one): keep the newest `logLines`.
    lines.slice(-logLines).map((line) => redactText(line.message, { secrets }));

  if (isLive(deployment)) {
    return { type: 'deployment_succeeded', status: 'live', url: await publicUrl(input), logTail: [] };
  }
  switch (deployment.status) {
    case 'WAITING':
    case 'NEEDS_APPROVAL':
      return { type: 'deployment_waiting', status: 'deploying', url: undefined, logTail: [] };
    // Nothing was built or run: the reason is a GitHub check (SKIPPED) or a removal, not a log.
    case 'SKIPPED':
    case 'REMOVED':
      return { type: 'deployment_failed', status: 'failed', url: undefined, logTail: [] };
    default:
      break;
  }
  const deployLog = await railway.client.deploymentLogs(deployment.id, logLines);
  if (isCompleted(deployment) || deployment.status !== 'FAILED') {
    return { type: 'deployment_failed', status: 'failed', url: undefined, logTail: tail(deployLog) };
  }
  const buildLog = await railway.client.buildLogs(deployment.id, logLines);
  const build = buildFailed({
    status: deployment.status,
    seen: input.seen,
    buildLines: buildLog.length,
    deployLines: deployLog.length,
  });
  return {
    type: build ? 'build_failed' : 'deployment_failed',
    status: 'failed',
    url: undefined,
    // The log that holds the failure: the deploy log once the container ran, else the build log.
    logTail: tail(build || deployLog.length === 0 ? buildLog : deployLog),
  };
}

async function publicUrl(input: OutcomeInput): Promise<string | undefined> {
  const { railway, serviceId, deployment } = input;
  let url = deployment.staticUrl ?? undefined;
  if (url === undefined) {
    const instance = await railway.client.getServiceInstance(serviceId, railway.environmentId);
    url = instance.domains[0]?.domain ?? (await createDomain(railway, serviceId, input.logger))?.domain;
  }
  if (url === undefined) return undefined;
  return url.startsWith('http') ? url : `https://${url}`;
}
