import { UserError } from '../errors.js';
import { acceptedPermissions, answerMessage, permissionFor, recogniseAnswer, WORDINGS } from './answers.js';
import { statusOf } from './status.js';

interface RequestShape {
  method?: string;
  url?: string;
}

export type RefusalKind =
  | 'primary_rate_limit'
  | 'secondary_rate_limit'
  | 'not_accessible_by_integration'
  | 'bad_credentials'
  | 'issue_locked'
  | 'issue_not_found'
  | 'issue_gone'
  | 'forbidden';

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
    readonly kind: RefusalKind,
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
      // Credentials and the issue's own fate (missing, deleted, moved, locked) are said the same way
      // wherever they are met: the issue named from the route when it is an issue's.
      return refusalOf(error, issueOfRoute(request.url ?? ''), { route: what, routeOnly: true }) ?? error;
  }
}

/**
 * The one table from GitHub's answer to what the user reads, shared by the actions (through the
 * client, above) and `tri` (cli/github-errors.ts) and the journal's outbox reasons (agent/steps.ts).
 * `issue` names the issue asked about (`octo-org/app#7`), when there is one. Undefined: not a
 * refusal the user can act on (an outage or a bug).
 *
 * With `routeOnly`, 404 and 410 are explained only on an issue's own route: elsewhere (a label, a
 * comment id, a file) the caller branches on them and a 404 the caller did not expect is a bug.
 */
export function refusalOf(
  error: unknown,
  issue: string | undefined,
  options: { route?: string; routeOnly?: boolean } = {},
): GitHubRefusal | undefined {
  if (error instanceof GitHubRefusal) return error;
  const status = statusOf(error);
  if (status === undefined) return undefined;
  const answer = recogniseAnswer(error);
  const response = (error as { response?: unknown }).response;
  const said = answerMessage(error);
  const on = options.route === undefined ? '' : ` on ${options.route}`;
  switch (answer.kind) {
    case 'bad_credentials':
      return new GitHubRefusal(
        `GitHub refused the token (401 ${said || WORDINGS.badCredentials})${on}: it is missing, unknown, revoked or ` +
          'expired. In a workflow, leave the `github-token` input at its default (`${{ github.token }}`) or pass a ' +
          'valid token; for `tri`, set GITHUB_TOKEN or GH_TOKEN to a valid token (for example ' +
          '`export GH_TOKEN=$(gh auth token)`).',
        status,
        'bad_credentials',
        response,
      );
    case 'issue_locked':
      return new GitHubRefusal(
        `GitHub refused to comment on ${issue ?? 'the issue'}: 403 ${WORDINGS.issueLocked} While a conversation is ` +
          "locked only people with write access can comment, and the workflow's token is not one of them. Unlock the " +
          'issue (its "Unlock conversation" link) and re-run the job.',
        status,
        'issue_locked',
        response,
      );
    case 'not_found':
      if (issue === undefined) return undefined;
      return new GitHubRefusal(
        `Issue ${issue} was not found (404 ${said || 'Not Found'})${on}: it does not exist, it was transferred to a ` +
          'repository this token cannot read, or the token cannot see the repository. Check the issue number and ' +
          'the repository, and that the token has `issues: read`.',
        status,
        'issue_not_found',
        response,
      );
    case 'gone':
      if (issue === undefined) return undefined;
      return new GitHubRefusal(
        `Issue ${issue} was deleted (410 ${said || 'Gone'})${on}: it cannot be read or commented on any more. ` +
          'Nothing is to be done for it; pick another issue.',
        status,
        'issue_gone',
        response,
      );
    default:
      if (status !== 403 || options.routeOnly === true) return undefined;
      return forbidden(error, issue, said, response);
  }
}

/** A 403 that is neither a limit nor a lock: the token lacks the permission for what was asked. */
function forbidden(
  error: unknown,
  issue: string | undefined,
  said: string,
  response: unknown,
): GitHubRefusal {
  const sent = (error as { request?: RequestShape }).request;
  const permission =
    (sent?.url === undefined ? undefined : permissionFor(sent.method ?? 'GET', sent.url)) ??
    acceptedPermissions(error).join(' or ');
  const needs = permission === '' ? '`issues: read` (`issues: write` to comment)' : `\`${permission}\``;
  return new GitHubRefusal(
    `GitHub refused the token access to ${issue ?? 'the issue'} (403 ${said || 'Forbidden'}). Use a token with ${needs}.`,
    403,
    'forbidden',
    response,
  );
}

/** `owner/name#7` for a route of an issue or below it (comments, labels); not for a comment's own id. */
export function issueOfRoute(url: string): string | undefined {
  const match = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)(?:\/|$)/.exec(pathOf(url));
  return match === null
    ? undefined
    : `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}#${match[3] ?? ''}`;
}

function pathOf(url: string): string {
  return url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] ?? url;
}

function minutesUntil(at: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((at.getTime() - now.getTime()) / 60_000));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
