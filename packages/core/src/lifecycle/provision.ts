import { createHash, randomUUID } from 'node:crypto';
import { chooseAccount, type AccountUsage, type RailwayAccount } from '../farm/accounts.js';
import { CapacityError } from '../farm/errors.js';
import { findBinding, findStatusCommentId, listBindings } from '../farm/mapping.js';
import { compose, recordCreate, upsertBinding, type FarmMutation } from '../farm/mutations.js';
import type { Farm, FarmRow } from '../farm/types.js';
import { UserError } from '../errors.js';
import { readIssueState } from '../github/issue-state.js';
import { statusViewFromRow } from '../journal/status-view.js';
import type { JournalEvent } from '../journal/event.js';
import type { ProvisionSettings } from '../settings/actions.js';
import { isNameTaken, isOutcomeUnknown, isRailwayFailure } from '../railway/errors.js';
import type { CreateServiceInput, ServiceSummary } from '../railway/types.js';
import { serviceNameFor, serviceNamePattern } from '../settings/service-name.js';
import {
  countLiveSandboxes,
  reconcileCounts,
  type LiveSandboxCount,
  type RailwayAccounts,
} from './accounts.js';
import {
  issueUrl,
  readFarm,
  type LifecycleContext,
  type LifecycleResult,
  type RailwayTarget,
} from './context.js';
import { decideGateConfirmed, writeAccessVia } from './gate.js';
import { syncVariables } from './variables.js';
import { closeBinding, publishAndCommit } from './record.js';

const RESERVED_VARIABLES = ['ISSUE_NUMBER', 'ISSUE_URL', 'GITHUB_REPOSITORY', 'TRINITY_SESSION_ID'];

/**
 * Gives an open issue its sandbox, converging from whatever state the last run left: a binding
 * whose service still exists is adopted as is; a service that exists under the issue's name but is
 * not recorded (a run that died after creating it) is adopted and recorded; only when neither
 * exists is a service created. Names are unique per Railway project, so two runs racing to create
 * end with one service, never two.
 */
