import { createHash, randomUUID } from 'node:crypto';
import { findBinding, findStatusCommentId, listBindings } from '../farm/mapping.js';
import { compose, recordCreate, upsertBinding, type FarmMutation } from '../farm/mutations.js';
import type { FarmRow } from '../farm/types.js';
import { statusViewFromRow } from '../journal/status-view.js';
import { TooManyLostRacesError } from '../commit/race-loop.js';
import type { ProvisionSettings } from '../settings/actions.js';
import { serviceNameFor } from '../settings/service-name.js';
import type { RailwayAccounts } from './accounts.js';
import { readFarm, type LifecycleContext } from './context.js';
import type { RailwayTarget } from './railway-target.js';
import type { LifecycleResult } from './result.js';
import { decideGateConfirmed, writeAccessVia } from './gate.js';
import { syncVariables } from './variables.js';
import { sandboxVariables, syncRecordedVariables } from './provision-variables.js';
import { readRunSnapshot, withSnapshot } from './snapshot.js';
import { closeBinding, publishAndCommit } from './record.js';
import { createOnFirstAccountThatWorks, reservePlacement, type Placed } from './provision-placement.js';
import {
  provisionResult,
  refusedResult,
  skippedResult,
  UnrecordedServiceError,
  type Refusal,
} from './provision-messages.js';
import { findOnAnyAccount, refuseAnotherIssuesService } from './unrecorded.js';

/**
 * Gives an open issue its sandbox, converging from whatever state the last run left: a binding
 * whose service still exists is adopted as is; a service that exists under the issue's name but is
 * not recorded (a run that died after creating it) is adopted and recorded; only when neither
 * exists is a service created. Names are unique per Railway project, so two runs racing to create
 * end with one service, never two.
 *
 * Order of effects (docs/RELIABILITY.md): reserve a slot in the mapping (a row naming the account
 * and the service's name), create on Railway, tell the thread, then record the service in the same
 * commit as the status comment's id. The reservation is what keeps the caps under a burst: the
 * account is chosen on the head being committed to, where every other run's reservation is. A
 * thread that refuses comments (a locked issue) does not stop the record; a crash before it leaves
 * a service that the reservation names and that its name finds, which the next run (or the sweep)
 * adopts; a re-run posts what is missing (the event's key stops it being posted twice).
 */
