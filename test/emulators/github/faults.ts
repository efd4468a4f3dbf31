/** Injectable failures and GitHub's primary rate limit bookkeeping. */
import { errorBody } from './errors.js';

export interface FaultSpec {
  operationId?: string;
  method?: string;
  pathPattern?: RegExp;
  /** 1-based index of the first matching request that fails. */
  nth?: number;
  /** How many matching requests fail from `nth` on (default 1). */
  times?: number;
  kind:
    | 'server_error'
    | 'html'
    | 'graphql_error'
    | 'secondary_rate_limit'
    | 'primary_rate_limit'
    | 'comment_too_long'
    | 'slow'
    | 'drop'
    | 'hang';
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  /**
   * Carry the request out first, then fail its answer (`drop`, `server_error`): GitHub acted but the
   * client cannot know, as when a connection breaks after the server committed a write. With
   * `hang`, the answer never comes: the client waits until it is killed (a test harness capability
   * for killing a process at a known point, like `drop`, needing no source).
   */
  afterExecution?: boolean;
}

interface ArmedFault {
  spec: FaultSpec;
  seen: number;
  fired: number;
}

export class Faults {
  private armed: ArmedFault[] = [];

  add(spec: FaultSpec): void {
    this.armed.push({ spec, seen: 0, fired: 0 });
  }

  clear(): void {
    this.armed = [];
  }

  /** Every armed fault counts the request; the first one due fires. */
  take(req: { operationId: string | undefined; method: string; path: string }): FaultSpec | undefined {
    let due: FaultSpec | undefined;
    for (const f of this.armed) {
      const s = f.spec;
      if (s.operationId !== undefined && s.operationId !== req.operationId) continue;
      if (s.method !== undefined && s.method.toUpperCase() !== req.method) continue;
      if (s.pathPattern !== undefined && !s.pathPattern.test(req.path)) continue;
      f.seen++;
      if (!due && f.seen >= (s.nth ?? 1) && f.fired < (s.times ?? 1)) {
        f.fired++;
        due = s;
      }
    }
    return due;
  }
}

export function secondaryRateLimitBody(status: number, requestId: string) {
  return errorBody(
    status,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach ' +
      `out to GitHub Support for help, please include the request ID ${requestId}.`,
    {},
  );
}

/** GitHub's current answer to a comment body over 65,536 characters (README: behaviour → source). */
export function commentTooLongBody() {
  return errorBody(422, 'Validation Failed', {
    errors: [
      {
        resource: 'IssueComment',
        code: 'unprocessable',
        field: 'data',
        message: 'Body is too long (maximum is 65536 characters)',
      },
    ],
  });
}

/** The content-creation variant GitHub sends when the 80/minute or 500/hour budget is spent. */
export function contentCreationLimitBody(status: number, requestId: string) {
  return errorBody(
    status,
    'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. ' +
      'Please retry your request again later. If you reach out to GitHub Support for help, please include the ' +
      `request ID ${requestId}.`,
  );
}

/**
 * GitHub's "Unicorn!" page: the HTML its front end serves instead of JSON when a backend fails
 * (README: behaviour → source). Shortened: the style sheet and the logo are left out.
 */
export function unicornPage(): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    '    <title>Unicorn! &middot; GitHub</title>',
    '  </head>',
    '  <body>',
    '    <div class="container">',
    "      <p><strong>We couldn't respond to your request in time.</strong></p>",
    '      <p>Sorry about that. Please try refreshing and contact us if the problem persists.</p>',
    '    </div>',
    '  </body>',
    '</html>',
    '',
  ].join('\r\n');
}

/**
 * The GraphQL answer GitHub gives when a query fails inside (a timeout or a bug): `data: null` and one
 * error without a `type` (README: behaviour → source). Seen with status 200 and with a 5xx status.
 */
export function graphQLExecutionFailureBody(requestId: string) {
  return {
    data: null,
    errors: [
      {
        message:
          'Something went wrong while executing your query. This may be the result of a timeout, or it could be a ' +
          `GitHub bug. Please include \`${requestId}\` when reporting this issue.`,
      },
    ],
  };
}

export function serverErrorBody(status: number) {
  const message = status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Unavailable' : 'Server Error';
  return { message };
}

interface Bucket {
  used: number;
  resetAt: number;
}

/**
 * Hourly windows of GitHub's core resource: per user token (5,000), per repository for installation
 * tokens such as `GITHUB_TOKEN` (1,000; key `repo:<owner/name>`), per address unauthenticated (60).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  limit = 5000;
  installationLimit = 1000;
  /** GitHub answers an exhausted primary limit with 403 or 429 (README: behaviour → source). */
  answerStatus: 403 | 429 = 403;

  constructor(
    private readonly now: () => number,
    /** `core` for REST; `graphql` for the separate points budget of POST /graphql. */
    readonly resource: 'core' | 'graphql' = 'core',
  ) {}

  private bucket(key: string): Bucket {
    let b = this.buckets.get(key);
    if (!b || this.now() >= b.resetAt) {
      b = { used: 0, resetAt: this.now() + 3_600_000 };
      this.buckets.set(key, b);
    }
    return b;
  }

  limitFor(key: string): number {
    // Unauthenticated callers get GitHub's 60 per hour per address.
    if (key.startsWith('anon:')) return 60;
    return key.startsWith('repo:') ? this.installationLimit : this.limit;
  }

  /** Counts one request (GraphQL: its points); false when the window has no room for it. */
  consume(key: string, points = 1): boolean {
    const b = this.bucket(key);
    if (b.used + points > this.limitFor(key)) return false;
    b.used += points;
    return true;
  }

  status(key: string) {
    const b = this.bucket(key);
    const limit = this.limitFor(key);
    return {
      limit,
      used: b.used,
      remaining: Math.max(0, limit - b.used),
      reset: Math.ceil(b.resetAt / 1000),
    };
  }

  headers(key: string): Record<string, string> {
    const s = this.status(key);
    return {
      'x-ratelimit-limit': String(s.limit),
      'x-ratelimit-remaining': String(s.remaining),
      'x-ratelimit-reset': String(s.reset),
      'x-ratelimit-used': String(s.used),
      'x-ratelimit-resource': this.resource,
    };
  }
}

/**
 * GitHub's secondary limit on content creation, counted per repository for installation tokens:
 * no more than 80 content-generating requests a minute and 500 an hour. Sliding windows; the answer
 * says how long until the oldest request in the full window leaves it (`retry-after`).
 */
export class ContentCreationLimiter {
  perMinute = 80;
  perHour = 500;
  answerStatus: 403 | 429 = 403;
  private readonly seen = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  /** Counts one content-creating request; undefined when allowed, else seconds to wait. */
  consume(key: string): number | undefined {
    const now = this.now();
    const times = (this.seen.get(key) ?? []).filter((t) => now - t < 3_600_000);
    this.seen.set(key, times);
    const lastMinute = times.filter((t) => now - t < 60_000);
    const waits: number[] = [];
    if (lastMinute.length >= this.perMinute) waits.push((lastMinute[0] ?? now) + 60_000 - now);
    if (times.length >= this.perHour) waits.push((times[0] ?? now) + 3_600_000 - now);
    if (waits.length > 0) return Math.max(1, Math.ceil(Math.max(...waits) / 1000));
    times.push(now);
    return undefined;
  }
}
