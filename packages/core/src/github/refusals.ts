import { UserError } from '../errors.js';
import { acceptedPermissions, permissionFor, recogniseAnswer, WORDINGS } from './answers.js';
import { statusOf } from './status.js';

interface RequestShape {
  method?: string;
  url?: string;
}

/**
 * A GitHub refusal the person running the action or `tri` acts on (a limit to wait out, a permission
 * to add), not an outage or a bug. Keeps the HTTP status and response so callers that branch on
 * them (statusOf) still can.
 */
export class GitHubRefusal extends UserError {
  override readonly name: string = 'GitHubRefusal';
  constructor(
    message: string,
    readonly status: number,
    readonly kind: 'primary_rate_limit' | 'secondary_rate_limit' | 'not_accessible_by_integration',
    readonly response: unknown,
  ) {
    super(message);
  }
}

export interface ExplainOptions {
  /** The longest wait the client would accept before giving up (seconds). */
  maxWaitSeconds: number;
  now: () => Date;
}

/**
 * Turns a limit GitHub kept or a missing permission into a `GitHubRefusal` that says which limit
 * or permission, when it resets, and what to do; any other error is returned unchanged.
 */
export function explainRefusal(error: unknown, given: RequestShape, options: ExplainOptions): unknown {
  const status = statusOf(error);
  if (status === undefined || error instanceof GitHubRefusal) return error;
  // The request as sent (URL with its values), when the error carries it; else the route template.
  const sent = (error as { request?: RequestShape }).request;
  const request = sent?.url !== undefined ? sent : given;
  const answer = recogniseAnswer(error);
  const response = (error as { response?: unknown }).response;
  const what = `${(request.method ?? 'GET').toUpperCase()} ${pathOf(request.url ?? '')}`;
  switch (answer.kind) {
    case 'primary_rate_limit': {
      const when =
        answer.resetsAt === undefined
          ? 'at an unknown time (no x-ratelimit-reset header)'
          : `at ${answer.resetsAt.toISOString()} (in ${minutesUntil(answer.resetsAt, options.now())})`;
      return new GitHubRefusal(
        `GitHub's primary rate limit (${answer.resource ?? 'core'}) for this token is used up: ${what} answered ${status}. ` +
          `It resets ${when}; this run waits at most ${options.maxWaitSeconds} s for a limit. GITHUB_TOKEN gets 1,000 ` +
          'REST requests an hour per repository, shared by all of its workflow runs. Re-run the job after the reset; ' +
          'if this recurs, trigger fewer runs (narrower `on:` events) or use a GitHub App token, which has its own limit.',
        status,
        answer.kind,
        response,
      );
    }
    case 'secondary_rate_limit': {
      const wait =
        answer.retryAfterSeconds === undefined
          ? 'GitHub gave no retry-after'
          : `GitHub asks to wait ${answer.retryAfterSeconds} s (retry-after)`;
      return new GitHubRefusal(
        `GitHub's secondary rate limit stopped ${what} (${status}: ${WORDINGS.secondaryRateLimit}). ${wait}; ` +
          `this run waits at most ${options.maxWaitSeconds} s for a limit. Content creation (comments, commits, labels) is ` +
          'limited to 80 requests a minute and 500 an hour. Re-run the job in a few minutes; each run converges ' +
          'from what is recorded, so nothing done so far is repeated.',
        status,
        answer.kind,
        response,
      );
    }
    case 'not_accessible_by_integration': {
      // The route says which one this product needs; GitHub's header, for any other route.
      const permission =
        (permissionFor(request.method ?? 'GET', request.url ?? '') ??
          acceptedPermissions(error).join(' or ')) ||
        undefined;
      const fix =
        permission === undefined
          ? "grant the token the permission this request needs (see the workflow's `permissions:`)"
          : `add \`${permission}\` to the workflow's \`permissions:\` (or grant it to the GitHub App or fine-grained token)`;
      return new GitHubRefusal(
        `GitHub refused ${what}: 403 ${WORDINGS.notAccessibleByIntegration}. The token lacks ` +
          `${permission === undefined ? 'a permission' : `the \`${permission}\` permission`}: ${fix}. ` +
          'This is a setting of the workflow, not an outage; see docs/actions.md, "The workflow".',
        status,
        answer.kind,
        response,
      );
    }
    default:
      return error;
  }
}

function pathOf(url: string): string {
  return url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] ?? url;
}

function minutesUntil(at: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((at.getTime() - now.getTime()) / 60_000));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
