import { join } from 'node:path';
import { statusViewFromRow } from '../journal/status-view.js';
import { findBinding } from '../farm/mapping.js';
import { markDestroyed } from '../farm/mutations.js';
import type { Farm, FarmRow } from '../farm/types.js';
import type { DeploymentMirror } from '../github/deployments.js';
import type { IssueState } from '../github/issue-state.js';
import { readRunSnapshot, withSnapshot } from './snapshot.js';
import type { DeleteServiceResult } from '../railway/types.js';
import { archiveLogs, type ArchivedLogs } from './archive.js';
import { readFarm, type LifecycleContext } from './context.js';
import type { LifecycleResult } from './result.js';
import { withServiceSecrets } from './service-secrets.js';
import type { RailwayAccounts } from './accounts.js';
import { closeBinding, publishAndCommit } from './record.js';
import { adoptedRow, findUnrecordedService } from './unrecorded.js';

export interface DestroyOptions {
  issueNumber: number;
  /** Where to write the redacted logs; undefined when archive-logs is false. */
  archiveDirectory: string | undefined;
  /** The issue, when the caller already read it (a sweep). */
  issue?: IssueState;
  /** Why, for the comment and the summary (closed, deleted, ttl, …). */
  reason?: string;
  /**
   * Services the sweep saw absent from their project's list: their rows are closed without calling
   * Railway. Only these: any other row of the issue (Trinity's files can bind one issue several
   * times, and a provision may have bound a new service since the sweep looked) is deleted and
   * confirmed as usual.
   */
  goneServiceIds?: ReadonlySet<string>;
  /**
   * The `service-name` template: with it, an issue without a row still loses a service of its name
   * (a run that died between create and record left it unrecorded).
   */
  serviceName?: string;
  /** Marks the issue's GitHub deployment inactive once its sandbox is gone (`github-deployments`). */
  mirror?: DeploymentMirror;
}

/**
 * Removes every sandbox bound to the issue. Trinity's legacy files can bind one issue several
 * times, so it loops until no binding is left. A service that Railway's list of the project's
 * services no longer holds counts as gone; a refused token or an outage is an error, never "gone".
 * The thread hears about it unless the issue was deleted or moved, which can take no comment (the
 * job summary says what happened instead).
 */
