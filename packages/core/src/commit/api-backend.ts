import { UserError } from '../errors.js';
import { recogniseAnswer } from '../github/answers.js';
import type { GitHubClient } from '../github/octokit.js';
import { statusOf } from '../github/status.js';
import type { Logger } from '../logger.js';
import { retryLostRaces, type RaceLoopOptions } from './race-loop.js';
import { type CommitBackend, type CommitPlanner, type CommitResult, LostRaceError } from './types.js';

/** Re-reads of a ref that refused a fast-forward, before the attempt is counted as lost. */
const REF_REREADS = 3;

export interface ApiCommitBackendOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** Undefined: the repository's default branch. */
  branch: string | undefined;
  logger: Logger;
  race: Pick<RaceLoopOptions, 'sleep' | 'random' | 'maxAttempts' | 'baseDelayMs'>;
}

/**
 * Commits through GitHub's Git Data API: one tree and one commit for all changed files, then a
 * fast-forward-only ref update. No checkout is needed, every file of a change lands atomically,
 * and a ref update that is not a fast-forward (422) means another writer won: re-read, re-plan.
 * The commit carries no author or committer: GitHub then signs it as the token's bot, so it is
 * verified and passes branches that require signed commits (docs/actions.md, "GitHub's answers").
 */
export function createApiCommitBackend(options: ApiCommitBackendOptions): CommitBackend {
  const { octokit, owner, repo, logger } = options;
  let branch = options.branch;
  // Commits are immutable, so what was read at a commit stays true: a run that read the farm at the
  // head and then commits on that same head reads nothing twice. Only the ref is always re-read.
  const treeOf = new Map<string, string>();
  const fileAt = new Map<string, Promise<string | undefined>>();

  async function resolveBranch(): Promise<string> {
    branch ??= (await octokit.rest.repos.get({ owner, repo })).data.default_branch;
    return branch;
  }

  async function attempt(target: string, plan: CommitPlanner): Promise<Omit<CommitResult, 'attempts'>> {
    const head = await readHead(target);
    const planned = await plan((path) => readFile(path, head.commitSha));
    if (planned === undefined || planned.files.length === 0) {
      return { committed: false, sha: undefined, branch: target, paths: [] };
    }
    const tree = await octokit.rest.git.createTree({
      owner,
      repo,
      base_tree: head.treeSha,
      tree: planned.files.map((file) => ({
        path: file.path,
        mode: '100644',
        type: 'blob',
        content: file.content,
      })),
    });
    const commit = await octokit.rest.git.createCommit({
      owner,
      repo,
      message: planned.message,
      tree: tree.data.sha,
      parents: [head.commitSha],
    });
    try {
      await octokit.rest.git.updateRef({
        owner,
        repo,
        ref: `heads/${target}`,
        sha: commit.data.sha,
        force: false,
      });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 422 && status !== 409) throw error;
      const answer = recogniseAnswer(error);
      if (answer.kind === 'branch_protected') {
        throw new UserError(
          `GitHub refused to move ${target} in ${owner}/${repo}: the branch is protected or a ruleset applies ` +
            `(${status}: "${answer.wording}"). The comments were posted; the mapping was not committed. ` +
            'Set farm-branch to a branch the workflow may push to (e.g. trinity-farm), or allow github-actions ' +
            'to bypass the rule.',
        );
      }
      // Any other refusal of a fast-forward-only update means another writer moved the branch, even
      // when a read still shows the old head: reads can trail a write, so it is re-read with backoff.
      const moved = await refMovedFrom(target, head.commitSha);
      throw new LostRaceError(
        moved
          ? `${target} moved past ${head.commitSha.slice(0, 7)}`
          : `${target} refused a fast-forward from ${head.commitSha.slice(0, 7)} but still reads as it (lagging read)`,
      );
    }
    return { committed: true, sha: commit.data.sha, branch: target, paths: planned.files.map((f) => f.path) };
  }

  /** Whether the ref reads as moved from `from` within a few re-reads with growing pauses. */
  async function refMovedFrom(target: string, from: string): Promise<boolean> {
    const pause = options.race.baseDelayMs ?? 100;
    for (let attempt = 0; attempt < REF_REREADS; attempt++) {
      const now = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${target}` });
      if (now.data.object.sha !== from) return true;
      await options.race.sleep(pause * 2 ** attempt);
    }
    return false;
  }

  async function readHead(target: string): Promise<{ commitSha: string; treeSha: string }> {
    let commitSha: string;
    try {
      commitSha = (await octokit.rest.git.getRef({ owner, repo, ref: `heads/${target}` })).data.object.sha;
    } catch (error) {
      if (statusOf(error) === 404) {
        throw new UserError(
          `Cannot commit the mapping to ${owner}/${repo}: branch "${target}" does not exist (or the token cannot ` +
            'read it). Set farm-branch to an existing branch, or leave it unset to use the default branch.',
        );
      }
      throw error;
    }
    let treeSha = treeOf.get(commitSha);
    if (treeSha === undefined) {
      treeSha = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: commitSha })).data.tree.sha;
      treeOf.set(commitSha, treeSha);
    }
    return { commitSha, treeSha };
  }

  function readFile(path: string, commitSha: string): Promise<string | undefined> {
    const key = `${commitSha}:${path}`;
    let pending = fileAt.get(key);
    if (pending === undefined) {
      pending = fetchFile(path, commitSha);
      fileAt.set(key, pending);
      // A failed read is not a fact about the commit: the next call asks again.
      pending.catch(() => fileAt.delete(key));
    }
    return pending;
  }

  /**
   * The raw media type: the JSON answer of the Contents API carries files up to 1 MB only, and the
   * farm grows past that; raw serves up to 100 MB in one request. Directories still answer JSON.
   */
  async function fetchFile(path: string, ref: string): Promise<string | undefined> {
    try {
      const { data } = await octokit.rest.repos.getContent({
        owner,
        repo,
        path,
        ref,
        mediaType: { format: 'raw' },
      });
      const raw: unknown = data;
      if (typeof raw === 'string') return raw;
      if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
      if (ArrayBuffer.isView(raw))
        return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
      throw new UserError(`${path} in ${owner}/${repo} is not a file; move whatever is there and re-run.`);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  return {
    mode: 'api',
    async read(path) {
      const head = await readHead(await resolveBranch());
      return readFile(path, head.commitSha);
    },
    async commit(plan) {
      const target = await resolveBranch();
      const { value, attempts } = await retryLostRaces(() => attempt(target, plan), {
        ...options.race,
        onRetry: (n, delay) =>
          logger.info(
            `Commit attempt ${n} lost a race on ${target}; re-reading and retrying in ${delay} ms.`,
          ),
      });
      return { ...value, attempts };
    },
  };
}
