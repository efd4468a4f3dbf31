import { describe, expect, it } from 'vitest';
import {
  buildFailed,
  isUnanswered,
  RailwayGraphQLError,
  RailwayHttpError,
  RailwayNetworkError,
  RailwayOutcomeUnknownError,
  RailwayRateLimitError,
} from '@trinity/core';

describe('buildFailed: FAILED is a build failure only with evidence', () => {
  const failed = {
    status: 'FAILED',
    seen: ['INITIALIZING', 'BUILDING', 'FAILED'],
    buildLines: 12,
    deployLines: 0,
  } as const;
  it('never seen past BUILDING, no deploy log, a build log: the build failed', () => {
    expect(buildFailed(failed)).toBe(true);
    expect(buildFailed({ ...failed, seen: ['FAILED'] })).toBe(true); // adopted already FAILED: the logs decide
  });
  it.each([
    ['seen DEPLOYING (a healthcheck that never passed)', { seen: ['BUILDING', 'DEPLOYING', 'FAILED'] }],
    ['a deploy log (the container ran)', { deployLines: 3 }],
    ['no build log at all (nothing says the build failed)', { buildLines: 0 }],
    ['not FAILED', { status: 'CRASHED' }],
  ] as const)('%s: a deployment failure', (_, change) => {
    expect(buildFailed({ ...failed, ...change })).toBe(false);
  });
});

describe('isUnanswered: failures after which Railway may have acted', () => {
  const http = (reason: 'server_error' | 'html_page' | 'bad_answer' | 'http_client') =>
    new RailwayHttpError('Op', {
      status: reason === 'http_client' ? 400 : 502,
      contentType: null,
      excerpt: '',
      reason,
    });
  it('a timeout, a dropped connection, a 5xx, an HTML page or a garbled 2xx', () => {
    expect(isUnanswered(new RailwayNetworkError('Op', 'timeout', 'no answer'))).toBe(true);
    expect(isUnanswered(new RailwayNetworkError('Op', 'network', 'ECONNRESET'))).toBe(true);
    expect(isUnanswered(http('server_error'))).toBe(true);
    expect(isUnanswered(http('html_page'))).toBe(true);
    expect(isUnanswered(http('bad_answer'))).toBe(true);
    // What the client throws for a mutation it did not resend.
    expect(isUnanswered(new RailwayOutcomeUnknownError('Op', http('server_error')))).toBe(true);
  });
  it('not an answer that says no: a 4xx, a GraphQL error, a 429', () => {
    expect(isUnanswered(http('http_client'))).toBe(false);
    expect(isUnanswered(new RailwayGraphQLError('Op', ['Service not found'], null, 200, false))).toBe(false);
    expect(isUnanswered(new RailwayRateLimitError('Op', undefined, 1000))).toBe(false);
    expect(isUnanswered(new Error('bug'))).toBe(false);
    // A connection never made: the request did not leave.
    expect(isUnanswered(new RailwayNetworkError('Op', 'network', 'ECONNREFUSED', 1, true))).toBe(false);
  });
});
