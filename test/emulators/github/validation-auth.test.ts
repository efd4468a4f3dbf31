import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubEmulator } from './index.js';
import { createValidator } from './validation.js';
import { failure, NAME, OWNER, raw, READ_TOKEN, REPO, setup, TOKEN, type Octokit } from './testing.js';

let gh: GitHubEmulator;
let octokit: Octokit;

beforeEach(async () => {
  ({ gh, octokit } = await setup());
  gh.seedIssue(REPO, { number: 5, title: 'Sandbox please' });
});
afterEach(() => gh.close());

describe('validation against the OpenAPI description', () => {
  it('compiles a request validator for every operation of the description', async () => {
    const v = await createValidator();
    const routes: Array<[string, string]> = [
      ['PATCH', '/repos/o/r/issues/1'],
      ['POST', '/repos/o/r/issues/1/labels'],
      ['PUT', '/repos/o/r/contents/a/b.json'],
      ['PATCH', '/repos/o/r/git/refs/heads/main'],
      ['POST', '/repos/o/r/git/trees'],
      ['POST', '/repos/o/r/deployments'],
      ['POST', '/repos/o/r/deployments/1/statuses'],
      ['PUT', '/repos/o/r/environments/e'],
      ['POST', '/repos/o/r/issues/comments/1/reactions'],
    ];
    for (const [method, path] of routes) {
      expect(v.match(method, path)?.operationId).toBeTruthy();
      // An empty body must produce GitHub's 422, never an ajv compile error.
      try {
        v.validate(method, path, {}, {});
      } catch (err) {
        expect((err as { status?: number }).status).toBe(422);
      }
    }
    expect(v.match('GET', '/repos/o/r/contents/a%2Fb.json')?.params.path).toBe('a/b.json');
    expect(v.match('GET', '/repos/o/r/git/ref/heads/feature/x')?.params.ref).toBe('heads/feature/x');
  });

  it('answers unknown routes with GitHub 404 body', async () => {
    const res = await raw(gh, 'GET', '/repos/octo-org/sandbox/wiki/pages');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404',
    });
    expect((await raw(gh, 'POST', `/repos/${REPO}`, { body: {} })).status).toBe(404);
  });

  it('rejects a body field of the wrong type with 422 Invalid request', async () => {
    const res = await raw(gh, 'POST', `/repos/${REPO}/issues/5/comments`, { body: { body: 42 } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      message: "Invalid request.\n\nFor 'properties/body', 42 is not a string.",
      status: '422',
    });
    const missing = await failure(
      octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: OWNER,
        repo: NAME,
        issue_number: 5,
      } as never),
    );
    expect(missing.status).toBe(422);
    expect(missing.data.message).toBe('Invalid request.\n\n"body" wasn\'t supplied.');
  });

  it('rejects bad enum query values and malformed JSON', async () => {
    const bad = await failure(
      octokit.rest.issues.listForRepo({ owner: OWNER, repo: NAME, state: 'bogus' as never }),
    );
    expect(bad.status).toBe(422);
    expect(bad.data.message).toBe(
      `Invalid request.\n\nFor 'state', "bogus" is not a member of ["open", "closed", "all"].`,
    );
    const json = await raw(gh, 'POST', `/repos/${REPO}/labels`, { body: '{"name":' });
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ message: 'Problems parsing JSON' });
  });

  it('rejects comment bodies over 65,536 characters with Validation Failed', async () => {
    const ok = await octokit.rest.issues.createComment({
      owner: OWNER,
      repo: NAME,
      issue_number: 5,
      body: 'x'.repeat(65_536),
    });
    expect(ok.status).toBe(201);
    const tooLong = await failure(
      octokit.rest.issues.createComment({
        owner: OWNER,
        repo: NAME,
        issue_number: 5,
        body: 'x'.repeat(65_537),
      }),
    );
    expect(tooLong.status).toBe(422);
    expect(tooLong.data).toEqual({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
      documentation_url: 'https://docs.github.com/rest',
      status: '422',
    });
    const edit = await failure(
      octokit.rest.issues.updateComment({
        owner: OWNER,
        repo: NAME,
        comment_id: ok.data.id,
        body: 'y'.repeat(70_000),
      }),
    );
    expect(edit.status).toBe(422);
    expect(gh.repo(REPO).comments(5)).toHaveLength(1);
  });
});

