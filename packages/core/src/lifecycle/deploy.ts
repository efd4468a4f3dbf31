// deploy-sandbox: start or adopt a deployment, wait, judge and report it (docs/RELIABILITY.md, 'Order
// of effects'). About 310 lines, on purpose: the wait and its outcomes form one sequence; messages
// live in deploy-messages.ts, the outcome rules in outcome.ts.
import { statusViewFromRow } from '../journal/status-view.js';
import { UserError } from '../errors.js';
import { findBinding } from '../farm/mapping.js';
import type { FarmRow } from '../farm/types.js';
import type { DeploymentMirror } from '../github/deployments.js';
import { readIssueState } from '../github/issue-state.js';
import { readRunSnapshot, withSnapshot } from './snapshot.js';
import type { JournalEvent } from '../journal/event.js';
import type { Deployment } from '../railway/types.js';
import type { DeploySettings } from '../settings/actions.js';
import { readFarm, type LifecycleContext } from './context.js';
import { FailedWithResult, type LifecycleResult } from './result.js';
import { withServiceSecrets } from './service-secrets.js';
import type { RailwayAccounts } from './accounts.js';
import { describeOutcome } from './outcome.js';
import { publishAndCommit, updateBinding } from './record.js';
import { startDeployment } from './unanswered.js';
import { adoptedRow, findUnrecordedService, recordAdoption } from './unrecorded.js';
import { isLive, isCompleted, SETTLED, waitForDeployment } from './wait.js';
import { deployResult, failureMessage, whatHappened } from './deploy-messages.js';

export interface DeployHooks {
  /** Called when the issue turned out to be closed: the caller destroys the sandbox. */
  onIssueGone: () => Promise<LifecycleResult>;
  /** Mirrors the deployment as a GitHub deployment (`github-deployments`); absent: not mirrored. */
  mirror?: DeploymentMirror;
}

/**
 * The longest wait between two status reads. Railway's Hobby plan allows 1,000 requests an hour for
 * all of an account's work, so a 30-minute build is followed with about 35 reads, not 60
 * (docs/PERFORMANCE.md, "Railway requests"); a failure late in a long build is seen within a minute.
 */
export const MAX_POLL_INTERVAL_MS = 60_000;
/**
 * Deploys the issue's sandbox and reports how it went. A deployment already under way (the one
 * `serviceCreate` started, or a previous run's) is adopted rather than duplicated; a new one starts
 * only when there is none or a specific commit is asked for. After the wait the issue is read
 * again: if it was closed meanwhile, the sandbox is destroyed instead of left running.
 */
