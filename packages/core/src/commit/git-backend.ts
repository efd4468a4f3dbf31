import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { GitRunner } from './git-runner.js';
import { retryLostRaces, type RaceLoopOptions } from './race-loop.js';
import {
  BOT_IDENTITY,
  type CommitBackend,
  type CommitPlanner,
  type CommitResult,
  LostRaceError,
} from './types.js';

export interface GitCommitBackendOptions {
  git: GitRunner;
  remote?: string;
  /** Undefined: the remote's default branch (its HEAD). */
  branch: string | undefined;
  logger: Logger;
  race: Pick<RaceLoopOptions, 'sleep' | 'random' | 'maxAttempts' | 'baseDelayMs'>;
}

/**
 * Commits with the git CLI, using plumbing on a private index so the workspace checkout (the code
 * the job is testing, possibly with local edits) is never touched: fetch the branch, build a tree
 * from its head plus the planned files, commit, push. A push the remote rejects as
 * non-fast-forward means another writer won: fetch again, re-plan.
 */
export function createGitCommitBackend(options: GitCommitBackendOptions): CommitBackend {
  const { git, logger } = options;
  const remote = options.remote ?? 'origin';
  let branch = options.branch;

  async function resolveBranch(): Promise<string> {
    if (branch !== undefined) return branch;
    const { stdout } = await git.run(['ls-remote', '--symref', remote, 'HEAD']);
    const match = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(stdout);
    if (match?.[1] === undefined) {
      throw new UserError(
        `Cannot tell the default branch of remote "${remote}"; set farm-branch explicitly.`,
      );
    }
    branch = match[1];
    return branch;
  }

  async function fetchHead(target: string): Promise<string> {
    const fetched = await git.run(['fetch', '--no-tags', '--quiet', remote, `refs/heads/${target}`], {
      allowFailure: true,
    });
    if (fetched.exitCode !== 0) {
      throw new UserError(
        `Cannot fetch branch "${target}" from remote "${remote}": ${fetched.stderr.trim()}. ` +
          'Check that the branch exists and that the token may read the repository.',
      );
    }
    return (await git.run(['rev-parse', 'FETCH_HEAD'])).stdout.trim();
  }

  async function readAt(head: string, path: string): Promise<string | undefined> {
    const shown = await git.run(['cat-file', 'blob', `${head}:${path}`], { allowFailure: true });
    return shown.exitCode === 0 ? shown.stdout : undefined;
  }

  async function attempt(target: string, plan: CommitPlanner): Promise<Omit<CommitResult, 'attempts'>> {
    const head = await fetchHead(target);
    const planned = await plan((path) => readAt(head, path));
    if (planned === undefined || planned.files.length === 0) {
      return { committed: false, sha: undefined, branch: target, paths: [] };
    }
    const scratch = await mkdtemp(join(tmpdir(), 'trinity-index-'));
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    try {
      await git.run(['read-tree', head], { env });
      for (const file of planned.files) {
        const blob = (await git.run(['hash-object', '-w', '--stdin'], { input: file.content })).stdout.trim();
        await git.run(['update-index', '--add', '--cacheinfo', `100644,${blob},${file.path}`], { env });
      }
      const tree = (await git.run(['write-tree'], { env })).stdout.trim();
      const commit = (
        await git.run(['commit-tree', tree, '-p', head, '-F', '-'], {
          input: planned.message,
          env: identityEnv(),
        })
      ).stdout.trim();
      const pushed = await git.run(['push', '--porcelain', remote, `${commit}:refs/heads/${target}`], {
        allowFailure: true,
      });
      if (pushed.exitCode !== 0) {
        const said = `${pushed.stdout}\n${pushed.stderr}`;
        const refusal = pushRefusal(said, target);
        if (refusal !== undefined) throw new UserError(refusal);
        if (/\[rejected\]|non-fast-forward|fetch first|cannot lock ref|failed to update ref/i.test(said)) {
          throw new LostRaceError(`${target} moved past ${head.slice(0, 7)}`);
        }
        throw new Error(`git push to ${remote} ${target} failed: ${pushed.stderr.trim()}`);
      }
      return { committed: true, sha: commit, branch: target, paths: planned.files.map((f) => f.path) };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  return {
    mode: 'git',
    async read(path) {
      return readAt(await fetchHead(await resolveBranch()), path);
    },
    async commit(plan) {
      const target = await resolveBranch();
      const { value, attempts } = await retryLostRaces(() => attempt(target, plan), {
        ...options.race,
        onRetry: (n, delay) =>
          logger.info(
            `Push attempt ${n} was rejected on ${target}; re-fetching and retrying in ${delay} ms.`,
          ),
      });
      return { ...value, attempts };
    },
  };
}

/**
 * What GitHub's git server says when it refuses a push for a reason the user fixes, in its exact
 * wording (test/emulators/github/README.md, behaviour → source): the token lacks contents: write
 * (`remote: Permission to o/r.git denied to <actor>.` then `The requested URL returned error: 403`),
 * or the branch is protected (GH006) or governed by a ruleset (GH013).
 */
export function pushRefusal(said: string, branch: string): string | undefined {
  const denied = /^remote: (Permission to \S+ denied to \S+\.)\s*$/m.exec(said)?.[1];
  if (denied !== undefined && /The requested URL returned error: 403\s*$/m.test(said)) {
    return (
      `git push of the mapping was refused: ${denied} (HTTP 403). The token lacks the \`contents: write\` ` +
      "permission: add it to the workflow's `permissions:` (or grant it to the GitHub App or fine-grained token). " +
      'This is a setting of the workflow, not an outage.'
    );
  }
  // GitHub pads these lines with trailing spaces.
  const rule =
    /^remote: error: (GH006: Protected branch update failed for \S+?|GH013: Repository rule violations found for \S+?)\.?\s*$/m.exec(
      said,
    )?.[1];
  if (rule !== undefined) {
    return (
      `GitHub refused the push to ${branch}: the branch is protected or a ruleset applies ("${rule}"). ` +
      'The comments were posted; the mapping was not committed. Set farm-branch to a branch the workflow may push ' +
      'to (e.g. trinity-farm), or allow github-actions to bypass the rule.'
    );
  }
  return undefined;
}

/** Commits carry the bot identity whatever the machine's git config says (or lacks). */
function identityEnv(): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: BOT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: BOT_IDENTITY.email,
    GIT_COMMITTER_NAME: BOT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: BOT_IDENTITY.email,
  };
}
