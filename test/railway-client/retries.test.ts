import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  DO_NOT_RETRY,
  RailwayGraphQLError,
  RailwayHttpError,
  RailwayNetworkError,
  RailwayRateLimitError,
} from '../../packages/core/src/railway/index.js';
import { rejectionOf, startWorld } from './world.js';
import type { World } from './world.js';

let w: World;
let deploymentId: string;

beforeEach(async () => {
  w = await startWorld();
  const setup = w.client();
  const { id } = await setup.createService({
    projectId: w.projectId,
    name: 'web',
    source: { image: 'nginx' },
    variables: {},
  });
  const instance = await setup.getServiceInstance(id, w.environmentId);
  deploymentId = instance.latestDeployment?.id ?? '';
  w.emu.clearRequests();
});
afterEach(async () => {
  await w.emu.close();
});

const warnings = () => w.logger.lines.filter((l) => l.level === 'warning').map((l) => l.message);

describe('Railway client retries (fake clock, random() = 0.5)', () => {
  it('429 with Retry-After: 3 waits exactly 3000 ms, then succeeds', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'rate_limit', retryAfterSeconds: 3 });
    const d = await w.client().getDeployment(deploymentId);
    expect(d.id).toBe(deploymentId);
    expect(w.statuses()).toEqual([429, 200]);
    expect(w.sleeps).toEqual([3000]);
    expect(warnings()).toEqual([
      'Railway rate-limited Deployment with HTTP 429 ("Too Many Requests"). Railway asks to wait 3 s before ' +
        'the next request. Railway allows 100 requests an hour on Free, 1,000 (and 10 a second) on Hobby ' +
        'and 10,000 (and 50 a second) on Pro; re-run the job later. Retrying in 3000 ms (attempt 2 of 5).',
    ]);
  });

  it('503 twice, then success: exponential backoff with full jitter', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'server_error', status: 503, times: 2 });
    await w.client().getDeployment(deploymentId);
    expect(w.statuses()).toEqual([503, 503, 200]);
    // Full jitter: uniform in [0, 1000 · 2^(n-1)); with random() = 0.5, half of each ceiling.
    expect(w.sleeps).toEqual([500, 1000]);
  });

  it('jittered delays stay within [0, ceiling) for the extremes of random()', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'server_error', status: 503, times: 3 });
    const sleeps: number[] = [];
    const client = w.client({
      clock: {
        sleep: (ms) => Promise.resolve(void sleeps.push(ms)),
        random: () => 0.999999,
        now: () => w.emu.now(),
      },
    });
    await client.getDeployment(deploymentId);
    expect(sleeps).toEqual([999, 1999, 3999]);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, DEFAULT_RETRY_POLICY, () => 0))).toEqual([
      0, 0, 0, 0, 0, 0, 0,
    ]);
    // The ceiling is capped at maxDelayMs.
    expect(backoffDelay(10, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(15_000);
  });

  it('a Cloudflare HTML 502 page is retried', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'html', status: 502 });
    await w.client().getDeployment(deploymentId);
    expect(w.statuses()).toEqual([502, 200]);
    expect(w.sleeps).toEqual([500]);
  });

  it('an HTML page that persists ends as a RailwayHttpError with a short excerpt', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'html', status: 502, times: 10 });
    const error = await rejectionOf(w.client().getDeployment(deploymentId));
    expect(error).toBeInstanceOf(RailwayHttpError);
    const e = error as RailwayHttpError;
    expect(e).toMatchObject({ operation: 'Deployment', status: 502, reason: 'html_page', attempts: 5 });
    expect(e.contentType).toBe('text/html; charset=UTF-8');
    expect(e.excerpt.startsWith('backboard.railway.com | 502: Bad Gateway — Error 502 Bad Gateway')).toBe(
      true,
    );
    expect(e.excerpt.length).toBeLessThanOrEqual(200);
    expect(e.message).toBe(
      `Railway answered Deployment with HTTP 502 (text/html) instead of a GraphQL answer (gave up after 5 attempts): "${e.excerpt}".`,
    );
    expect(e.message).not.toContain('<');
    expect(w.statuses()).toEqual([502, 502, 502, 502, 502]);
    expect(w.sleeps).toEqual([500, 1000, 2000, 4000]);
  });

  it('a dropped connection is retried', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'drop' });
    await w.client().getDeployment(deploymentId);
    expect(w.emu.requests.map((r) => r.fault ?? r.status)).toEqual(['drop', 200]);
    expect(w.sleeps).toEqual([500]);
    expect(warnings()[0]).toMatch(
      /^Could not reach Railway for Deployment: fetch failed: .+ Retrying in 500 ms/,
    );
  });

  it('connections that keep dropping end as a RailwayNetworkError', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'drop', times: 10 });
    const error = await rejectionOf(w.client({ retries: { maxAttempts: 3 } }).getDeployment(deploymentId));
    expect(error).toBeInstanceOf(RailwayNetworkError);
    expect(error).toMatchObject({ reason: 'network', attempts: 3, operation: 'Deployment' });
    expect(error.message).toMatch(
      /^Could not reach Railway for Deployment \(gave up after 3 attempts\): fetch failed/,
    );
    expect(w.emu.requests).toHaveLength(3);
  });

  it('a request that hangs past the timeout is abandoned and retried', async () => {
    // The first request never answers; its timeout is the client's own signal (clock.abortAfter),
    // fired here on cue rather than by a real timer, so a busy machine cannot change the outcome.
    const cues: AbortController[] = [];
    const timeouts: number[] = [];
    let hung = false;
    const hangsOnce: typeof fetch = (input, init) => {
      if (hung) return fetch(input, init);
      hung = true;
      return new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        cues.at(-1)?.abort();
      });
    };
    const client = w.client({
      timeoutMs: 50,
      fetch: hangsOnce,
      clock: {
        sleep: (ms) => {
          w.sleeps.push(ms);
          w.emu.advance(ms);
          return Promise.resolve();
        },
        random: () => 0.5,
        now: () => w.emu.now(),
        abortAfter: (ms) => {
          timeouts.push(ms);
          const cue = new AbortController();
          cues.push(cue);
          return cue.signal;
        },
      },
    });

    await client.getDeployment(deploymentId);

    expect(timeouts).toEqual([50, 50]);
    expect(w.sleeps).toEqual([500]);
    expect(w.statuses()).toEqual([200]);
    expect(warnings()[0]).toMatch(/^Could not reach Railway for Deployment: no answer within 50 ms\./);
  });

  it('a GraphQL error (HTTP 200) is not retried and names the operation and Railway’s message', async () => {
    w.emu.injectFault({
      operation: 'Deployment',
      kind: 'graphql_error',
      message: 'Problem processing request',
    });
    const error = await rejectionOf(w.client().getDeployment(deploymentId));
    expect(error).toBeInstanceOf(RailwayGraphQLError);
    expect(error).toMatchObject({
      operation: 'Deployment',
      messages: ['Problem processing request'],
      reason: 'graphql',
      status: 200,
    });
    expect(error.message).toBe('Railway rejected Deployment: "Problem processing request".');
    expect(w.emu.requests).toHaveLength(1);
    expect(w.sleeps).toEqual([]);
  });

  it('a not-found GraphQL error carries partial data and is not retried', async () => {
    const error = await rejectionOf(w.client().getDeployment('no-such-deployment'));
    expect(error).toBeInstanceOf(RailwayGraphQLError);
    expect(error).toMatchObject({ messages: ['Deployment not found'], data: null });
    expect(w.emu.requests).toHaveLength(1);
  });

  it('a variable that does not fit the schema is a validation error, not retried', async () => {
    const service = w.emu.state.services(w.projectId)[0];
    const error = await rejectionOf(
      w.client().upsertVariables({
        projectId: w.projectId,
        environmentId: w.environmentId,
        serviceId: service?.id ?? '',
        variables: { PORT: 8080 as unknown as string },
      }),
    );
    expect(error).toBeInstanceOf(RailwayGraphQLError);
    expect(error).toMatchObject({ reason: 'graphql_validation', operation: 'VariableCollectionUpsert' });
    expect(error.message).toContain('EnvironmentVariables value for "PORT" must be a string');
    expect(error.message).toContain('that is a bug in the issue-sandbox actions');
    expect(w.emu.requests).toHaveLength(1);
  });

  it.each([200, 400] as const)(
    'a document Railway rejects as invalid (HTTP %i) is a validation error, not retried',
    async (invalidDocumentStatus) => {
      const strict = await startWorld({ invalidDocumentStatus });
      try {
        // A transport that misspells one field, as a stale document would: the emulator validates
        // it against the real schema and answers with graphql-js' own message.
        const misspelling: typeof fetch = (input, init) =>
          fetch(input, { ...init, body: (init?.body as string).replace('staticUrl', 'staticURL') });
        const error = await rejectionOf(strict.client({ fetch: misspelling }).getDeployment('d-1'));
        expect(error).toBeInstanceOf(RailwayGraphQLError);
        expect(error).toMatchObject({
          reason: 'graphql_validation',
          status: invalidDocumentStatus,
          data: null,
        });
        expect((error as RailwayGraphQLError).messages).toEqual([
          'Cannot query field "staticURL" on type "Deployment". Did you mean "staticUrl" or "status"?',
        ]);
        expect(strict.statuses()).toEqual([invalidDocumentStatus]);
        expect(strict.sleeps).toEqual([]);
      } finally {
        await strict.emu.close();
      }
    },
  );

  it('a 4xx that is neither 429 nor an HTML page is on the do-not-retry list', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'server_error', status: 404, message: 'Not Found' });
    const error = await rejectionOf(w.client().getDeployment(deploymentId));
    expect(error).toBeInstanceOf(RailwayHttpError);
    expect(error).toMatchObject({ status: 404, reason: 'http_client', attempts: 1 });
    expect(DO_NOT_RETRY).toEqual([
      'not_authorized',
      'graphql_validation',
      'graphql',
      'http_client',
      'outcome_unknown',
    ]);
    expect(w.emu.requests).toHaveLength(1);
  });

  it('5xx that persists gives up after maxAttempts with a RailwayHttpError', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'server_error', status: 503, times: 10 });
    const error = await rejectionOf(w.client({ retries: { maxAttempts: 3 } }).getDeployment(deploymentId));
    expect(error).toBeInstanceOf(RailwayHttpError);
    expect(error).toMatchObject({
      status: 503,
      reason: 'server_error',
      attempts: 3,
      excerpt: 'Service Unavailable',
    });
    expect(error.message).toBe(
      'Railway answered Deployment with HTTP 503 (text/plain) instead of a GraphQL answer ' +
        '(gave up after 3 attempts): "Service Unavailable".',
    );
    expect(w.statuses()).toEqual([503, 503, 503]);
    expect(w.sleeps).toEqual([500, 1000]);
  });

  it('429 that persists gives up after 5 attempts with a RailwayRateLimitError', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'rate_limit', retryAfterSeconds: 2, times: 10 });
    const error = await rejectionOf(w.client().getDeployment(deploymentId));
    expect(error).toBeInstanceOf(RailwayRateLimitError);
    expect(error).toMatchObject({ attempts: 5, retryAfterMs: 2000 });
    expect(error.message).toContain(
      'Railway rate-limited Deployment with HTTP 429 ("Too Many Requests") (gave up after 5 attempts).',
    );
    expect(w.sleeps).toEqual([2000, 2000, 2000, 2000]);
  });

  it('a Retry-After beyond the total wait cap ends the retries at once', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'rate_limit', retryAfterSeconds: 3600 });
    const error = await rejectionOf(w.client().getDeployment(deploymentId));
    expect(error).toBeInstanceOf(RailwayRateLimitError);
    expect(error).toMatchObject({ attempts: 1, retryAfterMs: 3_600_000 });
    expect(error.message).toContain('Railway asks to wait 3600 s before the next request.');
    expect(w.emu.requests).toHaveLength(1);
    expect(w.sleeps).toEqual([]);
  });

  it('the total wait cap also bounds backoff', async () => {
    w.emu.injectFault({ operation: 'Deployment', kind: 'server_error', status: 500, times: 10 });
    const error = await rejectionOf(
      w.client({ retries: { maxAttempts: 10, maxTotalWaitMs: 2_000 } }).getDeployment(deploymentId),
    );
    expect(error).toBeInstanceOf(RailwayHttpError);
    // 500 + 1000 = 1500 slept; the next 2000 would pass the cap of 2000.
    expect(w.sleeps).toEqual([500, 1000]);
    expect(error).toMatchObject({ attempts: 3, excerpt: 'Internal Server Error' });
  });

  it('auto-detection retries an outage instead of mistaking it for an account token', async () => {
    w.emu.injectFault({ operation: 'ProjectToken', kind: 'server_error', status: 502 });
    w.emu.addToken({
      token: 'p-token-for-detection',
      kind: 'project',
      projectId: w.projectId,
      environmentId: w.environmentId,
    });
    const client = w.client({ token: 'p-token-for-detection', tokenKind: 'auto' });
    expect((await client.resolveToken()).scheme).toBe('project');
    expect(w.statuses()).toEqual([502, 200]);
  });
});
