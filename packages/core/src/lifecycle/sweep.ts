import { join } from 'node:path';
import { planFarmCommit } from '../commit/farm-plan.js';
import { listBindings } from '../farm/mapping.js';
import type { Farm } from '../farm/types.js';
import { dropExpiredRows } from '../farm/mutations.js';
import { DEFAULT_RETAIN_DESTROYED_DAYS } from '../settings/actions.js';
import { readIssueState } from '../github/issue-state.js';
import type { ServiceSummary } from '../railway/types.js';
import { countLiveSandboxes, reconcileCounts, type RailwayAccounts } from './accounts.js';
import { readFarm, type LifecycleContext } from './context.js';
import { FailedWithResult, type LifecycleResult } from './result.js';
import { destroySandbox } from './destroy.js';
import { repairUnrecorded } from './sweep-unrecorded.js';
import { serviceNamePattern } from '../settings/service-name.js';
import type { DeploymentMirror } from '../github/deployments.js';

export interface SweepOptions {
  ttlMs: number | undefined;
  /** Each issue's logs go to `<archiveRoot>/issue-<n>`; undefined when archive-logs is false. */
  archiveRoot: string | undefined;
  /**
   * The `service-name` template (e.g. "issue-{issue}"): services named by it and in no mapping row
   * are repaired (see repairUnrecorded), and it is what the live sandboxes are counted by.
   */
  serviceName: string;
  /** Rows of sandboxes destroyed longer ago than this are dropped (default 30, `retain-destroyed-days`). */
  retainDestroyedDays?: number;
  /** GitHub deployments (`github-deployments`): a swept sandbox's newest one becomes inactive. */
  mirror?: DeploymentMirror;
}

const DAY_MS = 86_400_000;

/**
 * The safety net behind the issue events: destroys every sandbox whose issue is closed, deleted,
 * transferred or past its time to live, and repairs drift between the mapping and Railway. A live
 * service named by our `service-name` template and in no mapping row (a run died between create
 * and record) is destroyed when its issue is closed, deleted or missing and recorded when it is
 * open; one whose variables name another repository or issue is someone else's and left alone, as
 * is every service the template does not name. A row whose service no longer exists is closed in
 * the mapping, since there is nothing left to pay for.
 * Then the mapping is kept small: our rows of sandboxes destroyed more than `retainDestroyedDays`
 * ago are dropped (see dropExpiredRows). Last, each account's cached count of live sandboxes is set
 * to what Railway holds after the sweep.
 */
