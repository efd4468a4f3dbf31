import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubEmulator } from './index.js';
import { failure, NAME, OWNER, raw, REPO, setup, type Octokit } from './testing.js';

let gh: GitHubEmulator;
let octokit: Octokit;
const o = { owner: OWNER, repo: NAME };
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeEach(async () => {
  ({ gh, octokit } = await setup({ 'README.md': '# sandbox\n', '.trinity/railway_farm.json': '{"v":1}\n' }));
});
afterEach(() => gh.close());

function git(cwd: string, args: string[], input?: string, env: Record<string, string> = {}): string {
  return execFileSync('git', args, { cwd, input, env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
}

describe('git objects hash like real git', () => {
  it('blob sha of "hello\\n" equals git hash-object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-emu-'));
    try {
      const expected = git(dir, ['hash-object', '--stdin'], 'hello\n');
      const { data } = await octokit.rest.git.createBlob({ ...o, content: 'hello\n', encoding: 'utf-8' });
      expect(data.sha).toBe(expected);
      expect(expected).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
      const viaBase64 = await octokit.rest.git.createBlob({
        ...o,
        content: b64('hello\n'),
        encoding: 'base64',
      });
      expect(viaBase64.data.sha).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tree and commit shas equal what git write-tree and commit-tree compute', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-emu-'));
    try {
      git(dir, ['init', '-q']);
      const files: Record<string, string> = {
        'a.txt': 'hello\n',
        'a-b.txt': 'sorts before a/ in git\n',
        'a/z.md': 'nested\n',
        '.trinity/experience/2025_506.md': '# exp\n',
      };
      for (const [p, c] of Object.entries(files)) {
        mkdirSync(join(dir, p, '..'), { recursive: true });
        writeFileSync(join(dir, p), c);
      }
      git(dir, ['add', '-A']);
      const gitTree = git(dir, ['write-tree']);
      const tree = await octokit.rest.git.createTree({
        ...o,
        tree: Object.entries(files).map(([path, content]) => ({
          path,
          mode: '100644' as const,
          type: 'blob' as const,
          content,
        })),
      });
      expect(tree.data.sha).toBe(gitTree);

      const date = '2025-03-01T12:00:00+02:00';
      const who = { name: 'Trinity Bot', email: 'bot@example.com' };
      const gitCommit = git(dir, ['commit-tree', gitTree, '-m', 'Add experience'], undefined, {
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: who.name,
        GIT_COMMITTER_EMAIL: who.email,
        GIT_COMMITTER_DATE: date,
      });
      // git commit-tree -m ends the message with a newline; the API stores the message verbatim.
      const commit = await octokit.rest.git.createCommit({
        ...o,
        tree: gitTree,
        parents: [],
        message: 'Add experience\n',
        author: { ...who, date },
        committer: { ...who, date },
      });
      expect(commit.status).toBe(201);
      expect(commit.data.sha).toBe(gitCommit);
      expect(git(dir, ['cat-file', '-t', gitCommit])).toBe('commit');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Contents API', () => {
  it('reads files by URL-encoded and plain path, with GitHub base64 layout', async () => {
    const encoded = await octokit.rest.repos.getContent({ ...o, path: '.trinity/railway_farm.json' });
    expect(gh.requests.at(-1)?.path).toContain('.trinity%2Frailway_farm.json');
    const plain = await raw(gh, 'GET', `/repos/${REPO}/contents/.trinity/railway_farm.json`);
    expect(plain.status).toBe(200);
    expect(plain.body).toEqual(encoded.data);
    const data = encoded.data as {
      content: string;
      encoding: string;
      sha: string;
      type: string;
      path: string;
    };
    expect(data).toMatchObject({ type: 'file', encoding: 'base64', path: '.trinity/railway_farm.json' });
    expect(Buffer.from(data.content, 'base64').toString()).toBe('{"v":1}\n');
    const blob = await octokit.rest.git.getBlob({ ...o, file_sha: data.sha });
    expect(blob.data.content).toBe(data.content);

    const long = 'x'.repeat(100);
    await octokit.rest.repos.createOrUpdateFileContents({
      ...o,
      path: 'long.txt',
      message: 'long',
      content: b64(long),
    });
    const got = (await octokit.rest.repos.getContent({ ...o, path: 'long.txt' })).data as { content: string };
    const lines = got.content.split('\n');
    expect(lines[0]).toHaveLength(60);
    expect(got.content.endsWith('\n')).toBe(true);
  });

  it('lists directories and answers 404 for missing paths and refs', async () => {
    const dir = await octokit.rest.repos.getContent({ ...o, path: '.trinity' });
    expect(Array.isArray(dir.data) && dir.data.map((e) => [e.name, e.type])).toEqual([
      ['railway_farm.json', 'file'],
    ]);
    expect((await failure(octokit.rest.repos.getContent({ ...o, path: 'nope.md' }))).status).toBe(404);
    const badRef = await failure(
      octokit.rest.repos.getContent({ ...o, path: 'README.md', ref: 'no-branch' }),
    );
    expect(badRef.status).toBe(404);
    expect(badRef.data.message).toBe('No commit found for the ref no-branch');
  });

  it('PUT creates a real commit readable through the Git Data API', async () => {
    const before = gh.repo(REPO).headSha();
    const put = await octokit.rest.repos.createOrUpdateFileContents({
      ...o,
      path: '.trinity/current_issue.json',
      message: 'Track issue 506',
      content: b64('{"issue":506}\n'),
    });
    expect(put.status).toBe(201);
    expect(put.data.commit.parents?.map((p) => p.sha)).toEqual([before]);
    const ref = await octokit.rest.git.getRef({ ...o, ref: 'heads/main' });
    expect(ref.data.object.sha).toBe(put.data.commit.sha);
    const commit = await octokit.rest.git.getCommit({ ...o, commit_sha: ref.data.object.sha });
    expect(commit.data.message).toBe('Track issue 506');
    const tree = await octokit.rest.git.getTree({ ...o, tree_sha: commit.data.tree.sha, recursive: 'true' });
    const entry = tree.data.tree.find((e) => e.path === '.trinity/current_issue.json');
    expect(entry?.sha).toBe(put.data.content?.sha);
    const blob = await octokit.rest.git.getBlob({ ...o, file_sha: entry?.sha ?? '' });
    expect(Buffer.from(blob.data.content, 'base64').toString()).toBe('{"issue":506}\n');
    expect(
      gh
        .repo(REPO)
        .log()
        .map((c) => c.message),
    ).toEqual(['Track issue 506', 'Initial commit']);
  });

  it('a commit made with the Git Data API is visible through Contents', async () => {
    const head = gh.repo(REPO).headSha();
    const base = await octokit.rest.git.getCommit({ ...o, commit_sha: head });
    const tree = await octokit.rest.git.createTree({
      ...o,
      base_tree: base.data.tree.sha,
      tree: [
        { path: '.trinity/experience/20250301_506.md', mode: '100644', type: 'blob', content: '# 506\n' },
        { path: 'README.md', mode: '100644', type: 'blob', sha: null },
      ],
    });
    const commit = await octokit.rest.git.createCommit({
      ...o,
      message: 'exp',
      tree: tree.data.sha,
      parents: [head],
    });
    await octokit.rest.git.updateRef({ ...o, ref: 'heads/main', sha: commit.data.sha });
    const file = (await octokit.rest.repos.getContent({ ...o, path: '.trinity/experience/20250301_506.md' }))
      .data as {
      content: string;
    };
    expect(Buffer.from(file.content, 'base64').toString()).toBe('# 506\n');
    expect((await failure(octokit.rest.repos.getContent({ ...o, path: 'README.md' }))).status).toBe(404);
    expect(gh.repo(REPO).readFile('.trinity/railway_farm.json')).toBe('{"v":1}\n');
  });

  it('PUT compare-and-swap: 422 without sha, 409 with a stale sha, 200 with the current one', async () => {
    const current = (await octokit.rest.repos.getContent({ ...o, path: '.trinity/railway_farm.json' }))
      .data as { sha: string };
    const args = { ...o, path: '.trinity/railway_farm.json', message: 'update', content: b64('{"v":2}\n') };
    const noSha = await failure(octokit.rest.repos.createOrUpdateFileContents(args));
    expect(noSha.status).toBe(422);
    expect(noSha.data.message).toBe('Invalid request.\n\n"sha" wasn\'t supplied.');
    const stale = 'a'.repeat(40);
    const conflict = await failure(octokit.rest.repos.createOrUpdateFileContents({ ...args, sha: stale }));
    expect(conflict.status).toBe(409);
    expect(conflict.data.message).toBe(`.trinity/railway_farm.json does not match ${stale}`);
    const ok = await octokit.rest.repos.createOrUpdateFileContents({ ...args, sha: current.sha });
    expect(ok.status).toBe(200);
    const again = await failure(octokit.rest.repos.createOrUpdateFileContents({ ...args, sha: current.sha }));
    expect(again.status).toBe(409);
    expect(gh.repo(REPO).readFile('.trinity/railway_farm.json')).toBe('{"v":2}\n');
  });

  it('PUT writes to another branch and 404s on an unknown one', async () => {
    await octokit.rest.git.createRef({ ...o, ref: 'refs/heads/journal', sha: gh.repo(REPO).headSha() });
    await octokit.rest.repos.createOrUpdateFileContents({
      ...o,
      path: 'j.md',
      message: 'j',
      content: b64('j'),
      branch: 'journal',
    });
    expect(gh.repo(REPO).readFile('j.md', 'journal')).toBe('j');
    expect(gh.repo(REPO).readFile('j.md')).toBeUndefined();
    const missing = await failure(
      octokit.rest.repos.createOrUpdateFileContents({
        ...o,
        path: 'j.md',
        message: 'j',
        content: b64('j'),
        branch: 'nope',
      }),
    );
    expect(missing.status).toBe(404);
  });
});

describe('refs', () => {
  it('reads refs by encoded and plain name, rejects duplicates and unknown objects', async () => {
    const head = gh.repo(REPO).headSha();
    expect((await raw(gh, 'GET', `/repos/${REPO}/git/ref/heads%2Fmain`)).body).toMatchObject({
      ref: 'refs/heads/main',
      object: { sha: head },
    });
    expect((await raw(gh, 'GET', `/repos/${REPO}/git/ref/heads/main`)).body).toMatchObject({
      object: { sha: head },
    });
    expect((await failure(octokit.rest.git.getRef({ ...o, ref: 'heads/none' }))).status).toBe(404);
    const created = await octokit.rest.git.createRef({ ...o, ref: 'refs/heads/feature', sha: head });
    expect(created.status).toBe(201);
    const dup = await failure(octokit.rest.git.createRef({ ...o, ref: 'refs/heads/feature', sha: head }));
    expect([dup.status, dup.data.message]).toEqual([422, 'Reference already exists']);
    const ghost = await failure(
      octokit.rest.git.createRef({ ...o, ref: 'refs/heads/x', sha: 'b'.repeat(40) }),
    );
    expect([ghost.status, ghost.data.message]).toEqual([422, 'Object does not exist']);
    const badTree = await failure(
      octokit.rest.git.createCommit({ ...o, message: 'm', tree: 'c'.repeat(40) }),
    );
    expect([badTree.status, badTree.data.message]).toEqual([422, 'Tree SHA does not exist']);
    expect((await failure(octokit.rest.git.getCommit({ ...o, commit_sha: 'd'.repeat(40) }))).status).toBe(
      404,
    );
  });

  it('refuses a non-fast-forward update unless forced (plain and encoded ref)', async () => {
    const head = gh.repo(REPO).headSha();
    const tree = (await octokit.rest.git.getCommit({ ...o, commit_sha: head })).data.tree.sha;
    const orphan = await octokit.rest.git.createCommit({ ...o, message: 'orphan', tree, parents: [] });
    const child = await octokit.rest.git.createCommit({ ...o, message: 'child', tree, parents: [head] });
    const nonFf = await failure(
      octokit.rest.git.updateRef({ ...o, ref: 'heads/main', sha: orphan.data.sha }),
    );
    expect(nonFf.status).toBe(422);
    expect(nonFf.data.message).toBe('Update is not a fast forward');
    expect(gh.repo(REPO).headSha()).toBe(head);
    const ff = await raw(gh, 'PATCH', `/repos/${REPO}/git/refs/heads/main`, {
      body: { sha: child.data.sha },
    });
    expect(ff.status).toBe(200);
    const forced = await octokit.rest.git.updateRef({
      ...o,
      ref: 'heads/main',
      sha: orphan.data.sha,
      force: true,
    });
    expect(forced.data.object.sha).toBe(orphan.data.sha);
    expect(
      gh
        .repo(REPO)
        .log()
        .map((c) => c.message),
    ).toEqual(['orphan']);
  });
});
