import { chooseAccount, reservedSlots, type AccountUsage, type RailwayAccount } from '../farm/accounts.js';
import { CapacityError } from '../farm/errors.js';
import { listBindings } from '../farm/mapping.js';
import { reserveSlot, type FarmMutation } from '../farm/mutations.js';
import type { Farm } from '../farm/types.js';
import { planFarmCommit } from '../commit/farm-plan.js';
import { UserError } from '../errors.js';
import type { ProvisionSettings } from '../settings/actions.js';
import { isNameTaken, isOutcomeUnknown, isRailwayFailure } from '../railway/errors.js';
import type { CreateServiceInput, ServiceSummary } from '../railway/types.js';
import { serviceNamePattern } from '../settings/service-name.js';
import {
  countLiveSandboxes,
  reconcileCounts,
  type LiveSandboxCount,
  type RailwayAccounts,
} from './accounts.js';
import type { LifecycleContext } from './context.js';
import type { RailwayTarget } from './railway-target.js';

// Where a new sandbox goes: which account has room (counted on Railway when the mapping says none
// has), reserved in the mapping before the create, and the create itself, which happens once per
// name whatever fails around it.

/** Why no slot was reserved; `counted` says whether Railway's own counts were asked. */
export interface PlacementRefusal {
  why: string;
  how: string;
  counted: boolean;
  kind: 'capacity' | 'max-sandboxes';
}

/**
 * Reserves a slot for the issue's sandbox in the mapping, before anything is created
 * (docs/RELIABILITY.md, 'Order of effects'). The farm file's counters are a cache: when they say
 * every account is full, the live sandboxes are counted on Railway (see countLiveSandboxes) and the
 * choice is made on those counts. The choice itself is made again inside the reservation commit,
 * on the head being committed to: a run that lost the race re-plans on the winner's file, where
 * the winner's reservation already takes its slot, so two runs racing for the last slot of an
 * account (or of `max-sandboxes`) cannot both get it. Returns the accounts that may take the
 * sandbox, the reserved one first, or the refusal, which says what was counted where.
 */
export async function reservePlacement(
  settings: ProvisionSettings,
  context: LifecycleContext,
  accounts: RailwayAccounts,
  farm: Farm,
  serviceName: string,
): Promise<{ candidates: RailwayAccount[] } | { refusal: PlacementRefusal }> {
  const issue = settings.issueNumber;
  let reconcile: FarmMutation = (same) => same;
  let counts: LiveSandboxCount[] | undefined;
  try {
    chooseAccount(farm, accounts.accounts, context.now(), {}, issue);
  } catch (error) {
    if (!(error instanceof CapacityError)) throw error;
    context.logger.info(
      'The mapping says every Railway account is full; counting the live sandboxes on Railway itself.',
    );
    counts = await countLiveSandboxes(accounts, farm, serviceNamePattern(settings.serviceName));
    reconcile = reconcileCounts(counts);
  }
  const at = context.now();
  // Set by the last application of the mutation: the one on the head that was committed (or not).
  let outcome: { candidates: RailwayAccount[] } | { refusal: PlacementRefusal } = { candidates: [] };
  const result = await context.commits.commit(
    planFarmCommit({
      farmPath: context.farmPath,
      mutation: (head) => {
        const recounted = reconcile(head);
        const full = repositoryFull(recounted, settings, at);
        if (full !== undefined) {
          outcome = { refusal: full };
          return head;
        }
        try {
          const choice = chooseAccount(recounted, accounts.accounts, at, {}, issue);
          outcome = { candidates: choice.candidates };
          return reserveSlot(issue, choice.account.accountId, serviceName, at)(recounted);
        } catch (error) {
          if (!(error instanceof CapacityError)) throw error;
          outcome = { refusal: capacityRefusal(error.usage, counts, settings) };
          return head;
        }
      },
      message: `sandbox: issue #${issue} reserves a slot for Railway service ${serviceName}`,
    }),
  );
  if (result.committed)
    context.logger.info(
      `Reserved a slot on Railway account ${'candidates' in outcome ? (outcome.candidates[0]?.accountId ?? '') : ''}: ` +
        `committed ${result.paths.join(', ')} to ${result.branch} (${result.sha ?? ''}).`,
    );
  return outcome;
}

/**
 * `max-sandboxes` counted on the head being committed to: the repository's other bindings and the
 * slots other issues' runs have reserved. The gate checked the same cap on the farm as read; under
 * a burst only this count sees the runs that reserved meanwhile.
 */
function repositoryFull(farm: Farm, settings: ProvisionSettings, now: Date): PlacementRefusal | undefined {
  const max = settings.maxSandboxes;
  if (max === undefined) return undefined;
  const live = listBindings(farm).filter((row) => row.issue !== settings.issueNumber).length;
  let reserved = 0;
  for (const count of reservedSlots(farm, now, settings.issueNumber).values()) reserved += count;
  if (live + reserved < max) return undefined;
  return {
    why: `${live + reserved} sandboxes are live${reserved > 0 ? ` (${reserved} of them being created)` : ''} and max-sandboxes is ${max}`,
    how: 'close issues whose sandboxes are no longer needed (or raise max-sandboxes), then reopen or relabel this issue',
    counted: false,
    kind: 'max-sandboxes',
  };
}

function capacityRefusal(
  usage: readonly AccountUsage[],
  counts: readonly LiveSandboxCount[] | undefined,
  settings: ProvisionSettings,
): PlacementRefusal {
  return {
    why:
      'every Railway account is at its cap of live sandboxes or daily creates: ' +
      usage
        .map((use) =>
          describeCount(
            use,
            counts?.find((c) => c.accountId === use.accountId),
            settings,
            counts !== undefined,
          ),
        )
        .join('; '),
    how: 'close issues whose sandboxes are no longer needed, or add an account (RAILWAY_API_TOKEN_2 … _8)',
    counted: counts !== undefined,
    kind: 'capacity',
  };
}

function describeCount(
  use: AccountUsage,
  count: LiveSandboxCount | undefined,
  settings: ProvisionSettings,
  asked: boolean,
): string {
  const creates = `${use.dailyCreates} of ${use.maxDailyCreates} creates today (mapping file)`;
  const reserved = use.reserved > 0 ? ` and ${use.reserved} being created by other runs` : '';
  if (!asked) {
    // The mapping had room when this run read it; other runs reserved or recorded the rest since.
    return `account ${use.accountId}: ${use.activeServices} of ${use.maxConcurrent} live sandboxes${reserved} (mapping file); ${creates}`;
  }
  if (count === undefined || !('live' in count)) {
    const why = count === undefined ? '' : ` (${count.error})`;
    return (
      `account ${use.accountId}: Railway could not be asked${why}, so the mapping's ` +
      `${use.activeServices} of ${use.maxConcurrent} live sandboxes stand${reserved}; ${creates}`
    );
  }
  return (
    `account ${use.accountId}: ${count.live} of ${use.maxConcurrent} live sandboxes counted on Railway ` +
    `in project ${count.projectId} (services named like "${settings.serviceName}" or bound in the mapping)` +
    `${reserved}; ${creates}`
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
export interface Placed {
  account: RailwayAccount;
  target: RailwayTarget;
  service: ServiceSummary;
  created: boolean;
}

export async function createOnFirstAccountThatWorks(
  candidates: readonly RailwayAccount[],
  accounts: RailwayAccounts,
  context: LifecycleContext,
  input: Omit<CreateServiceInput, 'projectId' | 'environmentId'>,
): Promise<Placed> {
  let lastError: unknown;
  for (const account of candidates) {
    try {
      const target = await accounts.target(account.accountId);
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
