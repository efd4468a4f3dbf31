import { statusViewFromRow } from '../agent/status-view.js';
import { UserError } from '../errors.js';
import { findBinding } from '../farm/mapping.js';
import type { FarmRow, SandboxStatus } from '../farm/types.js';
import { readIssueState } from '../github/issue-state.js';
import type { JournalEvent } from '../journal/event.js';
import { redactText } from '../journal/sanitize.js';
import type { Deployment, LogLine } from '../railway/types.js';
import type { DeploySettings } from '../settings/actions.js';
import {
  FailedWithResult,
  readFarm,
  withServiceSecrets,
  type LifecycleContext,
  type LifecycleResult,
  type RailwayTarget,
} from './context.js';
import type { RailwayAccounts } from './accounts.js';
import { publishAndCommit, updateBinding } from './record.js';
import { SETTLED, waitForDeployment } from './wait.js';

export interface DeployHooks {
  /** Called when the issue turned out to be closed: the caller destroys the sandbox. */
  onIssueGone: () => Promise<LifecycleResult>;
}

/**
 * Deploys the issue's sandbox and reports how it went. A deployment already under way (the one
 * `serviceCreate` started, or a previous run's) is adopted rather than duplicated; a new one starts
 * only when there is none or a specific commit is asked for. After the wait the issue is read
 * again: if it was closed meanwhile, the sandbox is destroyed instead of left running.
 */
export async function deploySandbox(
  settings: DeploySettings,
  runContext: LifecycleContext,
  accounts: RailwayAccounts,
  hooks: DeployHooks,
): Promise<LifecycleResult> {
  const issueNumber = settings.issueNumber;
  const repoName = `${runContext.owner}/${runContext.repo}`;
  const target = { owner: runContext.owner, repo: runContext.repo, issue: issueNumber };
  if ((await readIssueState(runContext.octokit, target)).kind !== 'open') return hooks.onIssueGone();

  const row = findBinding(await readFarm(runContext), issueNumber);
  if (row === undefined) {
    throw new UserError(
      `Issue #${issueNumber} has no sandbox in ${runContext.farmPath}, so there is nothing to deploy. ` +
        'Run provision-sandbox first (the issue-sandbox workflow does it on opened, reopened and labeled).',
    );
  }
  const railway = await accounts.target(row.account_id);
  const context = await withServiceSecrets(runContext, railway, row.service_id);
  const instance = await railway.client.getServiceInstance(row.service_id, railway.environmentId);
  const latest = instance.latestDeployment;
  const adopt = shouldAdopt(latest, row, settings.commitSha);
  const deploymentId =
    adopt && latest !== null
      ? latest.id
      : await railway.client.deployService(row.service_id, railway.environmentId, settings.commitSha);
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
    return outputs(deploymentId, 'DEPLOYING', undefined, 'started (not waiting)');
  }

  const waited = await waitForDeployment({
    client: railway.client,
    deploymentId,
    timeoutMs: settings.timeoutMinutes * 60_000,
    intervalMs: settings.pollIntervalMs,
    maxIntervalMs: 30_000,
    now: () => context.now().getTime(),
    sleep: context.sleep,
    logger: context.logger,
  });
  const deployment = waited.deployment;
  if (!waited.settled) {
    throw new UserError(
      `Deployment ${deploymentId} was still ${deployment.status} after ${settings.timeoutMinutes} minutes. It keeps running on ` +
        'Railway; re-run this job to follow it (the deployment is adopted, not restarted), or raise timeout-minutes.',
    );
  }

  const at = context.now();
  const outcome = await describeOutcome(railway, row, deployment, settings.logLines, context.secrets);
  const finalRow: FarmRow = {
    ...deployingRow,
    deployment_status: deployment.status,
    status: outcome.status,
    ...(outcome.url === undefined ? {} : { url: outcome.url }),
  };
  const event: JournalEvent = {
    ...base,
    type: outcome.type,
    key: `${outcome.type}-${deploymentId}`,
    at: at.toISOString(),
    deployment: {
      id: deploymentId,
      status: deployment.status,
      ...(outcome.url === undefined ? {} : { url: outcome.url }),
    },
    ...(outcome.logTail.length > 0 ? { logTail: outcome.logTail } : {}),
    details: {
      polls: String(waited.polls),
      waited: `${Math.round((at.getTime() - startedAt.getTime()) / 1000)} s`,
    },
  };
  const { published } = await publishAndCommit(context, {
    event,
    status: statusViewFromRow(issueNumber, repoName, finalRow, at.toISOString()),
    statusCommentId: started.statusCommentId,
    mutation: updateBinding(
      issueNumber,
      row.service_id,
      {
        deployment_id: deploymentId,
        deployment_status: deployment.status,
        status: outcome.status,
        ...(outcome.url === undefined ? {} : { url: outcome.url }),
        status_comment_id: started.statusCommentId,
      },
      at,
    ),
    commitMessage: `sandbox: issue #${issueNumber} deployment ${deploymentId} ${deployment.status}`,
  });

  // Level-triggered: the issue may have closed while we waited; its sandbox must not outlive it.
  if ((await readIssueState(context.octokit, target)).kind !== 'open') {
    context.logger.info(`Issue #${issueNumber} was closed during the deployment; destroying its sandbox.`);
    await hooks.onIssueGone();
  }
  const result = outputs(
    deploymentId,
    deployment.status,
    outcome.url,
    outcome.type.replace(/_/g, ' '),
    published?.commentUrl,
  );
  if (outcome.status === 'failed') {
    const what = outcome.type === 'build_failed' ? 'The build' : 'The deployment';
    throw new FailedWithResult(
      `${what} of issue #${issueNumber}'s sandbox failed (${deployment.status}); the redacted log tail is in the issue ` +
        `thread${published ? `: ${published.commentUrl}` : ''}.`,
      result,
    );
  }
  return result;

  function outputs(
    id: string,
    status: string,
    url: string | undefined,
    what: string,
    commentUrl?: string,
  ): LifecycleResult {
    return {
      outputs: { 'deployment-id': id, 'deployment-status': status, url: url ?? '' },
      report: {
        title: `Deployment for issue #${issueNumber}`,
        rows: [
          ['What happened', what],
          ['Deployment', id],
          ['Railway status', status],
          ['URL', url ?? '—'],
          ...(commentUrl ? ([['Comment', commentUrl]] as Array<[string, string]>) : []),
        ],
        notes: [],
      },
    };
  }
}

