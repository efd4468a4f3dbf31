import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import {
  isOutcomeUnknown,
  RailwayHttpError,
  RailwayNetworkError,
  type RailwayOutcomeUnknownError,
} from '../railway/errors.js';
import type { Deployment, ServiceDomain } from '../railway/types.js';
import type { RailwayTarget } from './railway-target.js';

// Railway's mutations carry no idempotency key, so a mutation whose answer was lost (a timeout, a
// dropped connection, a 5xx or a garbled page after Railway acted) must not be sent again: a second
// `serviceInstanceDeployV2` starts a second deployment, a second `serviceDomainCreate` a second
// domain. What the mutation did is read back instead, and the decision made from what is there.

/**
 * True when Railway may have acted without the answer arriving: the client's
 * `RailwayOutcomeUnknownError` (what it throws for a mutation), or the failure itself. A GraphQL
 * error, a refused token, a 4xx, a 429 or a connection never made is an answer, or no request at all:
 * Railway did not carry it out.
 */
export function isUnanswered(
  error: unknown,
): error is RailwayOutcomeUnknownError | RailwayNetworkError | RailwayHttpError {
  if (isOutcomeUnknown(error)) return true;
  if (error instanceof RailwayNetworkError) return !error.neverSent;
  return (
    error instanceof RailwayHttpError &&
    (error.reason === 'server_error' || error.reason === 'html_page' || error.reason === 'bad_answer')
  );
}

/**
 * Starts a deployment, or, when Railway's answer is lost, finds the one it started: a deployment of
 * the instance newer than `before` (the latest one before the request). If there is none, nothing
 * is resent; the run stops and its re-run converges (it adopts a deployment that shows up late).
 */
export async function startDeployment(
  railway: RailwayTarget,
  serviceId: string,
  before: Deployment | null,
  commitSha: string | undefined,
  logger: Logger,
): Promise<string> {
  try {
    return await railway.client.deployService(serviceId, railway.environmentId, commitSha);
  } catch (error) {
    if (!isUnanswered(error)) throw error;
    const latest = (await railway.client.getServiceInstance(serviceId, railway.environmentId))
      .latestDeployment;
    if (latest !== null && latest.id !== before?.id) {
      logger.warning(
        `Railway did not answer the request to deploy (${error.message}), but deployment ${latest.id} is now ` +
          'the latest one: it is the one that request started, so it is followed and nothing is sent again.',
      );
      return latest.id;
    }
    throw new UserError(
      `Railway did not answer the request to deploy service ${serviceId} (${error.message}), and no new ` +
        'deployment is visible. The request was not sent again, because a second one could start a second ' +
        'deployment. Re-run this job: it follows the deployment if Railway started one late, or starts one.',
    );
  }
}

/**
 * Gives the instance a public domain, or, when Railway's answer is lost, takes the one it created.
 * Undefined when there is still none: the deployment is reported without a URL, and a re-run adds it.
 */
export async function createDomain(
  railway: RailwayTarget,
  serviceId: string,
  logger: Logger,
): Promise<ServiceDomain | undefined> {
  try {
    return await railway.client.createServiceDomain(serviceId, railway.environmentId);
  } catch (error) {
    if (!isUnanswered(error)) throw error;
    const [domain] = (await railway.client.getServiceInstance(serviceId, railway.environmentId)).domains;
    if (domain !== undefined) {
      logger.warning(
        `Railway did not answer the request for a public domain (${error.message}), but the service now has ` +
          `${domain.domain}: that request created it, so it is used and nothing is sent again.`,
      );
      return domain;
    }
    logger.warning(
      `Railway did not answer the request for a public domain (${error.message}), and the service has none. ` +
        'It was not sent again (a second request could create a second domain); re-run this job to add one.',
    );
    return undefined;
  }
}
