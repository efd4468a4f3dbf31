import type { PublishRequest, PublishResult } from '../github/publisher.js';
import { eventKey, type JournalEvent, type SandboxViewState } from '../journal/event.js';
import type { RailwayAccounts } from './accounts.js';
import { readFarm, type LifecycleContext } from './context.js';
import { statusViewFromRow } from '../journal/status-view.js';
import { liveReservation } from '../farm/accounts.js';
import { findBinding, findUnboundIndex } from '../farm/mapping.js';

/**
 * A run that was cancelled or timed out after it told the thread it was at work (docs/actions.md,
 * 'Cancelled and timed-out runs'). Its `post:` step calls `recordStoppedRun` with what the run
 * last published; the thread then hears that the run stopped and where Railway stood, and the
 * status comment moves from "deploying" (or "provisioning", "destroying") to `stopped`. Nothing is
 * committed: the mapping keeps the row as the run left it, and the next run converges from there
 * as after any crash (a deployment still under way is adopted, not restarted).
 */
export interface StoppedRun {
  /** The action whose run stopped, e.g. `deploy-sandbox`. */
  action: string;
  issue: number;
  /** Undefined when the mapping does not know it yet: the publisher then finds it in the thread. */
  statusCommentId: number | undefined;
  /** What the run's last publish put in the status comment (or the mapping's row says it shows). */
  status: PublishRequest['status'];
}

/** States that claim someone is at work: a stopped run must not leave them in the thread. */
export const IN_PROGRESS: ReadonlySet<SandboxViewState> = new Set([
  'provisioning',
  'deploying',
  'destroying',
]);

/** Whether the thread needs to hear about the stop: the run's last word claimed work in progress. */
export function claimsWorkInProgress(run: Pick<StoppedRun, 'status'>): boolean {
  return IN_PROGRESS.has(run.status.state);
}

/**
 * For a run killed before it published anything: what the thread shows, as the mapping has it
 * (one read). A sandbox the mapping records as provisioning or deploying was left so by an earlier
 * run that handed over to this one (provision hands over to deploy), and this run was killed before
 * it said anything; with nobody to take over, the status comment would keep claiming work.
 */
export async function stoppedRunFromFarm(
  action: string,
  issue: number,
  context: LifecycleContext,
): Promise<StoppedRun | undefined> {
  const farm = await readFarm(context);
  const row = findBinding(farm, issue);
  if (row === undefined) {
    // Killed between reserving a slot and recording the service: provision posts the sandbox's
    // status before it records it (docs/RELIABILITY.md, 'Order of effects'), so the thread may
    // already say work is under way.
    const unbound = farm.agent_map[findUnboundIndex(farm, issue)];
    if (unbound === undefined || liveReservation(unbound, context.now()) === undefined) return undefined;
    const now = context.now().toISOString();
    return {
      action,
      issue,
      statusCommentId: unbound.status_comment_id,
      status: {
        ...statusViewFromRow(issue, `${context.owner}/${context.repo}`, undefined, now),
        state: 'provisioning',
      },
    };
  }
  const status = statusViewFromRow(
    issue,
    `${context.owner}/${context.repo}`,
    row,
    context.now().toISOString(),
  );
  return { action, issue, statusCommentId: row.status_comment_id, status };
}

/**
 * What a killed run leaves the thread claiming, if that is work in progress: what it last
 * published, or, when it published nothing, what the mapping says (one read). Undefined: nothing
 * to correct.
 */
export async function stoppedRunToRecord(
  action: string,
  published: Omit<StoppedRun, 'action'> | undefined,
  issue: number | undefined,
  context: LifecycleContext,
): Promise<StoppedRun | undefined> {
  const stopped =
    published !== undefined
      ? { action, ...published }
      : issue === undefined
        ? undefined
        : await stoppedRunFromFarm(action, issue, context);
  return stopped !== undefined && claimsWorkInProgress(stopped) ? stopped : undefined;
}

export async function recordStoppedRun(
  run: StoppedRun,
  context: LifecycleContext,
  accounts: RailwayAccounts,
): Promise<PublishResult> {
  const was = run.status.state;
  const deployment = run.status.deployment;
  const railwayStatus =
    deployment === undefined ? undefined : await askRailway(deployment.id, run, context, accounts);
  const at = context.now().toISOString();
  const stood =
    deployment === undefined
      ? 'This run knew of no deployment of it.'
      : railwayStatus === undefined
        ? `Railway could not be asked about deployment ${deployment.id}; see the Railway dashboard.`
        : `Railway's deployment ${deployment.id} was ${railwayStatus} when the run stopped; it goes on ` +
          'without anyone following it.';
  const event: JournalEvent = {
    type: 'run_stopped',
    issue: run.issue,
    key: `run_stopped-${eventKey({
      runId: context.run.id ?? 'local',
      attempt: context.run.attempt ?? '1',
      action: run.action,
    })}`,
    at,
    repo: run.status.repo,
    message:
      `The ${run.action} run stopped before it finished (cancelled, or its job timed out) while the ` +
      `sandbox was ${was}. ${stood} The next run picks up from here: re-run the job, or let the next ` +
      'issue event start one.',
    ...(run.status.service ? { service: run.status.service } : {}),
    ...(deployment === undefined
      ? {}
      : {
          deployment: {
            id: deployment.id,
            ...(railwayStatus === undefined ? {} : { status: railwayStatus }),
          },
        }),
    ...(context.run.url === undefined ? {} : { runUrl: context.run.url }),
  };
  return context.publisher.publish({
    event,
    status: {
      ...run.status,
      state: 'stopped',
      updatedAt: at,
      ...(deployment === undefined
        ? {}
        : {
            deployment: {
              id: deployment.id,
              ...(railwayStatus === undefined ? {} : { status: railwayStatus }),
            },
          }),
    },
    statusCommentId: run.statusCommentId,
    secrets: context.secrets,
  });
}

/**
 * The deployment's status now, through the account whose project holds the service (account 1
 * when none names it, as for a single project token). A failure to ask is logged, not thrown: the
 * thread still hears that the run stopped.
 */
async function askRailway(
  deploymentId: string,
  run: StoppedRun,
  context: LifecycleContext,
  accounts: RailwayAccounts,
): Promise<string | undefined> {
  const projectId = run.status.service?.projectId;
  const account =
    accounts.accounts.find((candidate) => projectId !== undefined && candidate.projectId === projectId) ??
    accounts.accounts[0];
  if (account === undefined) return undefined;
  try {
    const target = await accounts.target(account.accountId);
    return (await target.client.getDeployment(deploymentId)).status;
  } catch (error) {
    context.logger.warning(
      `Could not ask Railway about deployment ${deploymentId}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}
