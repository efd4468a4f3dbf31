import type { CommitBackend } from '../commit/types.js';
import { UserError } from '../errors.js';
import { parseFarm } from '../farm/parse.js';
import { emptyFarm, type Farm } from '../farm/types.js';
import type { GitHubClient } from '../github/octokit.js';
import type { Publisher } from '../github/publisher.js';
import type { Logger } from '../logger.js';
import type { RailwayClient } from '../railway/client.js';
import { isSecretLength } from '../secrets.js';

/**
 * Everything a lifecycle operation touches, each behind an interface so the actions, the demo and
 * the tests build it differently: real clients on a runner, emulators in tests, a fake clock where
 * waiting would be slow.
 */
export interface LifecycleContext {
  owner: string;
  repo: string;
  octokit: GitHubClient;
  publisher: Publisher;
  commits: CommitBackend;
  farmPath: string;
  logger: Logger;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** The workflow run, for links and for keys of events that have no Railway identity. */
  run: { id: string | undefined; attempt: string | undefined; url: string | undefined };
  /** Values to redact from everything posted, committed or archived. */
  secrets: readonly string[];
  /** Hides values learned during the run from the job's log (`::add-mask::` on a runner). */
  mask: (values: readonly string[]) => void;
}

/**
 * Variables this product sets itself, and the ones Railway injects into every service (domains,
 * ids, names): none is a secret, and redacting them would blank the sandbox's URL in the thread.
 * An explicit list, not a prefix: a user may well name a secret RAILWAY_TOKEN.
 */
const NOT_SECRET = new Set([
  'ISSUE_NUMBER',
  'ISSUE_URL',
  'GITHUB_REPOSITORY',
  'TRINITY_SESSION_ID',
  'RAILWAY_PUBLIC_DOMAIN',
  'RAILWAY_PRIVATE_DOMAIN',
  'RAILWAY_STATIC_URL',
  'RAILWAY_PROJECT_ID',
  'RAILWAY_PROJECT_NAME',
  'RAILWAY_ENVIRONMENT',
  'RAILWAY_ENVIRONMENT_ID',
  'RAILWAY_ENVIRONMENT_NAME',
  'RAILWAY_SERVICE_ID',
  'RAILWAY_SERVICE_NAME',
  'RAILWAY_DEPLOYMENT_ID',
  'RAILWAY_REPLICA_ID',
  'RAILWAY_REPLICA_REGION',
  'RAILWAY_GIT_BRANCH',
  'RAILWAY_GIT_COMMIT_SHA',
  'RAILWAY_GIT_REPO_NAME',
  'RAILWAY_GIT_REPO_OWNER',
]);

/**
 * The run's context with the sandbox's own variable values added to the secrets. Deploy and
 * destroy do not see the `variables` input that provision had, yet the logs they quote may echo
 * those values (the classic `echo $DATABASE_URL`), so they read them back from Railway and redact
 * them, and mask them in the job log, before quoting anything.
 */
export async function withServiceSecrets(
  context: LifecycleContext,
  railway: RailwayTarget,
  serviceId: string,
): Promise<LifecycleContext> {
  let variables: Record<string, string>;
  try {
    variables = await railway.client.getVariables({
      projectId: railway.projectId,
      environmentId: railway.environmentId,
      serviceId,
    });
  } catch (error) {
    context.logger.warning(
      `Could not read the sandbox's variables to redact them (${error instanceof Error ? error.message : String(error)}); ` +
        'log tails are redacted by token shape only.',
    );
    return context;
  }
  const values = Object.entries(variables)
    .filter(([name, value]) => !NOT_SECRET.has(name) && isSecretLength(value))
    .map(([, value]) => value);
  context.mask(values);
  return { ...context, secrets: [...context.secrets, ...values] };
}

export interface RailwayTarget {
  client: RailwayClient;
  projectId: string;
  environmentId: string;
}

/** A Markdown job summary: what happened, as a small table, and notes. */
export interface RunReport {
  title: string;
  rows: Array<[string, string]>;
  notes: string[];
}

export type Outputs = Record<string, string | number | boolean>;

export interface LifecycleResult {
  outputs: Outputs;
  report: RunReport;
}

/** The farm as the branch head has it: what this run converges from. */
export async function readFarm(context: Pick<LifecycleContext, 'commits' | 'farmPath'>): Promise<Farm> {
  const text = await context.commits.read(context.farmPath);
  return text === undefined ? emptyFarm() : parseFarm(text, context.farmPath);
}

/** Railway's project and environment: the inputs, or what a project token names. */
export async function resolveRailwayTarget(
  client: RailwayClient,
  given: { projectId: string | undefined; environmentId: string | undefined },
): Promise<RailwayTarget> {
  if (given.projectId !== undefined && given.environmentId !== undefined) {
    return { client, projectId: given.projectId, environmentId: given.environmentId };
  }
  const token = await client.resolveToken();
  const projectId = given.projectId ?? token.projectId;
  const environmentId = given.environmentId ?? token.environmentId;
  if (projectId === undefined || environmentId === undefined) {
    throw new UserError(
      'Railway project and environment are unknown: set railway-project-id and railway-environment-id ' +
        '(find them in the Railway dashboard under Project Settings), or use a project token, which names its own.',
    );
  }
  return { client, projectId, environmentId };
}

export function issueUrl(
  context: Pick<LifecycleContext, 'owner' | 'repo'>,
  serverUrl: string,
  issue: number,
): string {
  return `${serverUrl.replace(/\/+$/, '')}/${context.owner}/${context.repo}/issues/${issue}`;
}

/**
 * A user-facing failure that still has outputs and a summary to report (a build that failed is
 * the action failing, but the deployment id and the comment link are still worth setting).
 */
export class FailedWithResult extends UserError {
  override readonly name = 'FailedWithResult';
  constructor(
    message: string,
    readonly result: LifecycleResult,
  ) {
    super(message);
  }
}
