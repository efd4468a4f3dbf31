import { join } from 'node:path';
import { findBinding } from '../farm/mapping.js';
import { readIssueState } from '../github/issue-state.js';
import type { ServiceSummary } from '../railway/types.js';
import { issueOfServiceName } from '../settings/service-name.js';
import type { RailwayAccounts } from './accounts.js';
import { readFarm, type LifecycleContext } from './context.js';
import { destroySandbox } from './destroy.js';
import type { SweepOptions } from './sweep.js';
import { adoptedRow, isAnotherIssues, recordAdoption } from './unrecorded.js';

/**
 * One live service named by our template that no mapping row names: a run died (or its thread
 * refused it) between creating and recording it. Its issue decides: closed, deleted, moved or
 * missing, it is destroyed; open, it is recorded as the issue's sandbox, or deleted when the issue
 * already has another one (a duplicate that only bills). A service whose variables name another
 * repository or issue is someone else's: left alone, and said so.
 */
export async function repairUnrecorded(
  options: Pick<SweepOptions, 'serviceName' | 'archiveRoot'>,
  context: LifecycleContext,
  accounts: RailwayAccounts,
  accountId: number,
  service: ServiceSummary,
): Promise<{ destroyed: number; what: string }> {
  const repoName = `${context.owner}/${context.repo}`;
  const issueNumber = issueOfServiceName(options.serviceName, service.name);
  if (issueNumber === undefined)
    return { destroyed: 0, what: `unrecorded (${service.id}); its name gives no issue number, left alone` };
  const target = await accounts.target(accountId);
  const variables = await target.client.getVariables({
    projectId: target.projectId,
    environmentId: target.environmentId,
    serviceId: service.id,
  });
  if (isAnotherIssues(variables, repoName, issueNumber)) {
    const owner = `${variables['GITHUB_REPOSITORY'] ?? repoName}#${variables['ISSUE_NUMBER'] ?? '?'}`;
    return { destroyed: 0, what: `unrecorded (${service.id}) but belongs to ${owner}; left alone` };
  }
  const issue = await readIssueState(context.octokit, {
    owner: context.owner,
    repo: context.repo,
    issue: issueNumber,
  });
  const row = adoptedRow({ accountId, target, service, variables }, issueNumber, repoName);
  if (issue.kind === 'open') {
    const bound = findBinding(await readFarm(context), issueNumber);
    if (bound === undefined || bound.service_id === service.id) {
      const recorded = await recordAdoption(context, row);
      if (recorded.service_id === service.id)
        return { destroyed: 0, what: `unrecorded (${service.id}); issue #${issueNumber} is open: recorded` };
    }
    // The issue's sandbox is another service: this one is a duplicate that only bills.
    await target.client.deleteService(service.id, {
      projectId: target.projectId,
      environmentId: target.environmentId,
    });
    return {
      destroyed: 1,
      what: `unrecorded duplicate (${service.id}) of issue #${issueNumber}'s recorded sandbox: destroyed`,
    };
  }
  const result = await destroySandbox(
    {
      issueNumber,
      archiveDirectory:
        options.archiveRoot === undefined ? undefined : join(options.archiveRoot, `issue-${issueNumber}`),
      issue,
      reason: `issue is ${issue.kind}`,
      serviceName: options.serviceName,
    },
    context,
    accounts,
  );
  return {
    destroyed: Number(result.outputs.destroyed),
    what: `unrecorded (${service.id}); issue #${issueNumber} is ${issue.kind}: destroyed`,
  };
}