export async function provisionSandbox(
  settings: ProvisionSettings,
  base: LifecycleContext,
  accounts: RailwayAccounts,
  serverUrl: string,
): Promise<LifecycleResult> {
  const issueNumber = settings.issueNumber;
  // One read: the issue, its thread's ends, the head and the farm (docs/design.md, "One read per run").
  const snapshot = await readRunSnapshot(base, issueNumber);
  const context = withSnapshot(base, snapshot);
  const repoName = `${context.owner}/${context.repo}`;
  const issue = snapshot.issue;
  const farm = await readFarm(context);
  const bound = findBinding(farm, issueNumber);

  if (issue.kind !== 'open') {
    context.logger.info(`Issue #${issueNumber} is ${issue.kind}: no sandbox is provisioned for it.`);
    return skippedResult(issueNumber, bound, `issue is ${issue.kind}`);
  }
  if (bound !== undefined && (await serviceExists(await accounts.target(bound.account_id), bound))) {
    context.logger.info(`Issue #${issueNumber} already has its sandbox ${bound.service_id}; adopting it.`);
    await syncRecordedVariables(settings, context, accounts, bound, serverUrl);
    // Recorded but never announced: the run that recorded it died, or the thread refused, before
    // its comment. Announced once the mapping remembers a status comment.
    const announced =
      bound.status_comment_id === undefined ? await announce(context, bound, false) : undefined;
    return provisionResult(
      issueNumber,
      bound,
      bound.status ?? 'live',
      announced,
      'adopted the recorded sandbox',
    );
  }

  const decision = await decideGateConfirmed(
    issue,
    settings,
    listBindings(farm).filter((row) => row.issue !== issueNumber).length,
    writeAccessVia(context),
  );
  if (!decision.allowed) return refuse(settings, context, decision);
  const serviceName = serviceNameFor(settings.serviceName, issueNumber);
  let sessionId: string = randomUUID();
  // A service of this name on any account (a run that died between create and record) is adopted
  // before capacity is weighed: it exists and bills already, and at the cap it would otherwise
  // never be adopted, nor destroyed when the issue closes.
  const found = await findOnAnyAccount(accounts, serviceName);
  let placed: Placed;
  if (found !== undefined) {
    placed = { ...found, created: false };
  } else {
    // The slot is reserved in the mapping before the create, so a burst of runs cannot overfill an
    // account (docs/RELIABILITY.md, 'Order of effects').
    const placement = await reservePlacement(settings, context, accounts, farm, serviceName);
    if ('refusal' in placement) {
      return refuse(settings, context, {
        who: `${issue.author} (${issue.authorAssociation.toLowerCase()})`,
        ...placement.refusal,
      });
    }
    placed = await createOnFirstAccountThatWorks(placement.candidates, accounts, context, {
      name: serviceName,
      ...(settings.source === undefined
        ? {}
        : {
            source:
              settings.source.kind === 'image'
                ? { image: settings.source.image }
                : { repo: settings.source.repo },
          }),
      ...(settings.source?.kind === 'repo' && settings.source.branch !== undefined
        ? { branch: settings.source.branch }
        : {}),
      variables: sandboxVariables(settings, context, serverUrl, sessionId),
    });
  }
  const { account, target, service, created } = placed;
  if (!created) {
    // A run that died after creating it, or one that raced us. Railway applies variables only to
    // new deployments (docs/railway.md), so the service keeps the session id it already runs with
    // when it has one, and is redeployed only if its variables differ from what this run sets.
    context.logger.info(
      `Service "${serviceName}" already exists (${service.id}); adopting it instead of creating another.`,
    );
    const current = await target.client.getVariables({
      projectId: target.projectId,
      environmentId: target.environmentId,
      serviceId: service.id,
    });
    refuseAnotherIssuesService(serviceName, current, repoName, issueNumber);
    sessionId = current['TRINITY_SESSION_ID'] ?? sessionId;
    await syncVariables(
      target,
      service.id,
      sandboxVariables(settings, context, serverUrl, sessionId),
      context.logger,
      current,
    );
  }

  const at = context.now();
  const row: FarmRow = {
    issue: issueNumber,
    account_id: account.accountId,
    service_id: service.id,
    repo: repoName,
    session_id: sessionId,
    service_name: serviceName,
    project_id: target.projectId,
    environment_id: target.environmentId,
    status: settings.source === undefined ? 'provisioning' : 'deploying',
  };
  const { issue: _issue, ...fields } = row;
  const record: FarmMutation = (farm) =>
    // Another run for this issue recorded the same service first: refresh the row, count nothing.
    findBinding(farm, issueNumber)?.service_id === service.id
      ? upsertBinding(issueNumber, fields, at)(farm)
      : compose(
          // A recorded binding whose service vanished is closed (and its slot freed) first.
          bound === undefined
            ? (same) => same
            : closeBinding(issueNumber, bound.service_id, bound.account_id, at),
          // The issue's reservation, if any, becomes the binding: its slot is now counted below.
          upsertBinding(issueNumber, fields, at),
          // Created now, or an orphan of a run that died before counting it: count it.
          recordCreate(account.accountId, at),
        )(farm);
  let commentUrl: string | undefined;
  try {
    // One commit records the binding, the counters and the status comment's id, after the post;
    // a thread that refuses the post does not stop the commit (publishAndCommit).
    commentUrl = await announce(
      context,
      // Remembered by a destroyed or unbound row of the issue, if any: no walk of a long thread.
      { ...row, status_comment_id: findStatusCommentId(farm, issueNumber) },
      !created,
      {
        mutation: record,
        message: `sandbox: issue #${issueNumber} → Railway service ${serviceName} (${service.id})`,
      },
    );
  } catch (error) {
    if (error instanceof TooManyLostRacesError)
      throw new UnrecordedServiceError(issueNumber, serviceName, service.id, account.accountId, error);
    throw error;
  }
  return provisionResult(
    issueNumber,
    row,
    row.status ?? 'deploying',
    commentUrl,
    created ? 'created the sandbox' : 'adopted an unrecorded sandbox',
  );
}

