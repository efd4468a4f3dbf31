import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_TOKEN, PROJECT_TOKEN, bearer, projectAccess, setup } from './helpers.js';
import type { Setup } from './helpers.js';

let s: Setup;
beforeAll(async () => {
  s = await setup();
});
afterAll(async () => {
  await s.emu.close();
});
beforeEach(() => {
  s.emu.clearFaults();
  s.emu.clearRequests();
  s.emu.setRateLimit(1000);
});

const ME = 'query Me { me { id } }';

function post(body: unknown, headers: Record<string, string> = bearer()): Promise<Response> {
  return fetch(s.emu.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('Railway emulator: faults', () => {
  it('rate_limit answers 429 with Retry-After', async () => {
    s.emu.injectFault({ operation: 'Me', kind: 'rate_limit', retryAfterSeconds: 7 });
    const r = await post({ query: ME });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect((await post({ query: ME })).status).toBe(200);
  });

  it('server_error answers 500 JSON, or 502/503 text', async () => {
    s.emu.injectFault({ kind: 'server_error' });
    const r500 = await post({ query: ME });
    expect(r500.status).toBe(500);
    expect(await r500.json()).toEqual({ errors: [{ message: 'Internal Server Error' }] });
    s.emu.injectFault({ kind: 'server_error', status: 503 });
    const r503 = await post({ query: ME });
    expect(r503.status).toBe(503);
    expect(r503.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await r503.text()).toBe('Service Unavailable');
  });

  it('html answers a Cloudflare-style page as text/html', async () => {
    s.emu.injectFault({ kind: 'html', status: 503 });
    const r = await post({ query: ME });
    expect(r.status).toBe(503);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await r.text();
    expect(text).toMatch(/^<!DOCTYPE html>/);
    expect(text).toContain('Cloudflare Ray ID');
  });

  it('slow answers normally after the delay', async () => {
    s.emu.injectFault({ kind: 'slow', delayMs: 50 });
    const started = performance.now();
    const r = await post({ query: ME });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(((await r.json()) as { data: { me: { id: string } } }).data.me.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('graphql_error answers 200 with errors and data: null', async () => {
    s.emu.injectFault({ kind: 'graphql_error', message: 'Problem processing request' });
    const r = await post({ query: ME });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ errors: [{ message: 'Problem processing request' }], data: null });
  });

  it('drop destroys the socket so fetch fails', async () => {
    s.emu.injectFault({ kind: 'drop' });
    await expect(post({ query: ME })).rejects.toThrow(TypeError);
    expect((await post({ query: ME })).status).toBe(200);
  });

  it('matches the first root field when there is no operationName, and honours nth and times', async () => {
    s.emu.injectFault({ operation: 'me', nth: 2, times: 2, kind: 'server_error' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post({ query: '{ me { id } }' })).status);
    expect(statuses).toEqual([200, 500, 500, 200, 200]);
  });

  it('does not fire on other operations', async () => {
    s.emu.injectFault({ operation: 'Deploy', kind: 'server_error', times: 3 });
    expect((await post({ query: ME })).status).toBe(200);
    expect(
      (
        await post({
          query: 'mutation Deploy { serviceInstanceDeployV2(serviceId: "x", environmentId: "y") }',
        })
      ).status,
    ).toBe(500);
  });
});

describe('Railway emulator: rate limit', () => {
  it('sends the headers on every answer, counting down per token', async () => {
    const a = await post({ query: ME });
    const b = await post({ query: ME });
    expect(a.headers.get('x-ratelimit-limit')).toBe('1000');
    const remaining = [a, b].map((r) => Number(r.headers.get('x-ratelimit-remaining')));
    expect(remaining[1]).toBe((remaining[0] ?? 0) - 1);
    expect(Number(a.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    const other = await post({ query: 'query { projectToken { projectId } }' }, projectAccess());
    expect(other.headers.get('x-ratelimit-remaining')).toBe('999');
  });

  it('answers 429 with Retry-After once the budget is spent, until the window resets', async () => {
    s.emu.setRateLimit(2);
    expect((await post({ query: ME })).headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await post({ query: ME })).headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await post({ query: ME });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    s.emu.advance(60 * 60 * 1000);
    expect((await post({ query: ME })).status).toBe(200);
  });
});

describe('Railway emulator: request log', () => {
  it('records operation, auth kind, status and errors, never a full token', async () => {
    await post({ query: ME, operationName: 'Me' });
    await post({ query: 'query { projectToken { projectId } }' }, projectAccess());
    await post({ query: ME }, {});
    await post({ query: '{ me { bogus } }' });
    const log = s.emu.requests;
    expect(log.map((e) => [e.operationName, e.operation, e.authKind, e.status])).toEqual([
      ['Me', 'Me', 'bearer', 200],
      [null, 'projectToken', 'project', 200],
      ['Me', 'Me', 'none', 200],
      // An invalid document: HTTP 400 by default (switch invalidDocumentStatus: 200).
      [null, 'me', 'bearer', 400],
    ]);
    expect(log[0]?.tokenHint).toBe(ACCOUNT_TOKEN.slice(-4));
    expect(log[1]?.tokenHint).toBe(PROJECT_TOKEN.slice(-4));
    expect(log[2]?.errors).toEqual(['Not Authorized']);
    expect(log[3]?.errors).toEqual(['Cannot query field "bogus" on type "User".']);
    const serialized = JSON.stringify(log);
    expect(serialized).not.toContain(ACCOUNT_TOKEN);
    expect(serialized).not.toContain(PROJECT_TOKEN);
    s.emu.clearRequests();
    expect(s.emu.requests).toHaveLength(0);
  });

  it('records faults with the status that was answered', async () => {
    s.emu.injectFault({ kind: 'rate_limit' });
    await post({ query: ME, variables: { unused: 1 } });
    expect(s.emu.requests[0]).toMatchObject({
      operation: 'Me',
      status: 429,
      fault: 'rate_limit',
      variables: { unused: 1 },
    });
  });
});
