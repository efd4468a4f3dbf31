// The sandbox's own variable values as secrets of the run: redacted from everything quoted, masked
// in the job's log.
import { isSecretLength } from '../secrets.js';
import type { LifecycleContext } from './context.js';
import type { RailwayTarget } from './railway-target.js';

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