describe('authentication and permissions', () => {
  it('answers unknown tokens with 401 Bad credentials, reads included', async () => {
    const res = await failure(
      getOctokit('ghs_nope', { baseUrl: gh.url }).rest.repos.get({ owner: OWNER, repo: NAME }),
    );
    expect(res.status).toBe(401);
    expect(res.data).toMatchObject({ message: 'Bad credentials', status: '401' });
  });

  it('accepts both `token` and `Bearer` schemes', async () => {
    const res = await fetch(`${gh.url}/repos/${REPO}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { full_name: string }).full_name).toBe(REPO);
  });

  it('needs authentication for writes, allows public reads, hides private repositories', async () => {
    const write = await raw(gh, 'POST', `/repos/${REPO}/issues/5/comments`, {
      body: { body: 'hi' },
      token: null,
    });
    expect(write.status).toBe(401);
    expect(write.body).toMatchObject({ message: 'Requires authentication' });
    expect((await raw(gh, 'GET', `/repos/${REPO}/issues/5`, { token: null })).status).toBe(200);
    gh.createRepo('octo-org/secret', { private: true });
    expect((await raw(gh, 'GET', '/repos/octo-org/secret', { token: null })).status).toBe(404);
    expect((await raw(gh, 'GET', '/repos/octo-org/secret')).status).toBe(200);
  });

  it('gives read-only tokens 403 on writes and 200 on reads', async () => {
    const reader = getOctokit(READ_TOKEN, { baseUrl: gh.url });
    expect((await reader.rest.issues.get({ owner: OWNER, repo: NAME, issue_number: 5 })).status).toBe(200);
    const res = await failure(
      reader.rest.issues.createComment({ owner: OWNER, repo: NAME, issue_number: 5, body: 'x' }),
    );
    expect(res.status).toBe(403);
    expect(res.data.message).toBe('Resource not accessible by integration');
    expect(gh.repo(REPO).comments(5)).toHaveLength(0);
  });
});

describe('rate limit headers and request log', () => {
  it('sends GitHub headers on every answer and counts down per token', async () => {
    const a = await raw(gh, 'GET', `/repos/${REPO}`);
    const b = await raw(gh, 'GET', '/repos/octo-org/none');
    for (const h of [
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
      'x-ratelimit-used',
      'x-github-request-id',
    ]) {
      expect(a.headers.get(h)).toBeTruthy();
    }
    expect(a.headers.get('x-ratelimit-resource')).toBe('core');
    expect(a.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(b.headers.get('x-ratelimit-remaining'))).toBe(
      Number(a.headers.get('x-ratelimit-remaining')) - 1,
    );
    expect(Number(b.headers.get('x-ratelimit-used'))).toBe(2);
    const limits = await octokit.rest.rateLimit.get();
    expect(limits.data.resources.core).toMatchObject({ limit: 5000, used: 2, remaining: 4998 });
  });

  it('exhausts the primary limit set with setRateLimit', async () => {
    gh.setRateLimit(2);
    await octokit.rest.repos.get({ owner: OWNER, repo: NAME });
    const last = await octokit.rest.repos.get({ owner: OWNER, repo: NAME });
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
    const res = await failure(octokit.rest.repos.get({ owner: OWNER, repo: NAME }));
    expect(res.status).toBe(403);
    expect(String(res.data.message)).toMatch(/^API rate limit exceeded/);
    expect(res.headers['x-ratelimit-limit']).toBe('2');
  });

  it('logs method, path as received, operation, status and only a token hint', async () => {
    gh.clearRequests();
    await octokit.rest.repos.getContent({ owner: OWNER, repo: NAME, path: 'README.md' });
    await raw(gh, 'GET', '/nowhere', { token: null });
    expect(gh.requests).toEqual([
      {
        method: 'GET',
        path: `/repos/${REPO}/contents/README.md`,
        operationId: 'repos/get-content',
        status: 200,
        at: expect.any(Number) as number,
        tokenHint: TOKEN.slice(-4),
      },
      {
        method: 'GET',
        path: '/nowhere',
        operationId: undefined,
        status: 404,
        at: expect.any(Number) as number,
        tokenHint: undefined,
      },
    ]);
    expect(JSON.stringify(gh.requests)).not.toContain(TOKEN);
  });
});