export async function provisionSandbox(
  settings: ProvisionSettings,
  context: LifecycleContext,
  railway: RailwayAccounts,
  serverUrl: string,
): Promise<LifecycleResult> {
  const issueNumber = settings.issueNumber;
  const repoName = `${context.owner}/${context.repo}`;
  const issue = await readIssueState(context.octokit, {
    owner: context.owner,
    repo: context.repo,
    issue: issueNumber,
  });
  const farm = await readFarm(context);
  const bound = findBinding(farm, issueNumber);

  if (issue.kind !== 'open') {
    context.logger.info(`Issue #${issueNumber} is ${issue.kind}: no sandbox is provisioned for it.`);
    return skipped(issueNumber, bound, `issue is ${issue.kind}`);
  }
  if (bound !== undefined && (await serviceExists(await railway.target(bound.account_id), bound))) {
    context.logger.info(`Issue #${issueNumber} already has its sandbox ${bound.service_id}; adopting it.`);
    await syncRecordedVariables(settings, context, railway, bound, serverUrl);
    return result(bound, bound.status ?? 'live', undefined, 'adopted the recorded sandbox');
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
  const found = await findOnAnyAccount(railway, serviceName);
  let reconcile: FarmMutation = (same) => same;
  let placed: Placed;
  if (found !== undefined) {
    placed = { ...found, created: false };
  } else {
    const placement = await placeSandbox(settings, context, railway, farm);
    if ('refusal' in placement) {
      return refuse(settings, context, {
        who: `${issue.author} (${issue.authorAssociation.toLowerCase()})`,
        ...placement.refusal,
      });
    }
    reconcile = placement.reconcile;
    placed = await createOnFirstAccountThatWorks(placement.candidates, railway, context, {
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
  const event: JournalEvent = {
    type: 'sandbox_created',
    issue: issueNumber,
    key: `sandbox_created-${service.id}`,
    at: at.toISOString(),
    repo: repoName,
    service: {
      id: service.id,
      name: serviceName,
      projectId: target.projectId,
      environmentId: target.environmentId,
    },
    ...(context.run.url === undefined ? {} : { runUrl: context.run.url }),
    details: { session: sessionId, adopted: created ? 'no' : 'yes (found by name)' },
  };
  const { published } = await publishAndCommit(context, {
    event,
    status: statusViewFromRow(issueNumber, repoName, row, at.toISOString()),
    // Remembered by a destroyed or unbound row of the issue, if any: no walk of a long thread.
    statusCommentId: findStatusCommentId(farm, issueNumber),
    mutation: (farm) =>
      // Another run for this issue recorded the same service first: refresh the row, count nothing.
      findBinding(farm, issueNumber)?.service_id === service.id
        ? upsertBinding(issueNumber, fields, at)(farm)
        : compose(
            // A recorded binding whose service vanished is closed (and its slot freed) first.
            bound === undefined
              ? (same) => same
              : closeBinding(issueNumber, bound.service_id, bound.account_id, at),
            upsertBinding(issueNumber, fields, at),
            // Counters recounted on Railway before this create replace the cached ones.
            reconcile,
            // Created now, or an orphan of a run that died before counting it: count it.
            recordCreate(account.accountId, at),
          )(farm),
    commitMessage: `sandbox: issue #${issueNumber} → Railway service ${serviceName} (${service.id})`,
  });
  return result(
    row,
    row.status ?? 'deploying',
    published?.commentUrl,
    created ? 'created the sandbox' : 'adopted an unrecorded sandbox',
  );

  function result(
    binding: FarmRow,
    status: string,
    commentUrl: string | undefined,
    what: string,
  ): LifecycleResult {
    return {
      outputs: {
        'session-id': binding.session_id ?? '',
        'service-id': binding.service_id,
        status,
        'comment-url': commentUrl ?? '',
      },
      report: {
        title: `Sandbox for issue #${issueNumber}`,
        rows: [
          ['What happened', what],
          ['Service', `${binding.service_name ?? ''} (${binding.service_id})`],
          ['Session', binding.session_id ?? '—'],
          ['Status', status],
          ...(commentUrl ? ([['Comment', commentUrl]] as Array<[string, string]>) : []),
        ],
        notes: [],
      },
    };
  }
}

/**
 * The accounts that may take the sandbox, best first. The farm file's counters are a cache: when
 * they say every account is full, the live sandboxes are counted on Railway (see
 * countLiveSandboxes) and the choice is made again on those counts, which the mapping commit then
 * records. Only when Railway's counts are full too is the sandbox refused, and the refusal says
 * what was counted where.
 */
async function placeSandbox(
  settings: ProvisionSettings,
  context: LifecycleContext,
  railway: RailwayAccounts,
  farm: Farm,
): Promise<
  | { candidates: RailwayAccount[]; reconcile: FarmMutation }
  | { refusal: { why: string; how: string; counted: true; kind: 'capacity' } }
> {
  const same: FarmMutation = (unchanged) => unchanged;
  try {
    return { candidates: chooseAccount(farm, railway.accounts, context.now()).candidates, reconcile: same };
  } catch (error) {
    if (!(error instanceof CapacityError)) throw error;
  }
  context.logger.info(
    'The mapping says every Railway account is full; counting the live sandboxes on Railway itself.',
  );
  const counts = await countLiveSandboxes(railway, farm, serviceNamePattern(settings.serviceName));
  const reconcile = reconcileCounts(counts);
  try {
    return {
      candidates: chooseAccount(reconcile(farm), railway.accounts, context.now()).candidates,
      reconcile,
    };
  } catch (error) {
    if (!(error instanceof CapacityError)) throw error;
    return {
      refusal: {
        why:
          'every Railway account is at its cap of live sandboxes or daily creates: ' +
          error.usage
            .map((use) =>
              describeCount(
                use,
                counts.find((c) => c.accountId === use.accountId),
                settings,
              ),
            )
            .join('; '),
        how: 'close issues whose sandboxes are no longer needed, or add an account (RAILWAY_API_TOKEN_2 … _8)',
        counted: true,
        kind: 'capacity',
      },
    };
  }
}

function describeCount(
  use: AccountUsage,
  count: LiveSandboxCount | undefined,
  settings: ProvisionSettings,
): string {
  const creates = `${use.dailyCreates} of ${use.maxDailyCreates} creates today (mapping file)`;
  if (count === undefined || !('live' in count)) {
    const why = count === undefined ? '' : ` (${count.error})`;
    return (
      `account ${use.accountId}: Railway could not be asked${why}, so the mapping's ` +
      `${use.activeServices} of ${use.maxConcurrent} live sandboxes stand; ${creates}`
    );
  }
  return (
    `account ${use.accountId}: ${count.live} of ${use.maxConcurrent} live sandboxes counted on Railway ` +
    `in project ${count.projectId} (services named like "${settings.serviceName}" or bound in the mapping); ` +
    creates
  );
}

/** Railway said no, on purpose: nothing was created, so another account may be tried. */
const REFUSALS = new Set(['graphql', 'not_authorized', 'http_client']);

/**
 * Puts the service on an account, never two. First every configured account is asked for a
 * service of this name (a run that died after creating one, whichever account it chose then), and
 * one found is adopted. Otherwise the best account with room creates it; after any failed create
 * the same account is asked for the name again (ensureService), since the create may have happened.
 * Only when Railway clearly refuses there (a GraphQL error, a refused token) is the next account
 * tried; a name that is taken never is, since the name is what makes a create happen once. A
 * timeout, a 5xx or a dropped connection may hide a service that is still being created, so the
 * run stops instead, and its re-run adopts that service by name.
 */
interface Placed {
  account: RailwayAccount;
  target: RailwayTarget;
  service: ServiceSummary;
  created: boolean;
}

/** The issue's service, if any account's project already holds one of its name. */
async function findOnAnyAccount(
  railway: RailwayAccounts,
  name: string,
): Promise<Omit<Placed, 'created'> | undefined> {
  for (const account of railway.accounts) {
    const target = await railway.target(account.accountId);
    const service = await target.client.findServiceByName(target.projectId, name);
    if (service !== undefined) return { account, target, service };
  }
  return undefined;
}

async function createOnFirstAccountThatWorks(
  candidates: readonly RailwayAccount[],
  railway: RailwayAccounts,
  context: LifecycleContext,
  input: Omit<CreateServiceInput, 'projectId' | 'environmentId'>,
): Promise<Placed> {
  let lastError: unknown;
  for (const account of candidates) {
    try {
      const target = await railway.target(account.accountId);
      const ensured = await target.client.ensureService({
        ...input,
        projectId: target.projectId,
        environmentId: target.environmentId,
      });
      return { account, target, ...ensured };
    } catch (error) {
      if (isNameTaken(error)) throw new ServiceNameTakenError(input.name, account.accountId, error);
      if (isOutcomeUnknown(error)) {
        context.logger.warning(
          `Railway account ${account.accountId} gave no answer to the create of "${input.name}", and the ` +
            'service is not listed yet. Re-run this job: it adopts the service by name if Railway created it.',
        );
        throw error;
      }
      if (!isRailwayFailure(error) || !REFUSALS.has(error.reason)) throw error;
      lastError = error;
      context.logger.warning(
        `Railway account ${account.accountId} refused to create the sandbox: ${error.message}` +
          (account === candidates.at(-1) ? '' : ' Trying the next account.'),
      );
    }
  }
  throw lastError;
}

/** The name is taken, yet no service of that name can be listed: trying elsewhere would not help. */
class ServiceNameTakenError extends UserError {
  override readonly name = 'ServiceNameTakenError';
  constructor(serviceName: string, accountId: number, cause: unknown) {
    super(
      `Railway account ${accountId} refused to create the service "${serviceName}" because the name is ` +
        `taken (${cause instanceof Error ? cause.message : String(cause)}), yet its project lists no ` +
        'service of that name. No other account was tried: the name is what keeps one issue to one ' +
        'sandbox. Look for the service in the Railway dashboard (a service being deleted may keep its ' +
        'name for a while) and re-run the job, or choose another service-name.',
      { cause },
    );
  }
}

/** The row's service is in its project's list of services: a typed answer, not an error message. */
async function serviceExists(railway: RailwayTarget, row: FarmRow): Promise<boolean> {
  const services = await railway.client.listServices(row.project_id ?? railway.projectId);
  return services.some((service) => service.id === row.service_id);
}

/**
 * A service found by name is adopted only when nothing says it is another issue's sandbox: another
 * repository sharing the Railway project with the same `service-name` template, say. Adopting it
 * would rewrite its variables and bind two issues to one service, and closing either would delete it.
 */
function refuseAnotherIssuesService(
  serviceName: string,
  variables: Record<string, string>,
  repoName: string,
  issueNumber: number,
): void {
  const repo = variables['GITHUB_REPOSITORY'];
  const issue = variables['ISSUE_NUMBER'];
  if ((repo === undefined || repo === repoName) && (issue === undefined || issue === String(issueNumber)))
    return;
  throw new UserError(
    `Railway service "${serviceName}" already exists and belongs to ${repo ?? repoName}#${issue ?? '?'}, ` +
      `not to ${repoName}#${issueNumber}, so it was left alone. Give this repository's sandboxes their own ` +
      'names with the service-name input (for example "widgets-{issue}"), or use another Railway project.',
  );
}

/**
 * A re-run of provision on a recorded sandbox (say, after the workflow's `variables` changed)
 * brings its variables up to date; Railway applies them with a redeploy (docs/railway.md).
 */
async function syncRecordedVariables(
  settings: ProvisionSettings,
  context: LifecycleContext,
  railway: RailwayAccounts,
  bound: FarmRow,
  serverUrl: string,
): Promise<void> {
  if (bound.service_id === undefined) return;
  const target = await railway.target(bound.account_id);
  const desired = sandboxVariables(settings, context, serverUrl, bound.session_id ?? '');
  // A legacy row has no session id: the service keeps whatever it has.
  if (bound.session_id === undefined) delete desired['TRINITY_SESSION_ID'];
  await syncVariables(
    {
      client: target.client,
      projectId: bound.project_id ?? target.projectId,
      environmentId: bound.environment_id ?? target.environmentId,
    },
    bound.service_id,
    desired,
    context.logger,
  );
}

function sandboxVariables(
  settings: ProvisionSettings,
  context: LifecycleContext,
  serverUrl: string,
  sessionId: string,
): Record<string, string> {
  for (const name of RESERVED_VARIABLES) {
    if (name in settings.variables)
      context.logger.warning(
        `Input "variables" sets ${name}, which the action sets itself; its value is ignored.`,
      );
  }
  return {
    ...settings.variables,
    ISSUE_NUMBER: String(settings.issueNumber),
    ISSUE_URL: issueUrl(context, serverUrl, settings.issueNumber),
    GITHUB_REPOSITORY: `${context.owner}/${context.repo}`,
    TRINITY_SESSION_ID: sessionId,
  };
}

async function refuse(
  settings: ProvisionSettings,
  context: LifecycleContext,
  { counted, kind, ...refusal }: { who: string; why: string; how: string; counted?: boolean; kind?: string },
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
  return {
    outputs: { 'session-id': '', 'service-id': '', status: 'refused', 'comment-url': published.commentUrl },
    report: {
      title: `No sandbox for issue #${issueNumber}`,
      rows: [
        ['Who', refusal.who],
        ['Why', refusal.why],
        ['How to allow it', refusal.how],
      ],
      notes: [
        counted === true
          ? "Railway was asked only to count each account's services; nothing was created."
          : 'Railway was not called.',
      ],
    },
  };
}

function skipped(issueNumber: number, bound: FarmRow | undefined, why: string): LifecycleResult {
  return {
    outputs: {
      'session-id': bound?.session_id ?? '',
      'service-id': bound?.service_id ?? '',
      status: bound?.status ?? 'none',
      'comment-url': '',
    },
    report: {
      title: `Sandbox for issue #${issueNumber}`,
      rows: [['What happened', `nothing: ${why}`]],
      notes: [],
    },
  };
}
