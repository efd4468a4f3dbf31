import type { ProvisionSettings } from '../settings/actions.js';
import type { FarmRow } from '../farm/types.js';
import type { RailwayAccounts } from './accounts.js';
import { issueUrl, type LifecycleContext } from './context.js';
import { syncVariables } from './variables.js';

// The variables a sandbox runs with: the user's, and the issue's identity, which this product sets.

const RESERVED_VARIABLES = ['ISSUE_NUMBER', 'ISSUE_URL', 'GITHUB_REPOSITORY', 'TRINITY_SESSION_ID'];

/**
 * A re-run of provision on a recorded sandbox (say, after the workflow's `variables` changed)
 * brings its variables up to date; Railway applies them with a redeploy (docs/railway.md).
 */
export async function syncRecordedVariables(
  settings: ProvisionSettings,
  context: LifecycleContext,
  accounts: RailwayAccounts,
  bound: FarmRow,
  serverUrl: string,
): Promise<void> {
  if (bound.service_id === undefined) return;
  const target = await accounts.target(bound.account_id);
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

export function sandboxVariables(
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
