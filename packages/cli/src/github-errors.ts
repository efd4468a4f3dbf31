import { refusalOf, statusOf } from '@trinity/core';

/**
 * GitHub answers a person can act on, as user errors (exit 3); anything else is left as it is
 * (an outage or a bug, exit 1). `what` names the thing asked for, e.g. `octo-org/app#506`. The
 * wording is core's one table (github/refusals.ts), shared with the actions and the outbox.
 */
export function asUserError(error: unknown, what: string): unknown {
  return refusalOf(error, what) ?? error;
}

/** True when the request never got an HTTP answer from GitHub (DNS, refused, reset, timeout) or GitHub failed (5xx). */
export function isOutage(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500;
}