/**
 * Posts the recorded sandbox's `sandbox_created` event and status, then remembers the status
 * comment in its row. Keyed by the service, so a re-run after a crash posts it at most once.
 */
async function announce(
  context: LifecycleContext,
  row: FarmRow,
  adopted: boolean,
  record: { mutation: FarmMutation; message: string } = {
    // The binding is recorded already: only the status comment's id is.
    mutation: (same) => same,
    message: `sandbox: issue #${row.issue} status comment recorded`,
  },
): Promise<string | undefined> {
  const repoName = `${context.owner}/${context.repo}`;
  const at = context.now();
  const { published } = await publishAndCommit(context, {
    event: {
      type: 'sandbox_created',
      issue: row.issue,
      key: `sandbox_created-${row.service_id}`,
      at: at.toISOString(),
      repo: repoName,
      service: {
        id: row.service_id,
        ...(row.service_name === undefined ? {} : { name: row.service_name }),
        ...(row.project_id === undefined ? {} : { projectId: row.project_id }),
        ...(row.environment_id === undefined ? {} : { environmentId: row.environment_id }),
      },
      ...(context.run.url === undefined ? {} : { runUrl: context.run.url }),
      details: {
        ...(row.session_id === undefined ? {} : { session: row.session_id }),
        adopted: adopted ? 'yes (found by name)' : 'no',
      },
    },
    status: statusViewFromRow(row.issue, repoName, row, at.toISOString()),
    statusCommentId: row.status_comment_id,
    mutation: record.mutation,
    commitMessage: record.message,
  });
  return published?.commentUrl;
}

/** The row's service is in its project's list of services: a typed answer, not an error message. */
async function serviceExists(target: RailwayTarget, row: FarmRow): Promise<boolean> {
  const services = await target.client.listServices(row.project_id ?? target.projectId);
  return services.some((service) => service.id === row.service_id);
}

async function refuse(
  settings: ProvisionSettings,
  context: LifecycleContext,
  { counted, kind, ...refusal }: Refusal & { counted?: boolean; kind?: string },
): Promise<LifecycleResult> {
  const issueNumber = settings.issueNumber;
  const repoName = `${context.owner}/${context.repo}`;
  const at = context.now().toISOString();
  context.logger.warning(
    `No sandbox for issue #${issueNumber}: ${refusal.why}. To allow it: ${refusal.how}.`,
  );
  // One comment per distinct reason: re-runs and later events with the same reason stay quiet, also
  // when the figures in it (sandboxes live, creates today) have moved.
  const reasonHash = createHash('sha256')
    .update(kind ?? refusal.why)
    .digest('hex')
    .slice(0, 12);
  const published = await context.publisher.publish({
    event: {
      type: 'sandbox_refused',
      issue: issueNumber,
      key: `sandbox_refused-${issueNumber}-${reasonHash}`,
      at,
      repo: repoName,
      refusal,
      ...(context.run.url === undefined ? {} : { runUrl: context.run.url }),
    },
    status: { issue: issueNumber, repo: repoName, state: 'refused', updatedAt: at },
    statusCommentId: undefined,
    secrets: context.secrets,
  });
  return refusedResult(issueNumber, refusal, published.commentUrl, counted === true);
}
