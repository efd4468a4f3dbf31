import { UserError } from '../errors.js';
import type { RailwayAccount } from '../farm/accounts.js';
import { listBindings } from '../farm/mapping.js';
import { compose, reconcileActiveServices, type FarmMutation } from '../farm/mutations.js';
import type { Farm } from '../farm/types.js';
import { resolveRailwayTarget, type RailwayTarget } from './railway-target.js';
import type { RailwayClient } from '../railway/client.js';

/**
 * The Railway accounts a run may use (docs/actions.md, 'More than one Railway account'): account 1
 * from the action's inputs, and accounts 2 … 8 from RAILWAY_API_TOKEN_2 … _8 (with
 * RAILWAY_PROJECT_ID_n and RAILWAY_ENVIRONMENT_ID_n) in the step's environment. A sandbox lives on
 * the account recorded in its mapping row, so deploy and destroy reach it through that account,
 * whichever has room today.
 */
export interface RailwayAccounts {
  readonly accounts: readonly RailwayAccount[];
  /** The account's client, project and environment (resolved once, on first use). */
  target(accountId: number): Promise<RailwayTarget>;
}

export function createRailwayAccounts(
  accounts: readonly RailwayAccount[],
  connect: (account: RailwayAccount) => RailwayClient,
): RailwayAccounts {
  const targets = new Map<number, Promise<RailwayTarget>>();
  return {
    accounts,
    target(accountId) {
      let target = targets.get(accountId);
      if (target === undefined) {
        const account = accounts.find((candidate) => candidate.accountId === accountId);
        if (account === undefined) {
          return Promise.reject(
            new UserError(
              `This sandbox lives on Railway account ${accountId}, but this step has no token for it. Set ` +
                `RAILWAY_API_TOKEN_${accountId} (and RAILWAY_PROJECT_ID_${accountId}, RAILWAY_ENVIRONMENT_ID_${accountId}) ` +
                "in the step's env, as for provision-sandbox.",
            ),
          );
        }
        target = resolveRailwayTarget(connect(account), {
          projectId: account.projectId,
          environmentId: account.environmentId,
        });
        targets.set(accountId, target);
      }
      return target;
    },
  };
}

/** What Railway holds on one account, or why it could not be asked. */
export type LiveSandboxCount =
  { accountId: number; projectId: string; live: number } | { accountId: number; error: string };

/**
 * Counts each account's live sandboxes on Railway, the truth behind the farm file's cached
 * `active_services`. A sandbox is a service of the account's project that is named like one
 * (`ownedName`, from the service-name template) or that a live mapping row of that account binds
 * (a sandbox named under an older template). Other services of the project (a database someone
 * added by hand) are not sandboxes and take no slot. An account that cannot be listed is reported
 * with its error, so its cached count stays as it is.
 */
export async function countLiveSandboxes(
  accounts: RailwayAccounts,
  farm: Farm,
  ownedName: RegExp,
): Promise<LiveSandboxCount[]> {
  const counts: LiveSandboxCount[] = [];
  for (const account of accounts.accounts) {
    try {
      const target = await accounts.target(account.accountId);
      const bound = new Set(
        listBindings(farm)
          .filter((row) => row.account_id === account.accountId)
          .map((row) => row.service_id),
      );
      const services = await target.client.listServices(target.projectId);
      const live = services.filter((service) => ownedName.test(service.name) || bound.has(service.id)).length;
      counts.push({ accountId: account.accountId, projectId: target.projectId, live });
    } catch (error) {
      counts.push({
        accountId: account.accountId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return counts;
}

/** The farm with every counted account's `active_services` set to what Railway holds. */
export function reconcileCounts(counts: readonly LiveSandboxCount[]): FarmMutation {
  return compose(
    ...counts.flatMap((count) =>
      'live' in count ? [reconcileActiveServices(count.accountId, count.live)] : [],
    ),
  );
}
