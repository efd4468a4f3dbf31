// Where a sandbox lives on Railway: a client with its project and environment, from the inputs or
// from what a project token names.
import { UserError } from '../errors.js';
import type { RailwayClient } from '../railway/client.js';

export interface RailwayTarget {
  client: RailwayClient;
  projectId: string;
  environmentId: string;
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
