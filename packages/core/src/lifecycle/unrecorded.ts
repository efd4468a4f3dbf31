import { planFarmCommit } from '../commit/farm-plan.js';
import type { RailwayAccount } from '../farm/accounts.js';
import { findBinding } from '../farm/mapping.js';
import { compose, recordCreate, upsertBinding } from '../farm/mutations.js';
import type { FarmRow } from '../farm/types.js';
import { UserError } from '../errors.js';
import type { ServiceSummary } from '../railway/types.js';
import { serviceNameFor } from '../settings/service-name.js';
import type { RailwayAccounts } from './accounts.js';
import type { LifecycleContext } from './context.js';
import type { RailwayTarget } from './railway-target.js';

// A service exists on Railway only with a mapping row that names it, or for the moment between
// its create and its record (docs/RELIABILITY.md, "Order of effects"). A run that died in that
// moment leaves a service under the issue's name and no row: every action for the issue, and the
// sweep, finds it here by name and records or destroys it, so it is never "left alone".

export interface FoundService {
  account: RailwayAccount;
  target: RailwayTarget;
  service: ServiceSummary;
}

/** The issue's service, if any account's project already holds one of its name. */
export async function findOnAnyAccount(
  accounts: RailwayAccounts,
  name: string,
): Promise<FoundService | undefined> {
  for (const account of accounts.accounts) {
    const target = await accounts.target(account.accountId);
    const service = await target.client.findServiceByName(target.projectId, name);
    if (service !== undefined) return { account, target, service };
  }
  return undefined;
}

/**
 * The issue's service found by name, with its variables, when it is this issue's: a service whose
 * GITHUB_REPOSITORY or ISSUE_NUMBER name another issue is refused (refuseAnotherIssuesService).
 */
export async function findUnrecordedService(
  accounts: RailwayAccounts,
  template: string,
  issue: number,
  repoName: string,
): Promise<(FoundService & { variables: Record<string, string> }) | undefined> {
  const name = serviceNameFor(template, issue);
  const found = await findOnAnyAccount(accounts, name);
  if (found === undefined) return undefined;
  const variables = await found.target.client.getVariables({
    projectId: found.target.projectId,
    environmentId: found.target.environmentId,
    serviceId: found.service.id,
  });
  refuseAnotherIssuesService(name, variables, repoName, issue);
  return { ...found, variables };
}

/**
 * A service found by name is adopted (or destroyed) only when nothing says it is another issue's
 * sandbox: another repository sharing the Railway project with the same `service-name` template,
 * say. Adopting it would rewrite its variables and bind two issues to one service, and closing
 * either would delete it.
 */
export function refuseAnotherIssuesService(
  serviceName: string,
  variables: Record<string, string>,
  repoName: string,
  issueNumber: number,
): void {
  if (isAnotherIssues(variables, repoName, issueNumber)) {
    const repo = variables['GITHUB_REPOSITORY'];
    const issue = variables['ISSUE_NUMBER'];
    throw new UserError(
      `Railway service "${serviceName}" already exists and belongs to ${repo ?? repoName}#${issue ?? '?'}, ` +
        `not to ${repoName}#${issueNumber}, so it was left alone. Give this repository's sandboxes their own ` +
        'names with the service-name input (for example "widgets-{issue}"), or use another Railway project.',
    );
  }
}

export function isAnotherIssues(
  variables: Record<string, string>,
  repoName: string,
  issueNumber: number,
): boolean {
  const repo = variables['GITHUB_REPOSITORY'];
  const issue = variables['ISSUE_NUMBER'];
  return (repo !== undefined && repo !== repoName) || (issue !== undefined && issue !== String(issueNumber));
}

/** The mapping row of a found service: where it lives, and the session id it runs with. */
export function adoptedRow(
  found: {
    accountId: number;
    target: RailwayTarget;
    service: ServiceSummary;
    variables: Record<string, string>;
  },
  issue: number,
  repoName: string,
): FarmRow {
  const session = found.variables['TRINITY_SESSION_ID'];
  return {
    issue,
    account_id: found.accountId,
    service_id: found.service.id,
    repo: repoName,
    ...(session === undefined ? {} : { session_id: session }),
    service_name: found.service.name,
    project_id: found.target.projectId,
    environment_id: found.target.environmentId,
    status: 'deploying',
  };
}

/**
 * Records a found service as the issue's binding, in one commit, unless another run recorded a
 * binding first (then that one stands and is answered). The account's counters count it: it was
 * created by a run that died before counting it.
 */
export async function recordAdoption(context: LifecycleContext, row: FarmRow): Promise<FarmRow> {
  const at = context.now();
  const { issue, ...fields } = row;
  let recorded: FarmRow = row;
  await context.commits.commit(
    planFarmCommit({
      farmPath: context.farmPath,
      mutation: (farm) => {
        const bound = findBinding(farm, issue);
        if (bound !== undefined) {
          recorded = bound;
          return farm;
        }
        recorded = row;
        return compose(upsertBinding(issue, fields, at), recordCreate(row.account_id, at))(farm);
      },
      message: `sandbox: issue #${issue} → Railway service ${row.service_name ?? ''} (${row.service_id}), adopted unrecorded`,
    }),
  );
  context.logger.info(
    `Recorded the unrecorded service ${row.service_name ?? ''} (${row.service_id}) as issue #${issue}'s sandbox.`,
  );
  return recorded;
}