export async function sweepSandboxes(
  options: SweepOptions,
  context: LifecycleContext,
  accounts: RailwayAccounts,
): Promise<LifecycleResult> {
  const farm = await readFarm(context);
  const bindings = listBindings(farm);
  // Services per account that could be listed; a row on an account that could not be read is
  // never taken for gone.
  const listed = new Map<number, { projectId: string; services: ServiceSummary[] }>();
  for (const account of accounts.accounts) {
    try {
      const target = await accounts.target(account.accountId);
      const services = await target.client.listServices(target.projectId);
      listed.set(account.accountId, { projectId: target.projectId, services });
    } catch (error) {
      context.logger.warning(
        `Could not list the services of Railway account ${account.accountId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const rows: Array<[string, string]> = [];
  const failures: string[] = [];
  let destroyed = 0;
  let archived = false;
  const now = context.now().getTime();

  for (const row of bindings) {
    // One row that cannot be handled (a missing account token, an outage) must not stop the rest.
    try {
      const issue = await readIssueState(context.octokit, {
        owner: context.owner,
        repo: context.repo,
        issue: row.issue,
      });
      const age = row.created_at === undefined ? undefined : now - Date.parse(row.created_at);
      const expired = options.ttlMs !== undefined && age !== undefined && age > options.ttlMs;
      const account = listed.get(row.account_id);
      // Gone only when the row's own project was listed: a changed project id is not a deletion.
      const gone =
        account !== undefined &&
        (row.project_id === undefined || row.project_id === account.projectId) &&
        !account.services.some((service) => service.id === row.service_id);
      if (issue.kind === 'open' && !expired && !gone) continue;
      const reason = gone
        ? 'its service no longer exists on Railway'
        : expired
          ? 'its time to live passed'
          : `issue is ${issue.kind}`;
      const result = await destroySandbox(
        {
          issueNumber: row.issue,
          archiveDirectory:
            gone || options.archiveRoot === undefined
              ? undefined
              : join(options.archiveRoot, `issue-${row.issue}`),
          issue,
          reason,
          ...(gone ? { goneServiceIds: new Set([row.service_id]) } : {}),
          ...(options.mirror === undefined ? {} : { mirror: options.mirror }),
        },
        context,
        accounts,
      );
      destroyed += Number(result.outputs.destroyed);
      archived ||= result.outputs['logs-path'] !== '';
      rows.push([
        `#${row.issue}`,
        `${row.service_name ?? row.service_id}: ${gone ? 'closed in the mapping' : 'destroyed'} (${reason})`,
      ]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`#${row.issue}: ${message}`);
      rows.push([`#${row.issue}`, `not swept: ${message}`]);
      context.logger.error(`Sweeping issue #${row.issue} failed: ${message}`);
    }
  }

  const recorded = new Set(bindings.map((row) => row.service_id));
  const pattern = serviceNamePattern(options.serviceName);
  const unmapped = [...listed.entries()].flatMap(([accountId, account]) =>
    account.services
      .filter((service) => pattern.test(service.name) && !recorded.has(service.id))
      .map((service) => ({ accountId, service })),
  );
  for (const { accountId, service } of unmapped) {
    try {
      const repaired = await repairUnrecorded(options, context, accounts, accountId, service);
      destroyed += repaired.destroyed;
      rows.push([service.name, repaired.what]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${service.name}: ${message}`);
      rows.push([service.name, `unrecorded (${service.id}), not repaired: ${message}`]);
      context.logger.error(`Repairing the unrecorded service ${service.name} failed: ${message}`);
    }
  }

  const dropped = await dropOldRows(
    farm,
    options.retainDestroyedDays ?? DEFAULT_RETAIN_DESTROYED_DAYS,
    context,
  );
  if (dropped !== undefined) rows.push(['Mapping', dropped]);

  const recounted = await reconcileAccountCounts(options, context, accounts);
  if (recounted !== undefined) rows.push(['Accounts', recounted]);

  const result: LifecycleResult = {
    outputs: { destroyed, status: 'swept', 'logs-path': archived ? (options.archiveRoot ?? '') : '' },
    report: {
      title: 'Sandbox sweep',
      rows: rows.length > 0 ? rows : [['—', 'every sandbox belongs to an open issue; nothing to do']],
      notes: [
        `${bindings.length} bindings checked, ${destroyed} sandboxes destroyed, ${unmapped.length} unrecorded services repaired.`,
      ],
    },
  };
  if (failures.length > 0) {
    throw new FailedWithResult(
      `The sweep could not handle ${failures.length} sandbox(es); the others were swept. ${failures.join(' ')}`,
      result,
    );
  }
  return result;
}

/**
 * Drops the mapping rows of sandboxes destroyed more than `days` ago, in one commit, and only when
 * there are some (checked on the farm the sweep read: rows this sweep closed are not old). Answers
 * what was dropped, or undefined when nothing was.
 */
async function dropOldRows(farm: Farm, days: number, context: LifecycleContext): Promise<string | undefined> {
  const cutoff = new Date(context.now().getTime() - days * DAY_MS);
  const mutation = dropExpiredRows(cutoff);
  if (mutation(farm) === farm) return undefined;
  let dropped = 0;
  const commit = await context.commits.commit(
    planFarmCommit({
      farmPath: context.farmPath,
      // Counted on the head being committed to: a lost race re-applies it to a newer file.
      mutation: (farm) => {
        const kept = mutation(farm);
        dropped = farm.agent_map.length - kept.agent_map.length;
        return kept;
      },
      message: `sandbox: drop mapping rows of sandboxes destroyed more than ${days} days ago`,
    }),
  );
  if (!commit.committed || dropped === 0) return undefined;
  context.logger.info(`Dropped ${dropped} mapping rows older than ${days} days (${commit.sha ?? ''}).`);
  return `${dropped} rows of sandboxes destroyed more than ${days} days ago dropped (their history stays in git and the issue threads)`;
}

/**
 * The farm file's `active_services` counters are a cache of what Railway holds; the sweep sets them
 * to a fresh count (see countLiveSandboxes), listed after its own deletions. An account that cannot
 * be listed keeps its count. Answers what changed, or undefined when nothing did.
 */
async function reconcileAccountCounts(
  options: SweepOptions,
  context: LifecycleContext,
  accounts: RailwayAccounts,
): Promise<string | undefined> {
  const farm = await readFarm(context);
  const counts = await countLiveSandboxes(accounts, farm, serviceNamePattern(options.serviceName));
  const changes = counts.flatMap((count) => {
    if (!('live' in count)) return [];
    const cached = farm.accounts.find((a) => a.account_id === count.accountId)?.active_services ?? 0;
    return cached === count.live
      ? []
      : [`account ${count.accountId}: ${cached} → ${count.live} live sandboxes (counted on Railway)`];
  });
  if (changes.length === 0) return undefined;
  const commit = await context.commits.commit(
    planFarmCommit({
      farmPath: context.farmPath,
      mutation: reconcileCounts(counts),
      message: `sandbox: account counters set to what Railway holds (${changes.join('; ')})`,
    }),
  );
  if (commit.committed) context.logger.info(`Committed recounted account counters (${commit.sha ?? ''}).`);
  return changes.join('; ');
}