export async function destroySandbox(
  options: DestroyOptions,
  base: LifecycleContext,
  accounts: RailwayAccounts,
): Promise<LifecycleResult> {
  const { issueNumber } = options;
  // One read, unless the sweep already knows the issue (docs/design.md, "One read per run").
  let context = base;
  let issue = options.issue;
  if (issue === undefined) {
    const snapshot = await readRunSnapshot(base, issueNumber);
    context = withSnapshot(base, snapshot);
    issue = snapshot.issue;
  }
  const repoName = `${context.owner}/${context.repo}`;
  const rows = pendingRows(await readFarm(context), issueNumber);
  if (rows.length === 0 && options.serviceName !== undefined) {
    const found = await findUnrecordedService(accounts, options.serviceName, issueNumber, repoName);
    if (found !== undefined) {
      context.logger.info(
        `Issue #${issueNumber} has no row in the mapping, yet its service ${found.service.name} (${found.service.id}) ` +
          'exists: a run died between creating and recording it. Destroying it.',
      );
      rows.push(adoptedRow({ ...found, accountId: found.account.accountId }, issueNumber, repoName));
    }
  }
  if (rows.length === 0) {
    context.logger.info(`Issue #${issueNumber} has no sandbox to destroy.`);
    return {
      outputs: { destroyed: 0, status: 'none', 'logs-path': '' },
      report: {
        title: `Sandbox for issue #${issueNumber}`,
        rows: [['What happened', 'nothing to destroy']],
        notes: [],
      },
    };
  }

  const reportRows: Array<[string, string]> = [];
  const archives: ArchivedLogs[] = [];
  let commentUrl: string | undefined;
  let deletedCount = 0;
  for (const row of rows) {
    let deleted: DeleteServiceResult = { deleted: false, alreadyGone: true };
    if (options.goneServiceIds?.has(row.service_id) !== true) {
      const railway = await accounts.target(row.account_id);
      if (options.archiveDirectory !== undefined) {
        const withSecrets = await withServiceSecrets(context, railway, row.service_id);
        const archived = await archiveLogs(railway, row, options.archiveDirectory, withSecrets.secrets);
        if (archived.files.length > 0) archives.push(archived);
      }
      // Recorded as destroyed only when Railway confirmed it: the delete succeeded, or the
      // project's list no longer holds the service. A refused token throws, and nothing is recorded.
      deleted = await railway.client.deleteService(row.service_id, {
        projectId: row.project_id ?? railway.projectId,
        environmentId: row.environment_id ?? railway.environmentId,
      });
    }
    context.logger.info(`Service ${row.service_id}: ${deleted.deleted ? 'deleted' : 'already gone'}.`);
    const at = context.now();
    const silent = issue.kind === 'deleted' || issue.kind === 'transferred' || issue.kind === 'missing';
    const logs = archives.at(-1);
    const { published } = await publishAndCommit(context, {
      event: silent
        ? undefined
        : {
            type: 'sandbox_destroyed',
            issue: issueNumber,
            key: `sandbox_destroyed-${row.service_id}`,
            at: at.toISOString(),
            repo: repoName,
            service: {
              id: row.service_id,
              ...(row.service_name === undefined ? {} : { name: row.service_name }),
            },
            ...(context.run.url === undefined ? {} : { runUrl: context.run.url }),
            details: {
              reason: options.reason ?? `issue is ${issue.kind}`,
              service: deleted.deleted ? 'deleted' : 'already gone',
              logs:
                logs === undefined
                  ? 'not archived'
                  : `${logs.lines} lines archived as a workflow artifact (${logs.files.join(', ')})`,
            },
          },
      status: { ...statusViewFromRow(issueNumber, repoName, row, at.toISOString()), state: 'destroyed' },
      statusCommentId: row.status_comment_id,
      mutation: closeBinding(issueNumber, row.service_id, row.account_id, at),
      commitMessage: `sandbox: issue #${issueNumber} sandbox ${row.service_name ?? row.service_id} destroyed`,
    });
    commentUrl = published?.commentUrl ?? commentUrl;
    if (deleted.deleted) deletedCount++;
    reportRows.push([row.service_name ?? row.service_id, deleted.deleted ? 'deleted' : 'already gone']);
  }
  await options.mirror?.destroyed(issueNumber);
  return {
    outputs: {
      destroyed: deletedCount,
      status: 'destroyed',
      'logs-path': archives.length > 0 ? (options.archiveDirectory ?? '') : '',
    },
    report: {
      title: `Sandbox for issue #${issueNumber} destroyed`,
      rows: [
        ...reportRows,
        ['Issue', issue.kind],
        ...(commentUrl ? ([['Comment', commentUrl]] as Array<[string, string]>) : []),
      ],
      notes:
        issue.kind === 'deleted' || issue.kind === 'transferred'
          ? [`The issue was ${issue.kind}, so no comment was posted; this summary is the record.`]
          : [],
    },
  };
}

/** The issue's bindings, newest first, as the loop will meet them (each destroy uncovers the next). */
function pendingRows(farm: Farm, issue: number): FarmRow[] {
  const rows: FarmRow[] = [];
  let current = farm;
  for (let row = findBinding(current, issue); row !== undefined; row = findBinding(current, issue)) {
    rows.push(row);
    current = markDestroyed(issue, new Date(0))(current);
  }
  return rows;
}

/** Where a run archives logs: under the runner's temp directory, one folder per issue. */
export function archiveRootIn(tempDir: string): string {
  return join(tempDir, 'trinity-sandbox-logs');
}
