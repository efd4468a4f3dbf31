import { chooseAccount, type AccountUsage, type RailwayAccount } from '../farm/accounts.js';
import { CapacityError } from '../farm/errors.js';
import type { FarmMutation } from '../farm/mutations.js';
import type { Farm } from '../farm/types.js';
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
import type { LifecycleContext, RailwayTarget } from './context.js';

// Where a new sandbox goes: which account has room (counted on Railway when the mapping says none
// has), and the create itself, which happens once per name whatever fails around it.

/**
 * The accounts that may take the sandbox, best first. The farm file's counters are a cache: when
 * they say every account is full, the live sandboxes are counted on Railway (see
 * countLiveSandboxes) and the choice is made again on those counts, which the mapping commit then
 * records. Only when Railway's counts are full too is the sandbox refused, and the refusal says
 * what was counted where.
 */
export async function placeSandbox(
  settings: ProvisionSettings,
  context: LifecycleContext,
  accounts: RailwayAccounts,
  farm: Farm,
): Promise<
  | { candidates: RailwayAccount[]; reconcile: FarmMutation }
  | { refusal: { why: string; how: string; counted: true; kind: 'capacity' } }
> {
  const same: FarmMutation = (unchanged) => unchanged;
  try {
    return { candidates: chooseAccount(farm, accounts.accounts, context.now()).candidates, reconcile: same };
  } catch (error) {
    if (!(error instanceof CapacityError)) throw error;
  }
  context.logger.info(
    'The mapping says every Railway account is full; counting the live sandboxes on Railway itself.',
  );
  const counts = await countLiveSandboxes(accounts, farm, serviceNamePattern(settings.serviceName));
  const reconcile = reconcileCounts(counts);
  try {
    return {
      candidates: chooseAccount(reconcile(farm), accounts.accounts, context.now()).candidates,
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
