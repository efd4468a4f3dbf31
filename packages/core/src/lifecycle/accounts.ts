import { UserError } from '../errors.js';
import type { RailwayAccount } from '../farm/accounts.js';
import { resolveRailwayTarget, type RailwayTarget } from './context.js';
import type { RailwayClient } from '../railway/client.js';

/**
 * The Railway accounts a run may use (SPEC §3.1): account 1 from the action's inputs, and accounts
 * 2 … 8 from RAILWAY_API_TOKEN_2 … _8 (with RAILWAY_PROJECT_ID_n and RAILWAY_ENVIRONMENT_ID_n) in
 * the step's environment. A sandbox lives on the account recorded in its mapping row, so deploy and
 * destroy reach it through that account, whichever has room today.
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
