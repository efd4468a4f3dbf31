/**
 * Paces content-creating requests (POST, PATCH, PUT, DELETE, GraphQL mutations) by a budget instead
 * of a fixed gap. GitHub's secondary limits allow no more than 80 content-creating requests per
 * minute and 500 per hour (the sources are in README.md, "Writes are paced"). A run writes a handful
 * of times, so it writes in a burst; only a run that would pass either window waits, and only until
 * the oldest write in that window leaves it.
 *
 * GitHub counts per token and repository, across jobs; this budget sees one process. So the first
 * secondary-limit answer (another job spent the budget) makes the rest of the run cautious: writes
 * are then spaced by the second GitHub's best practices ask for between writes, on top of the
 * throttling plugin's own wait for `retry-after`.
 */

import { UserError } from '../errors.js';

export interface WriteBudgetOptions {
  /** Writes allowed in any 60 s window (default 80). */
  perMinute?: number;
  /** Writes allowed in any hour (default 500). */
  perHour?: number;
  /** Minimum gap between writes in milliseconds, from the start (default 0: bursts allowed). */
  minIntervalMs?: number;
  /** The gap once GitHub has answered with a secondary limit (default 1000). */
  cautiousIntervalMs?: number;
  /**
   * The longest wait for a slot (default: no limit). A run that would have to wait longer, up to an
   * hour once 500 writes are spent, fails at once instead, since a job would time out first.
   */
  maxWaitMs?: number;
  /** Milliseconds since the epoch; tests inject a fake clock. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const WRITES_PER_MINUTE = 80;
export const WRITES_PER_HOUR = 500;
export const CAUTIOUS_WRITE_INTERVAL_MS = 1000;

const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface WriteBudget {
  /** Waits until one more write fits the budget, and counts it. */
  take(): Promise<void>;
  /** GitHub answered a secondary limit: space every later write. */
  slowDown(): void;
  /** For logs and tests: writes counted, the longest wait, and whether the budget slowed down. */
  stats(): { writes: number; waitedMs: number; longestWaitMs: number; cautious: boolean };
}

export function createWriteBudget(options: WriteBudgetOptions): WriteBudget {
  const perMinute = options.perMinute ?? WRITES_PER_MINUTE;
  const perHour = options.perHour ?? WRITES_PER_HOUR;
  const cautiousInterval = Math.max(options.minIntervalMs ?? 0, options.cautiousIntervalMs ?? 1000);
  let interval = options.minIntervalMs ?? 0;
  let cautious = false;
  // Start times of the writes of the last hour, in order (reserved times: a write that waits holds
  // its slot, so concurrent callers line up instead of all waking at once). At most perHour entries.
  const starts: number[] = [];
  let writes = 0;
  let waitedMs = 0;
  let longestWaitMs = 0;

  /** The earliest time ≥ `at` at which one more write keeps both windows and the gap. */
  function earliestSlot(at: number): number {
    let slot = at;
    const last = starts.at(-1);
    if (last !== undefined) slot = Math.max(slot, last + interval);
    // The write `perMinute` places back must have left the minute; likewise for the hour.
    const minuteBlocker = starts.at(-perMinute);
    if (starts.length >= perMinute && minuteBlocker !== undefined)
      slot = Math.max(slot, minuteBlocker + MINUTE);
    const hourBlocker = starts.at(-perHour);
    if (starts.length >= perHour && hourBlocker !== undefined) slot = Math.max(slot, hourBlocker + HOUR);
    return slot;
  }

  return {
    async take() {
      const now = options.now();
      // Forget writes older than an hour: they count against no window any more.
      let stale = 0;
      while (stale < starts.length && (starts[stale] ?? 0) <= now - HOUR) stale++;
      if (stale > 0) starts.splice(0, stale);
      const slot = earliestSlot(now);
      if (options.maxWaitMs !== undefined && slot - now > options.maxWaitMs) {
        throw new UserError(
          `This run has made ${starts.length} content-creating requests to GitHub in the last hour; GitHub ` +
            `allows ${perMinute} a minute and ${perHour} an hour, so the next one would have to wait ` +
            `${Math.ceil((slot - now) / 1000)} s, longer than the ${Math.round(options.maxWaitMs / 1000)} s ` +
            `this run waits. Nothing was written; re-run the job after ${new Date(slot).toISOString()}.`,
        );
      }
      starts.push(slot);
      if (starts.length > perHour) starts.shift();
      writes++;
      const wait = slot - now;
      if (wait > 0) {
        waitedMs += wait;
        longestWaitMs = Math.max(longestWaitMs, wait);
        await options.sleep(wait);
      }
    },
    slowDown() {
      cautious = true;
      interval = cautiousInterval;
    },
    stats: () => ({ writes, waitedMs, longestWaitMs, cautious }),
  };
}

/**
 * Whether a request creates content in GitHub's sense: any REST method but GET and HEAD, and a
 * GraphQL request whose document is a mutation (GraphQL queries are reads, even though POSTed).
 */
export function isContentWrite(request: { method: string; url: string; query?: unknown }): boolean {
  const method = request.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return false;
  const path = new URL(request.url, 'http://github.invalid').pathname;
  if (path.endsWith('/graphql')) return typeof request.query === 'string' && isMutation(request.query);
  return true;
}

/** The document's first operation keyword, past whitespace and `#` comments. */
function isMutation(document: string): boolean {
  const body = document.replace(/^(?:\s+|#[^\n]*\n?)*/, '');
  return body.startsWith('mutation');
}
