// Which header the token goes in. Railway reads account and workspace tokens only from
// `Authorization: Bearer` and project tokens only from `Project-Access-Token` (auth.ts); when the
// configured kind is `auto`, the client asks Railway once and remembers the answer. Apart from the
// operations because it is the one request whose failure is an answer, not an error.
import type { Logger } from '../logger.js';
import { schemeFor } from './auth.js';
import * as documents from './documents.js';
import { RailwayAuthError, RailwayGraphQLError } from './errors.js';
import type { RailwayRequest } from './requests.js';
import type { RailwayTokenKind, ResolvedToken } from './types.js';

/** A function answering the token's kind and header, asking Railway at most once per success. */
export function createTokenResolver(
  kind: RailwayTokenKind,
  request: RailwayRequest,
  logger: Logger,
): () => Promise<ResolvedToken> {
  let detected: Promise<ResolvedToken> | undefined;

  /**
   * Only a project token can answer `projectToken`, and the answer says which project and
   * environment it belongs to. Any GraphQL refusal means it is not one, so it must be an account
   * or workspace token; Railway itself will say so if it is neither.
   */
  async function detect(): Promise<ResolvedToken> {
    const asProject: ResolvedToken = { configured: 'auto', scheme: 'project' };
    try {
      const data = await request(documents.PROJECT_TOKEN, {}, asProject);
      const { projectId, environmentId } = data.projectToken;
      logger.debug(`Railway token: a project token (project ${projectId}, environment ${environmentId}).`);
      return { ...asProject, projectId, environmentId };
    } catch (error) {
      if (!(error instanceof RailwayAuthError || error instanceof RailwayGraphQLError)) throw error;
      logger.debug('Railway token: not a project token; using it as an account or workspace token.');
      return { configured: 'auto', scheme: 'bearer' };
    }
  }

  return () => {
    if (kind !== 'auto') return Promise.resolve({ configured: kind, scheme: schemeFor(kind) });
    // Cached per client; a detection that failed for an outage is not cached, so the next call retries it.
    detected ??= detect().catch((error: unknown) => {
      detected = undefined;
      throw error;
    });
    return detected;
  };
}