export async function deploySandbox(
  settings: DeploySettings,
  baseContext: LifecycleContext,
  accounts: RailwayAccounts,
  hooks: DeployHooks,
): Promise<LifecycleResult> {
  const issueNumber = settings.issueNumber;
  // One read: the issue, its thread's ends, the head and the farm (docs/design.md, "One read per run").
  const snapshot = await readRunSnapshot(baseContext, issueNumber);
  const issueContext = withSnapshot(baseContext, snapshot);
  const repoName = `${issueContext.owner}/${issueContext.repo}`;
  const target = { owner: issueContext.owner, repo: issueContext.repo, issue: issueNumber };
  if (snapshot.issue.kind !== 'open') return hooks.onIssueGone();

  const row =
    findBinding(await readFarm(issueContext), issueNumber) ??
    (await adoptUnrecorded(settings, issueContext, accounts, repoName));
  if (row === undefined) {
    throw new UserError(
      `Issue #${issueNumber} has no sandbox in ${issueContext.farmPath}, so there is nothing to deploy. ` +
        'Run provision-sandbox first (the issue-sandbox workflow does it on opened, reopened and labeled).',
    );
  }
  const railway = await accounts.target(row.account_id);
  const context = await withServiceSecrets(issueContext, railway, row.service_id);
  const instance = await railway.client.getServiceInstance(row.service_id, railway.environmentId);
  const latest = instance.latestDeployment;
  const adopt = shouldAdopt(latest, row, settings.commitSha, settings.fresh === true);
  // The live deployment this product recorded and reported: a re-run of a finished run, which must
  // change nothing (no status edit, no label flip to "deploying" and back).
  if (adopt && latest !== null && isLive(latest) && reported(row, latest.id, latest.status)) {
    context.logger.info(`Deployment ${latest.id} is ${latest.status} and reported already; nothing to do.`);
    return deployResult(issueNumber, latest.id, latest.status, row.url, 'nothing: reported already');
  }
  const deploymentId =
    adopt && latest !== null
      ? latest.id
      : await startDeployment(railway, row.service_id, latest, settings.commitSha, context.logger);
  context.logger.info(
    `${adopt ? 'Adopting' : 'Started'} deployment ${deploymentId} of ${row.service_name ?? row.service_id}.`,
  );

  const service = {
    id: row.service_id,
    ...(row.service_name === undefined ? {} : { name: row.service_name }),
    projectId: railway.projectId,
    environmentId: railway.environmentId,
  };
  const base = {
    issue: issueNumber,
    repo: repoName,
    service,
    ...(context.run.url ? { runUrl: context.run.url } : {}),
  };
  const startedAt = context.now();
  const deployingRow: FarmRow = {
    ...row,
    deployment_id: deploymentId,
    deployment_status: 'DEPLOYING',
    status: 'deploying',
  };
  const started = await context.publisher.publish({
    event: {
      ...base,
      type: 'deployment_started',
      key: `deployment_started-${deploymentId}`,
      at: startedAt.toISOString(),
      deployment: { id: deploymentId },
    },
    status: statusViewFromRow(issueNumber, repoName, deployingRow, startedAt.toISOString()),
    statusCommentId: row.status_comment_id,
    secrets: context.secrets,
  });
  const mirrored = await hooks.mirror?.started({
    issue: issueNumber,
    railwayDeploymentId: deploymentId,
    adopted: adopt,
  });

  if (!settings.wait) {
    await publishAndCommit(context, {
      event: undefined,
      status: statusViewFromRow(issueNumber, repoName, deployingRow, startedAt.toISOString()),
      statusCommentId: started.statusCommentId,
      mutation: updateBinding(
        issueNumber,
        row.service_id,
        {
          deployment_id: deploymentId,
          deployment_status: 'DEPLOYING',
          status: 'deploying',
          status_comment_id: started.statusCommentId,
        },
        startedAt,
      ),
      commitMessage: `sandbox: issue #${issueNumber} deployment ${deploymentId} started`,
    });
    return deployResult(issueNumber, deploymentId, 'DEPLOYING', undefined, 'started (not waiting)');
  }

  const waited = await waitForDeployment({
    client: railway.client,
    deploymentId,
    newest: async () =>
      (await railway.client.getServiceInstance(row.service_id, railway.environmentId)).latestDeployment,
    timeoutMs: settings.timeoutMinutes * 60_000,
    intervalMs: settings.pollIntervalMs,
    maxIntervalMs: MAX_POLL_INTERVAL_MS,
    now: () => context.now().getTime(),
    sleep: context.sleep,
    logger: context.logger,
  });
  const deployment = waited.deployment;
  // A deployment still WAITING for CI when the time runs out is reported as waiting, not as a timeout.
  if (!waited.settled && deployment.status !== 'WAITING') {
    throw new UserError(
      `Deployment ${deployment.id} was still ${deployment.status} after ${settings.timeoutMinutes} minutes. It keeps running on ` +
        'Railway; re-run this job to follow it (the deployment is adopted, not restarted), or raise timeout-minutes.',
    );
  }

  const at = context.now();
  const outcome = await describeOutcome({
    railway,
    serviceId: row.service_id,
    deployment,
    seen: waited.seen,
    logLines: settings.logLines,
    secrets: context.secrets,
    logger: context.logger,
  });
  const finalRow: FarmRow = {
    ...deployingRow,
    deployment_id: deployment.id,
    deployment_status: deployment.status,
    status: outcome.status,
    ...(outcome.url === undefined ? {} : { url: outcome.url }),
  };
  const stopped = isCompleted(deployment) ? { stopped: true } : {};
  const event: JournalEvent = {
    ...base,
    type: outcome.type,
    // A held deployment is reported once per status it is held in (waiting for CI, then approval).
    key: `${outcome.type}-${deployment.id}${outcome.type === 'deployment_waiting' ? `-${deployment.status}` : ''}`,
    at: at.toISOString(),
    deployment: {
      id: deployment.id,
      status: deployment.status,
      ...(outcome.url === undefined ? {} : { url: outcome.url }),
      ...stopped,
    },
    ...(outcome.logTail.length > 0 ? { logTail: outcome.logTail } : {}),
    details: {
      polls: String(waited.polls),
      waited: `${Math.round((at.getTime() - startedAt.getTime()) / 1000)} s`,
      ...(waited.replaced.length > 0 ? { replaced: waited.replaced.join(', ') } : {}),
    },
  };
  const status = statusViewFromRow(issueNumber, repoName, finalRow, at.toISOString());
  const { published } = await publishAndCommit(context, {
    event,
    status: status.deployment ? { ...status, deployment: { ...status.deployment, ...stopped } } : status,
    statusCommentId: started.statusCommentId,
    mutation: updateBinding(
      issueNumber,
      row.service_id,
      {
        deployment_id: deployment.id,
        deployment_status: deployment.status,
        status: outcome.status,
        ...(outcome.url === undefined ? {} : { url: outcome.url }),
        status_comment_id: started.statusCommentId,
      },
      at,
    ),
    commitMessage: `sandbox: issue #${issueNumber} deployment ${deployment.id} ${deployment.status}`,
  });

  if (outcome.type !== 'deployment_waiting') {
    const state = outcome.status === 'live' ? 'success' : 'failure';
    await hooks.mirror?.settled(mirrored, state, outcome.url);
  }

  // Level-triggered: the issue may have closed while we waited; its sandbox must not outlive it.
  if ((await readIssueState(context.octokit, target)).kind !== 'open') {
    context.logger.info(`Issue #${issueNumber} was closed during the deployment; destroying its sandbox.`);
    await hooks.onIssueGone();
  }
  const result = deployResult(
    issueNumber,
    deployment.id,
    deployment.status,
    outcome.url,
    whatHappened(outcome, deployment),
    published?.commentUrl,
  );
  const where = `the issue thread${published ? `: ${published.commentUrl}` : ''}`;
  if (outcome.type === 'deployment_waiting') {
    context.logger.warning(
      `Deployment ${deployment.id} of issue #${issueNumber}'s sandbox is ${whatHappened(outcome, deployment)} ` +
        `(${deployment.status}); Railway deploys it once that is done. Re-run this job then to report it.`,
    );
  }
  if (outcome.status === 'failed') {
    throw new FailedWithResult(failureMessage(issueNumber, deployment, outcome, where), result);
  }
  return result;
}
/**
 * The issue's service when a run created it but died before recording it: recorded now, so the
 * deployment is followed and the mapping names what bills (docs/RELIABILITY.md).
 */
