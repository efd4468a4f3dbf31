import { getOctokit } from '@actions/github';
import Bottleneck from 'bottleneck';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Logger } from '../logger.js';
import { explainRefusal } from './refusals.js';
import {
  createWriteBudget,
  isContentWrite,
  type WriteBudget,
  type WriteBudgetOptions,
} from './write-budget.js';

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
   * Minimum spacing between content-creating requests, in milliseconds (default 0). Writes are paced
   * by a budget (80 a minute, 500 an hour, see write-budget.ts) rather than a fixed gap; a GitHub
   * Enterprise Server with stricter limits can still ask for a gap.
   */
  writeIntervalMs?: number;
  /** The budget's windows; GitHub's published limits by default. */
  writeBudget?: Pick<WriteBudgetOptions, 'perMinute' | 'perHour'>;
  /** How the budget waits; tests inject a fake clock's sleep (the clock is `now`). */
  sleep?: (ms: number) => Promise<void>;
}

/** The client with the budget that paces its writes (exposed for logs and tests). */
const budgets = new WeakMap<object, WriteBudget>();

export function writeBudgetOf(octokit: GitHubClient): WriteBudget | undefined {
  return budgets.get(octokit);
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
  const writeInterval = options.writeIntervalMs ?? 0;
  const maxWait = options.maxRateLimitWaitSeconds ?? 300;
  const now = options.now ?? (() => new Date());
  const budget = createWriteBudget({
    ...options.writeBudget,
    minIntervalMs: writeInterval,
    maxWaitMs: maxWait * 1000,
    now: () => now().getTime(),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  });
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _: unknown, retryCount: number) => {
      if (kind === 'secondary' && !budget.stats().cautious) {
        budget.slowDown();
        options.logger.warning(
          'GitHub answered with a secondary rate limit: writes are spaced 1 s apart for the rest of this run.',
        );
      }
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
        // Limiters per client rather than the plugin's process-wide defaults, which space every write
        // (and every GraphQL query) 1 s apart and comments 3 s: the write budget below paces instead.
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 }),
      },
    },
    retry,
    throttling,
  );
  // Registered after the plugins, so it wraps them: each write takes from the budget once, and a
  // retry after a limit waits for GitHub's `retry-after` inside the throttling plugin instead.
  octokit.hook.wrap('request', async (request, requestOptions) => {
    if (isContentWrite(requestOptions)) await budget.take();
    return request(requestOptions);
  });
  budgets.set(octokit, budget);
  octokit.hook.after('request', parseUnparsedJson);
  // Registered after the plugins, so it sees what they finally give up on.
  octokit.hook.error('request', (error, request) => {
    throw explainRefusal(error, request, { maxWaitSeconds: maxWait, now });
  });
  return octokit;
}

/**
 * `@octokit/request` parses JSON with `json-with-bigint`, whose path for Node.js without
 * `JSON.parse` source access (Node 20: `tri`, and this repository's tests) overflows the stack on
 * answers of about 8 MB, such as a large farm file's blob, and then hands the text back unparsed as
 * `data`. Node 24, the actions' runtime, takes another path. Parsed here with the plain parser, which
 * has no such limit (the product reads no number beyond 2^53).
 */
function parseUnparsedJson(response: { data: unknown; headers: Record<string, unknown> }): void {
  const type = response.headers['content-type'];
  if (typeof response.data !== 'string' || typeof type !== 'string') return;
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) return;
  try {
    response.data = JSON.parse(response.data) as unknown;
  } catch {
    // Not JSON after all: left as the text it is, for the caller's own error.
  }
}
