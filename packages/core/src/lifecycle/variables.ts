import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RailwayTarget } from './railway-target.js';
import { isUnanswered } from './unanswered.js';

/**
 * Sets variables on a service that already runs, so that they apply. Railway applies variables only
 * to new deployments (docs/railway.md, "Deployment statuses"), so the upsert lets Railway
 * redeploy (`skipDeploys: false`): the deployment that then follows carries them, and deploy adopts
 * that newest deployment instead of one started with the old values (for instance an adopted
 * service's old TRINITY_SESSION_ID).
 *
 * `variableCollectionUpsert` has no idempotency key and starts a deployment, so an upsert whose
 * answer is lost is never sent again: the variables are read back, and if they hold the values the
 * upsert (and its redeploy) happened. If not, the run stops and its re-run converges.
 */
export async function applyVariables(
  railway: RailwayTarget,
  serviceId: string,
  variables: Record<string, string>,
  logger: Logger,
): Promise<void> {
  const scope = { projectId: railway.projectId, environmentId: railway.environmentId, serviceId };
  try {
    await railway.client.upsertVariables({ ...scope, variables, skipDeploys: false });
  } catch (error) {
    if (!isUnanswered(error)) throw error;
    const now = await railway.client.getVariables(scope);
    const names = Object.keys(variables);
    if (names.every((name) => now[name] === variables[name])) {
      logger.warning(
        `Railway did not answer the request to set ${names.join(', ')} (${error.message}), but the service now ` +
          'has those values: that request set them, so nothing is sent again.',
      );
      return;
    }
    throw new UserError(
      `Railway did not answer the request to set ${names.join(', ')} on service ${serviceId} (${error.message}), ` +
        'and the service does not have those values. The request was not sent again, because each one starts a ' +
        'deployment. Re-run this job to set them.',
    );
  }
}

/**
 * Makes a service that already exists carry `desired`, redeploying only when something differs:
 * a re-run that finds everything in place costs one read and starts nothing. `current` is what
 * the caller already read, if it did. Answers the names that were set.
 */
export async function syncVariables(
  railway: RailwayTarget,
  serviceId: string,
  desired: Record<string, string>,
  logger: Logger,
  current?: Record<string, string>,
): Promise<string[]> {
  const now =
    current ??
    (await railway.client.getVariables({
      projectId: railway.projectId,
      environmentId: railway.environmentId,
      serviceId,
    }));
  const changed = Object.keys(desired).filter((name) => now[name] !== desired[name]);
  if (changed.length === 0) return [];
  logger.info(
    `Service ${serviceId} runs with other values of ${changed.join(', ')}; setting them, which redeploys it.`,
  );
  await applyVariables(
    railway,
    serviceId,
    Object.fromEntries(changed.map((name) => [name, desired[name] ?? ''])),
    logger,
  );
  return changed;
}