async function adoptUnrecorded(
  settings: DeploySettings,
  context: LifecycleContext,
  accounts: RailwayAccounts,
  repoName: string,
): Promise<FarmRow | undefined> {
  const found = await findUnrecordedService(accounts, settings.serviceName, settings.issueNumber, repoName);
  if (found === undefined) return undefined;
  context.logger.info(
    `Issue #${settings.issueNumber} has no row in the mapping, yet its service ${found.service.name} ` +
      `(${found.service.id}) exists: a run died between creating and recording it. Recording it.`,
  );
  return recordAdoption(
    context,
    adoptedRow({ ...found, accountId: found.account.accountId }, settings.issueNumber, repoName),
  );
}

/** The mapping recorded this deployment in this status: its comment was posted before the commit. */
function reported(row: FarmRow, deploymentId: string, status: string): boolean {
  return row.deployment_id === deploymentId && row.deployment_status === status;
}

/**
 * Adopt rather than start a deployment when that is what a person would expect:
 * - one still under way (the one `serviceCreate` started, or a previous run's) is followed, never doubled;
 * - a finished one this product has not reported yet is reported;
 * - a success already reported is left alone (a re-run changes nothing);
 * - one held (waiting for CI, awaiting approval) is followed again.
 * A failure already reported is retried with a new deployment (an app that exited counts as one,
 * and so does a deployment skipped or being removed): re-running the job, reopening or
 * relabelling the issue after fixing the cause means "try again". A `commit-sha` always deploys
 * that commit, unless the deployment under way is the one this product recorded (a re-run).
 * `fresh` (a redeploy command) always starts one unless one is under way.
 */
const GONE: ReadonlySet<string> = new Set(['REMOVED', 'REMOVING', 'SKIPPED']);

function shouldAdopt(
  latest: Deployment | null,
  row: FarmRow,
  commitSha: string | undefined,
  fresh: boolean,
): boolean {
  if (latest === null || GONE.has(latest.status)) return false;
  const underWay = !SETTLED.has(latest.status);
  // `/sandbox redeploy`: a new deployment, unless one is under way already (it is followed).
  if (fresh) return underWay;
  if (commitSha !== undefined) return underWay && latest.id === row.deployment_id;
  if (underWay) return true;
  if (latest.id !== row.deployment_id) return true;
  return isLive(latest);
}
