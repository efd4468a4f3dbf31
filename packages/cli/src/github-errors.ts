import { UserError, answerMessage, statusOf } from '@trinity/core';

/**
 * GitHub answers a person can act on, as user errors (exit 3); anything else is left as it is
 * (an outage or a bug, exit 1). `what` names the thing asked for, e.g. `octo-org/app#506`.
 */
export function asUserError(error: unknown, what: string): unknown {
  // Limits and missing permissions come explained by the client (which limit, when it resets, which
  // permission): a secondary rate limit is not a missing permission.
  if (error instanceof UserError) return error;
  switch (statusOf(error)) {
    case 401:
      return new UserError(
        'GitHub refused the token (401 Bad credentials). Set GITHUB_TOKEN or GH_TOKEN to a valid token ' +
          '(for example `export GH_TOKEN=$(gh auth token)`).',
      );
    case 403:
      return new UserError(
        `The token may not read ${what} (403 ${answerMessage(error) || 'Forbidden'}). Use a token with issues: read ` +
          '(issues: write to journal).',
      );
    case 404:
      return new UserError(
        `Issue ${what} not found (404): check the issue number and the repository, and that the token can see it.`,
      );
    case 410:
      return new UserError(`Issue ${what} was deleted (410 Gone): pick another issue.`);
    default:
      return error;
  }
}

/** True when the request never got an HTTP answer from GitHub (DNS, refused, reset, timeout) or GitHub failed (5xx). */
export function isOutage(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500;
}
