import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubEmulator } from './index.js';
import { failure, NAME, OWNER, raw, REPO, setup, TOKEN, type Octokit } from './testing.js';

let gh: GitHubEmulator;
let octokit: Octokit;
const o = { owner: OWNER, repo: NAME };
const comment = () => octokit.rest.issues.createComment({ ...o, issue_number: 1, body: 'event' });

beforeEach(async () => {
  ({ gh, octokit } = await setup());
  gh.seedIssue(REPO, { title: 'one' });
});
afterEach(() => gh.close());

describe('fault injection', () => {
  it('server_error: 500 by default, 502/503 via status, then recovers', async () => {
    gh.injectFault({ operationId: 'issues/create-comment', kind: 'server_error' });
    gh.injectFault({ operationId: 'issues/create-comment', kind: 'server_error', status: 502, nth: 2 });
    gh.injectFault({ operationId: 'issues/create-comment', kind: 'server_error', status: 503, nth: 3 });
    expect((await failure(comment())).status).toBe(500);
    expect((await failure(comment())).status).toBe(502);
    const unavailable = await failure(comment());
    expect(unavailable.status).toBe(503);
    expect(unavailable.data.message).toBe('Service Unavailable');
    expect((await comment()).status).toBe(201);
    expect(gh.repo(REPO).comments(1)).toHaveLength(1);
  });

  it('secondary_rate_limit: 403 with retry-after and GitHub message; 429 via status', async () => {
    gh.injectFault({
      method: 'POST',
      pathPattern: /\/comments$/,
      kind: 'secondary_rate_limit',
      retryAfterSeconds: 7,
    });
    const limited = await failure(comment());
    expect(limited.status).toBe(403);
    expect(limited.headers['retry-after']).toBe('7');
    expect(String(limited.data.message)).toMatch(
      /^You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\./,
    );
    gh.injectFault({ operationId: 'issues/create-comment', kind: 'secondary_rate_limit', status: 429 });
    const tooMany = await failure(comment());
    expect([tooMany.status, tooMany.headers['retry-after']]).toEqual([429, '60']);
    expect(gh.repo(REPO).comments(1)).toHaveLength(0);
  });

  it('primary_rate_limit: 403 with x-ratelimit-remaining 0 and a reset', async () => {
    gh.injectFault({ operationId: 'repos/get', kind: 'primary_rate_limit', retryAfterSeconds: 30 });
    const res = await raw(gh, 'GET', `/repos/${REPO}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBe(Date.parse('2025-03-01T12:00:30Z') / 1000);
    expect(res.body).toMatchObject({ message: expect.stringMatching(/^API rate limit exceeded/) as unknown });
    expect((await raw(gh, 'GET', `/repos/${REPO}`)).status).toBe(200);
  });

  it('html: the "Unicorn!" page as text/html with a 5xx; graphql_error: data null and the untyped error', async () => {
    gh.injectFault({ operationId: 'issues/get', kind: 'html', status: 502 });
    const page = await fetch(`${gh.url}/repos/${REPO}/issues/1`, {
      headers: { authorization: `token ${TOKEN}` },
    });
    expect(page.status).toBe(502);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Unicorn! &middot; GitHub</title>');
    for (const status of [undefined, 502]) {
      gh.injectFault({ operationId: 'graphql/query', kind: 'graphql_error', ...(status ? { status } : {}) });
      const answer = await fetch(`${gh.url}/graphql`, {
        method: 'POST',
        headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ viewer { login } }' }),
      });
      expect(answer.status).toBe(status ?? 200);
      const body = (await answer.json()) as {
        data: unknown;
        errors: Array<{ message: string; type?: string }>;
      };
      expect(body.data).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0]?.type).toBeUndefined();
      expect(body.errors[0]?.message).toMatch(
        /^Something went wrong while executing your query\. This may be the result of a timeout, or it could be a GitHub bug\. Please include `[^`]+` when reporting this issue\.$/,
      );
    }
  });

  it('slow delays the answer, drop closes the connection', async () => {
    gh.injectFault({ operationId: 'issues/get', kind: 'slow', delayMs: 150 });
    const started = performance.now();
    const slow = await octokit.rest.issues.get({ ...o, issue_number: 1 });
    expect(slow.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    gh.injectFault({ operationId: 'issues/get', kind: 'drop' });
    await expect(fetch(`${gh.url}/repos/${REPO}/issues/1`)).rejects.toThrow();
    expect(gh.requests.at(-1)).toMatchObject({ operationId: 'issues/get', status: 0 });
    expect((await octokit.rest.issues.get({ ...o, issue_number: 1 })).status).toBe(200);
  });

  it('afterExecution: the write is done, then the connection drops or the answer is a 502', async () => {
    gh.injectFault({ operationId: 'issues/create-comment', kind: 'drop', afterExecution: true });
    await expect(
      fetch(`${gh.url}/repos/${REPO}/issues/1/comments`, {
        method: 'POST',
        headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'event' }),
      }),
    ).rejects.toThrow();
    expect(gh.repo(REPO).comments(1)).toHaveLength(1);
    expect(gh.requests.at(-1)).toMatchObject({
      operationId: 'issues/create-comment',
      status: 0,
      fault: 'drop',
    });
    gh.injectFault({
      operationId: 'issues/create-comment',
      kind: 'server_error',
      status: 502,
      afterExecution: true,
    });
    const answer = await raw(gh, 'POST', `/repos/${REPO}/issues/1/comments`, { body: { body: 'again' } });
    expect(answer.status).toBe(502);
    expect(gh.repo(REPO).comments(1)).toHaveLength(2);
    expect(gh.requests.at(-1)?.fault).toBe('server_error');
  });

  it('nth and times select which matching requests fail; clearFaults disarms', async () => {
    gh.injectFault({ operationId: 'issues/get', kind: 'server_error', nth: 2, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await raw(gh, 'GET', `/repos/${REPO}/issues/1`)).status);
    expect(statuses).toEqual([200, 500, 500, 200]);
    gh.injectFault({ kind: 'server_error', times: 10 });
    expect((await raw(gh, 'GET', `/repos/${REPO}`)).status).toBe(500);
    gh.clearFaults();
    expect((await raw(gh, 'GET', `/repos/${REPO}`)).status).toBe(200);
  });
});
