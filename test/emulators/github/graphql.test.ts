import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { pointsOf, operationOf } from './graphql/cost.js';
import type { GitHubEmulator } from './index.js';
import { REPO, TOKEN, READ_TOKEN, setup } from './testing.js';

let gh: GitHubEmulator;

async function post(
  query: string,
  variables: Record<string, unknown> = {},
  token = TOKEN,
): Promise<{
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: Array<Record<string, unknown>> };
}> {
  const res = await fetch(`${gh.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as never };
}

const HEAD = `query($owner: String!, $name: String!, $ref: String!, $path: String!) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) {
      target { oid ... on Commit { file(path: $path) { object { ... on Blob { oid text isTruncated byteSize } } } } }
    }
  }
}`;

const COMMIT = `mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid signature { isValid state wasSignedByGitHub } } }
}`;

function commitInput(expectedHeadOid: string, contents = 'hello\n') {
  return {
    input: {
      branch: { repositoryNameWithOwner: REPO, branchName: 'main' },
      expectedHeadOid,
      message: { headline: 'Add a file', body: 'Why it changed.' },
      fileChanges: { additions: [{ path: 'docs/a.md', contents: Buffer.from(contents).toString('base64') }] },
    },
  };
}

describe('GitHub emulator: GraphQL', () => {
  afterEach(async () => {
    await gh.close();
  });

  it('validates documents against GitHub schema and answers 200 with GitHub wordings', async () => {
    ({ gh } = await setup({ 'README.md': '# r\n' }));
    const unknown = await post('query { repository(owner: "octo-org", name: "sandbox") { nope } }');
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: "Field 'nope' doesn't exist on type 'Repository'",
      extensions: { code: 'undefinedField', typeName: 'Repository', fieldName: 'nope' },
    });
    const nullOid = await post(COMMIT, {
      input: { ...commitInput('x').input, expectedHeadOid: null },
    });
    expect(nullOid.body.errors?.[0]?.message).toBe(
      'Variable $input of type CreateCommitOnBranchInput! was provided invalid value for expectedHeadOid (Expected value to not be null)',
    );
  });

  it('reads a ref and a file at its commit; a missing repository is NOT_FOUND', async () => {
    ({ gh } = await setup({ 'README.md': '# r\n' }));
    const read = await post(HEAD, {
      owner: 'octo-org',
      name: 'sandbox',
      ref: 'refs/heads/main',
      path: 'README.md',
    });
    expect(read.body.data).toEqual({
      repository: {
        ref: {
          target: {
            oid: gh.repo(REPO).headSha(),
            file: {
              object: {
                oid: expect.stringMatching(/^[0-9a-f]{40}$/) as string,
                text: '# r\n',
                isTruncated: false,
                byteSize: 4,
              },
            },
          },
        },
      },
    });
    const missing = await post(HEAD, { owner: 'octo-org', name: 'nope', ref: 'main', path: 'README.md' });
    expect(missing.body).toMatchObject({
      data: { repository: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          message: "Could not resolve to a Repository with the name 'octo-org/nope'.",
        },
      ],
    });
  });

  it('cuts Blob.text at its limit and says isTruncated', async () => {
    ({ gh } = await setup({ 'big.txt': 'x'.repeat(100) }));
    gh.setGraphQLBlobTextLimit(10);
    const read = await post(HEAD, { owner: 'octo-org', name: 'sandbox', ref: 'main', path: 'big.txt' });
    expect(read.body.data).toMatchObject({
      repository: {
        ref: { target: { file: { object: { text: 'x'.repeat(10), isTruncated: true, byteSize: 100 } } } },
      },
    });
  });

  it('createCommitOnBranch commits on the expected head, signed and verified', async () => {
    ({ gh } = await setup({ 'README.md': '# r\n' }));
    const before = gh.repo(REPO).headSha();
    const made = await post(COMMIT, commitInput(before));
    const oid = gh.repo(REPO).headSha();
    expect(made.body).toEqual({
      data: {
        createCommitOnBranch: {
          commit: { oid, signature: { isValid: true, state: 'VALID', wasSignedByGitHub: true } },
        },
      },
    });
    expect(gh.repo(REPO).log()[0]).toMatchObject({
      message: 'Add a file\n\nWhy it changed.',
      parents: [before],
    });
    expect(gh.repo(REPO).readFile('docs/a.md')).toBe('hello\n');
    expect(gh.isVerified(REPO, oid)).toBe(true);
    // The REST view of the same commit says so too.
    const rest = await fetch(`${gh.url}/repos/${REPO}/git/commits/${oid}`, {
      headers: { authorization: `token ${TOKEN}` },
    });
    expect(((await rest.json()) as { verification: unknown }).verification).toMatchObject({
      verified: true,
      reason: 'valid',
    });
  });

  it('answers a stale expectedHeadOid with STALE_DATA in GitHub words, HTTP 200, and changes nothing', async () => {
    ({ gh } = await setup({ 'README.md': '# r\n' }));
    const stale = gh.repo(REPO).headSha();
    await post(COMMIT, commitInput(stale, 'first\n'));
    const head = gh.repo(REPO).headSha();
    const lost = await post(COMMIT, commitInput(stale, 'second\n'));
    expect(lost.status).toBe(200);
    expect(lost.body).toEqual({
      data: { createCommitOnBranch: null },
      errors: [
        {
          type: 'STALE_DATA',
          path: ['createCommitOnBranch'],
          locations: [{ line: 2, column: 3 }],
          message: `Expected branch to point to "${stale}" but it did not.  Pull and try again.`,
        },
      ],
    });
    expect(gh.repo(REPO).headSha()).toBe(head);
  });

  it('refuses protected branches and pull-request rules, typed; a signed-commits rule accepts its commits', async () => {
    ({ gh } = await setup({ 'README.md': '# r\n' }));
    gh.addBranchRule(REPO, 'main', 'signed_commits');
    expect((await post(COMMIT, commitInput(gh.repo(REPO).headSha()))).body.errors).toBeUndefined();

    gh.addBranchRule(REPO, 'main', 'pull_request');
    for (const type of ['UNPROCESSABLE', 'BRANCH_PROTECTION_RULE_VIOLATION'] as const) {
      gh.setGraphQLRuleViolationType(type);
      const refused = await post(COMMIT, commitInput(gh.repo(REPO).headSha(), type));
      expect(refused.body.errors?.[0]).toMatchObject({
        type,
        message: 'Repository rule violations found\n\nChanges must be made through a pull request.\n\n',
      });
    }
    gh.protectBranch(REPO, 'main');
    const protectedAnswer = await post(COMMIT, commitInput(gh.repo(REPO).headSha(), 'p'));
    expect(protectedAnswer.body.errors?.[0]).toMatchObject({ type: 'BRANCH_PROTECTION_RULE_VIOLATION' });
  });

  it('refuses a read-only token', async () => {
    ({ gh } = await setup({ 'README.md': '# r\n' }));
    const refused = await post(COMMIT, commitInput(gh.repo(REPO).headSha()), READ_TOKEN);
    expect(refused.body.errors?.[0]).toMatchObject({
      type: 'FORBIDDEN',
      message: 'Resource not accessible by integration',
    });
  });

  it('counts points in their own budget: 1 per query or mutation, x-ratelimit-resource graphql, 200 RATE_LIMITED when spent', async () => {
    ({ gh } = await setup({ 'README.md': '# r\n' }));
    gh.addToken('ghs_installation', { repositories: [REPO] });
    const vars = { owner: 'octo-org', name: 'sandbox', ref: 'main', path: 'README.md' };
    const first = await post(HEAD, vars, 'ghs_installation');
    expect(
      Object.fromEntries([...first.headers].filter(([k]) => k.startsWith('x-ratelimit-'))),
    ).toMatchObject({
      'x-ratelimit-limit': '1000',
      'x-ratelimit-used': '1',
      'x-ratelimit-remaining': '999',
      'x-ratelimit-resource': 'graphql',
    });
    await post(COMMIT, commitInput(gh.repo(REPO).headSha()), 'ghs_installation');
    expect(gh.graphqlPointsUsed(`repo:${REPO}`)).toBe(2);
    // REST's core budget is untouched by GraphQL.
    const rest = await fetch(`${gh.url}/repos/${REPO}`, {
      headers: { authorization: 'token ghs_installation' },
    });
    expect(rest.headers.get('x-ratelimit-used')).toBe('1');
    expect(rest.headers.get('x-ratelimit-resource')).toBe('core');

    gh.setGraphQLRateLimit(2);
    const limited = await post(HEAD, vars, 'ghs_installation');
    expect(limited.status).toBe(200);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.body.errors?.[0]).toMatchObject({ type: 'RATE_LIMITED' });
  });
});

describe('GitHub emulator: GraphQL points', () => {
  it('scores a query by its connections as GitHub documents (5,101 requests → 51 points)', () => {
    const document = parse(`query {
      viewer { login repositories(first: 100) { edges { node { id
        issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } }
      } } } }
    }`);
    const operation = operationOf(document, undefined);
    expect(operation && pointsOf(document, operation, {})).toBe(51);
    const mutation = parse(COMMIT);
    const m = operationOf(mutation, undefined);
    expect(m && pointsOf(mutation, m, {})).toBe(1);
  });
});
