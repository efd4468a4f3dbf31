// Replays what GitHub answered (recorded by `npm run test:live`, or transcribed from a cited source
// until recorded; docs/live-conformance.md) against the emulator: the same request in the same
// situation must get the same status, the same wordings and codes, and the same rate-limit headers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixtures, type RecordedAnswer } from '../../support/recorded.js';
import { startGitHubEmulator, type GitHubEmulator } from './index.js';

const TOKEN = 'ghs_replayToken0001';
const REPO = 'octo-org/replay';

let gh: GitHubEmulator;
beforeEach(async () => {
  gh = await startGitHubEmulator();
  gh.addToken(TOKEN, { login: 'github-actions[bot]' });
  gh.createRepo(REPO, { files: { 'README.md': '# replay\n' } });
  gh.seedIssue(REPO, { number: 1, title: 'scratch' });
});
afterEach(() => gh.close());

async function send(method: string, path: string, body?: unknown): Promise<RecordedAnswer> {
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return {
    status: response.status,
    headers,
    ...('message' in json ? { message: json['message'] } : {}),
    ...(Array.isArray(json['errors']) ? { errors: json['errors'] } : {}),
  };
}

/** A createCommitOnBranch on `main` that expects `expectedHeadOid` to be its head. */
async function commitOnMain(expectedHeadOid: string, path: string): Promise<RecordedAnswer> {
  const response = await fetch(`${gh.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      query:
        'mutation Commit($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }',
      variables: {
        input: {
          branch: { repositoryNameWithOwner: REPO, branchName: 'main' },
          expectedHeadOid,
          message: { headline: path },
          fileChanges: { additions: [{ path, contents: Buffer.from(path).toString('base64') }] },
        },
      },
    }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  return {
    status: response.status,
    headers: {},
    ...(Array.isArray(json['errors']) ? { errors: json['errors'] } : {}),
  };
}

/** How to put the emulator in each fixture's situation and send its request. */
const reproductions: Record<string, () => Promise<RecordedAnswer>> = {
  'commit-race': async () => {
    const head = gh.repo(REPO).headSha();
    expect((await commitOnMain(head, 'a.txt')).errors).toBeUndefined();
    return commitOnMain(head, 'b.txt');
  },
  'comment-too-long': () => send('POST', `/repos/${REPO}/issues/1/comments`, { body: 'x'.repeat(65_537) }),
  'issue-missing': () => send('GET', `/repos/${REPO}/issues/999999999`),
  'issue-deleted': async () => {
    gh.seedIssue(REPO, { number: 2, title: 'gone' });
    gh.deleteIssue(REPO, 2);
    return send('GET', `/repos/${REPO}/issues/2`);
  },
  'update-ref-race': async () => {
    const head = gh.repo(REPO).headSha();
    const headTree = (
      (await (
        await fetch(`${gh.url}/repos/${REPO}/git/commits/${head}`, {
          headers: { authorization: `token ${TOKEN}` },
        })
      ).json()) as { tree: { sha: string } }
    ).tree.sha;
    const commit = async (path: string) => {
      const tree = (await (
        await fetch(`${gh.url}/repos/${REPO}/git/trees`, {
          method: 'POST',
          headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            base_tree: headTree,
            tree: [{ path, mode: '100644', type: 'blob', content: path }],
          }),
        })
      ).json()) as { sha: string };
      const made = (await (
        await fetch(`${gh.url}/repos/${REPO}/git/commits`, {
          method: 'POST',
          headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ message: path, tree: tree.sha, parents: [head] }),
        })
      ).json()) as { sha: string };
      return made.sha;
    };
    const winner = await commit('a.txt');
    const loser = await commit('b.txt');
    expect((await send('PATCH', `/repos/${REPO}/git/refs/heads/main`, { sha: winner })).status).toBe(200);
    return send('PATCH', `/repos/${REPO}/git/refs/heads/main`, { sha: loser });
  },
};

/**
 * The parts of an error entry a client may branch on (not documentation links or source locations),
 * with commit ids, which differ from run to run, written as `<oid>`.
 */
const errorFacts = (errors: unknown[] | undefined) =>
  errors?.map((e) => {
    const { resource, code, field, type, path, message } = e as Record<string, unknown>;
    return {
      resource,
      code,
      field,
      type,
      path,
      message: typeof message === 'string' ? message.replace(/\b[0-9a-f]{40}\b/g, '<oid>') : message,
    };
  });

describe('the GitHub emulator answers as GitHub answered', () => {
  const fixtures = [...loadFixtures('github').values()].filter((f) => f.case in reproductions);

  it('has a reproduction for every stored fixture it can replay', () => {
    expect(fixtures.map((f) => f.case).sort()).toEqual(
      expect.arrayContaining([
        'comment-too-long',
        'commit-race',
        'issue-deleted',
        'issue-missing',
        'update-ref-race',
      ]),
    );
  });

  for (const fixture of fixtures) {
    it(`${fixture.case} (${fixture.source.kind}): ${fixture.what}`, async () => {
      const reproduce = reproductions[fixture.case];
      if (reproduce === undefined) throw new Error(`no reproduction for ${fixture.case}`);
      const answer = await reproduce();
      const expected = fixture.answer;
      expect(answer.status).toBe(expected.status);
      if (expected.message !== undefined) expect(answer.message).toBe(expected.message);
      if (expected.errors !== undefined)
        expect(errorFacts(answer.errors)).toEqual(errorFacts(expected.errors));
      for (const name of Object.keys(expected.headers).filter((h) => /^(x-ratelimit-|retry-after)/.test(h))) {
        expect(answer.headers, `header ${name}`).toHaveProperty(name);
      }
    });
  }
});
