import { getOctokit } from '@actions/github';
import Bottleneck from 'bottleneck';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Logger } from '../logger.js';
import { explainRefusal } from './refusals.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** The API base, `GITHUB_API_URL` on a runner (GitHub Enterprise Server differs from api.github.com). */
  baseUrl: string;
  logger: Logger;
  /** How many times a rate-limited request is retried before the error reaches the caller. */
  maxRateLimitRetries?: number;
  /**
   * The longest wait for a rate limit (seconds, default 300). A primary limit can reset up to an hour
   * away and the workflow's jobs time out after 15 minutes, so a longer wait fails at once with a
   * message that says when the limit resets, instead of being killed by the job timeout.
   */
  maxRateLimitWaitSeconds?: number;
  /** For "resets in N minutes" in messages; tests inject it. */
  now?: () => Date;
  /**
   * Milliseconds per second of `Retry-After` and per unit of the retry plugin's backoff. 1000 in
   * production; tests pass 1 so the exact retry sequence runs in milliseconds.
   */
  timeBaseMs?: number;
  userAgent?: string;
  /**
   * Minimum spacing between mutating requests. GitHub asks integrations to wait about a second
   * between content-creating requests (secondary rate limits), which is the default; tests and the
   * offline demo, which talk to an emulator, pass 0.
   */
  writeIntervalMs?: number;
}

/**
 * Octokit from `@actions/github` (proxy support, GHES base URLs) with two plugins:
 * - retry: 5xx and network failures are retried with backoff; 4xx are not, and in particular 409
 *   and 422 (stale sha, non-fast-forward, validation) reach the caller, whose compare-and-swap loop
 *   must re-read and re-apply instead of blindly sending the same request again. Nor are 403 and
 *   429: GitHub answers a rate limit with either, and only the throttling plugin may retry those
 *   (both retrying multiplied the attempts: 4 × 4 requests for one limited call);
 * - throttling: primary and secondary rate limits are obeyed (`retry-after`, `x-ratelimit-reset`)
 *   when the wait is short enough, and writes are spaced as GitHub asks of content-creating clients.
 * A limit not waited out, or a 403 `Resource not accessible by integration`, reaches the caller as a
 * `GitHubRefusal` (a user error) that says which limit or permission, and what to do.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const maxRetries = options.maxRateLimitRetries ?? 3;
  const timeBase = options.timeBaseMs ?? 1000;
  const writeInterval = options.writeIntervalMs ?? 1000;
  const maxWait = options.maxRateLimitWaitSeconds ?? 300;
  const now = options.now ?? (() => new Date());
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _: unknown, retryCount: number) => {
      const tooLong = retryAfter > maxWait;
      const retrying = !tooLong && retryCount < maxRetries;
      options.logger.warning(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}; ` +
          (retrying
            ? `retrying in ${retryAfter} s (attempt ${retryCount + 2} of ${maxRetries + 1}).`
            : tooLong
              ? `it asks for ${retryAfter} s, longer than the ${maxWait} s this run waits; giving up.`
              : 'giving up.'),
      );
      return retrying;
    };
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      userAgent: options.userAgent ?? 'trinity-issue-sandbox',
      log: {
        debug: (message: string) => options.logger.debug(message),
        info: (message: string) => options.logger.debug(message),
        warn: (message: string) => options.logger.warning(message),
        error: (message: string) => options.logger.error(message),
      },
      retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451], retryAfterBaseValue: timeBase },
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        retryAfterBaseValue: timeBase,
        fallbackSecondaryRateRetryAfter: 60,
        // Limiters per client rather than the plugin's process-wide defaults, so the spacing is ours
        // to set. Writes that notify people (comments) get three times the spacing, as the plugin does.
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: writeInterval }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: writeInterval * 3 }),
      },
    },
    retry,
    throttling,
  );
  // Registered after the plugins, so it sees what they finally give up on.
  octokit.hook.error('request', (error, request) => {
    throw explainRefusal(error, request, { maxWaitSeconds: maxWait, now });
  });
  return octokit;
}