/**
 * Adopt rather than start a deployment when that is what a person would expect:
 * - one still under way (the one `serviceCreate` started, or a previous run's) is followed, never doubled;
 * - a finished one this product has not reported yet is reported;
 * - a success already reported is left alone (a re-run changes nothing).
 * A failure already reported is retried with a new deployment: re-running the job, reopening or
 * relabelling the issue after fixing the cause means "try again". A `commit-sha` always deploys
 * that commit, unless the deployment under way is the one this product recorded (a re-run).
 */
function shouldAdopt(latest: Deployment | null, row: FarmRow, commitSha: string | undefined): boolean {
  if (latest === null || latest.status === 'REMOVED' || latest.status === 'SKIPPED') return false;
  const underWay = !SETTLED.has(latest.status);
  if (commitSha !== undefined) return underWay && latest.id === row.deployment_id;
  if (underWay) return true;
  if (latest.id !== row.deployment_id) return true;
  return latest.status === 'SUCCESS' || latest.status === 'SLEEPING';
}

interface Outcome {
  type: 'deployment_succeeded' | 'build_failed' | 'deployment_failed';
  status: SandboxStatus;
  url: string | undefined;
  logTail: string[];
}

/**
 * FAILED is Railway's status for a build that failed; CRASHED (or REMOVED/SKIPPED before success)
 * is a deployment that failed after the build. A success gets a public domain if it has none.
 */
async function describeOutcome(
  railway: RailwayTarget,
  row: FarmRow,
  deployment: Deployment,
  logLines: number,
  secrets: readonly string[],
): Promise<Outcome> {
  if (deployment.status === 'SUCCESS' || deployment.status === 'SLEEPING') {
    let url = deployment.staticUrl ?? undefined;
    if (url === undefined) {
      const instance = await railway.client.getServiceInstance(row.service_id, railway.environmentId);
      url =
        instance.domains[0]?.domain ??
        (await railway.client.createServiceDomain(row.service_id, railway.environmentId)).domain;
    }
    return {
      type: 'deployment_succeeded',
      status: 'live',
      url: url.startsWith('http') ? url : `https://${url}`,
      logTail: [],
    };
  }
  if (deployment.status === 'FAILED') {
    return {
      type: 'build_failed',
      status: 'failed',
      url: undefined,
      logTail: tail(await railway.client.buildLogs(deployment.id, logLines), secrets),
    };
  }
  return {
    type: 'deployment_failed',
    status: 'failed',
    url: undefined,
    logTail: tail(await railway.client.deploymentLogs(deployment.id, logLines), secrets),
  };
}

function tail(lines: LogLine[], secrets: readonly string[]): string[] {
  return lines.map((line) => redactText(line.message, { secrets }));
}
