import type { Logger } from '../logger.js';
import { acceptedPermissions } from './answers.js';
import { GitHubRefusal } from './refusals.js';
import type { GitHubClient } from './octokit.js';
import { statusOf } from './status.js';

/**
 * The issue's sandbox as a GitHub deployment (docs/actions.md, "GitHub deployments"): one deployment
 * per Railway deployment to the environment `issue-<n>`, which GitHub creates on first use, with one
 * status per transition. Requests, per life of a sandbox with one deployment: deploy reads the
 * environment's newest deployment (1 read), creates one (1 write) unless a previous run of the same
 * Railway deployment did, marks it in_progress (1 write) and success or failure (1 write); destroy
 * reads the newest (1 read) and marks it inactive (1 write). A success's `auto_inactive` (GitHub's
 * default) marks the environment's older successes inactive without more requests. The mirror never
 * fails a run: an answer it cannot use is a warning, and a missing `deployments: write` turns it
 * off for the rest of the run after one warning that names the permission.
 */
export interface DeploymentMirror {
  /** The Railway deployment started or adopted; undefined when the mirror is off. */
  started(input: {
    issue: number;
    railwayDeploymentId: string;
    adopted: boolean;
  }): Promise<number | undefined>;
  /** A settled deployment: `success` with the sandbox's URL, or `failure`. */
  settled(
    deploymentId: number | undefined,
    state: 'success' | 'failure',
    environmentUrl?: string,
  ): Promise<void>;
  /** The sandbox is gone: its newest deployment becomes inactive. */
  destroyed(issue: number): Promise<void>;
}

export interface DeploymentMirrorOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  logger: Logger;
  /** What the deployment points at: the run's commit (GITHUB_SHA) or a branch name. */
  ref: string;
  /** The workflow run, shown as each status's log. */
  logUrl: string | undefined;
}

export function environmentOf(issue: number): string {
  return `issue-${issue}`;
}

export function createDeploymentMirror(options: DeploymentMirrorOptions): DeploymentMirror {
  const { octokit, owner, repo, logger } = options;
  let off = false;
  const logUrl = options.logUrl === undefined ? {} : { log_url: options.logUrl };

  /** Runs one request of the mirror; any failure is a warning, a refused permission turns it off. */
  async function guarded<T>(what: string, request: () => Promise<T>): Promise<T | undefined> {
    if (off) return undefined;
    try {
      return await request();
    } catch (error) {
      if (isMissingPermission(error)) {
        off = true;
        logger.warning(
          `GitHub refused to ${what} (403 Resource not accessible by integration): the token lacks the ` +
            '`deployments: write` permission, so the sandbox is not mirrored as a GitHub deployment in this run. ' +
            "Add `deployments: write` to the job's `permissions:`, or set github-deployments: false to stop trying.",
        );
        return undefined;
      }
      logger.warning(
        `Could not ${what} (${error instanceof Error ? error.message : String(error)}); the sandbox itself is ` +
          'unaffected, only its GitHub deployment entry is behind.',
      );
      return undefined;
    }
  }

  async function newest(issue: number) {
    const { data } = await octokit.rest.repos.listDeployments({
      owner,
      repo,
      environment: environmentOf(issue),
      per_page: 1,
    });
    return data[0];
  }

  async function status(
    deploymentId: number,
    state: 'in_progress' | 'success' | 'failure' | 'inactive',
    url?: string,
  ) {
    await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: deploymentId,
      state,
      ...logUrl,
      ...(url === undefined ? {} : { environment_url: url }),
    });
  }

  return {
    async started({ issue, railwayDeploymentId, adopted }) {
      // A deployment this product started just now cannot be mirrored yet; an adopted one may be.
      if (adopted) {
        const found = await guarded('read the GitHub deployments of the issue', () => newest(issue));
        if (railwayIdOf(found?.payload) === railwayDeploymentId && found !== undefined) return found.id;
      }
      const created = await guarded('create a GitHub deployment', async () => {
        const { data } = await octokit.rest.repos.createDeployment({
          owner,
          repo,
          ref: options.ref,
          environment: environmentOf(issue),
          description: `Sandbox of issue #${issue} (Railway deployment ${railwayDeploymentId})`.slice(0, 140),
          payload: { railway_deployment_id: railwayDeploymentId, issue },
          // A sandbox deploys what Railway builds, not this ref: no merge, no commit-status checks.
          auto_merge: false,
          required_contexts: [],
          // Not transient: auto_inactive only retires non-transient deployments (docs/actions.md).
          transient_environment: false,
          production_environment: false,
        });
        return 'id' in data ? data.id : undefined;
      });
      if (created === undefined) return undefined;
      await guarded('mark the GitHub deployment in progress', () => status(created, 'in_progress'));
      return created;
    },
    async settled(deploymentId, state, environmentUrl) {
      if (deploymentId === undefined) return;
      await guarded(`mark the GitHub deployment ${state}`, () => status(deploymentId, state, environmentUrl));
    },
    async destroyed(issue) {
      const found = await guarded('read the GitHub deployments of the issue', () => newest(issue));
      if (found === undefined) return;
      await guarded('mark the GitHub deployment inactive', () => status(found.id, 'inactive'));
    },
  };
}

/** A mirror that does nothing: `github-deployments: false`. */
export const NO_DEPLOYMENT_MIRROR: DeploymentMirror = {
  started: () => Promise.resolve(undefined),
  settled: () => Promise.resolve(),
  destroyed: () => Promise.resolve(),
};

function railwayIdOf(payload: unknown): string | undefined {
  const value =
    typeof payload === 'object' && payload !== null
      ? (payload as Record<string, unknown>).railway_deployment_id
      : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * GitHub's 403 `Resource not accessible by integration` (the client turns it into a GitHubRefusal of
 * that kind), or any 403 naming the deployments permission in `x-accepted-github-permissions`. A 403
 * that is a rate limit is neither.
 */
function isMissingPermission(error: unknown): boolean {
  if (error instanceof GitHubRefusal) return error.kind === 'not_accessible_by_integration';
  return statusOf(error) === 403 && acceptedPermissions(error).some((p) => p.startsWith('deployments:'));
}
