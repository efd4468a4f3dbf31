import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/octokit.js';
import type { Logger } from '../logger.js';
import {
  COMMIT_ON_BRANCH,
  fileAlias,
  filesAtQuery,
  headQuery,
  headSelection,
  type BlobFields,
  type CommitOnBranchAnswer,
  type FilesAtQueryAnswer,
  type HeadQueryAnswer,
} from './graphql-documents.js';
import { branchRuleRefusal, graphqlBudgetRefusal, graphqlErrorsOf, isStaleHead } from './graphql-errors.js';
import { retryLostRaces, type RaceLoopOptions } from './race-loop.js';
import {
  type CommitBackend,
  type CommitPlanner,
  type CommitResult,
  LostRaceError,
  type ReadAlong,
} from './types.js';

export interface ApiCommitBackendOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** Undefined: the repository's default branch. */
  branch: string | undefined;
  logger: Logger;
  race: Pick<RaceLoopOptions, 'sleep' | 'random' | 'maxAttempts' | 'baseDelayMs'>;
  /** For "resets in N minutes" when the GraphQL budget is spent; tests inject it. */
  now?: () => Date;
  /**
   * Paths to read with every head (the farm file). Any path `read` once is read with later heads too,
   * and so are the paths a planner names: one request reads the head and all of them.
   */
  readAhead?: readonly string[];
}

interface Head {
  branch: string;
  oid: string;
}

/**
 * Commits through GitHub's GraphQL `createCommitOnBranch`: each attempt is one query (the branch
 * head and, at that commit, the files the planner reads) and one mutation that makes a single commit
 * of every planned file with the head read as `expectedHeadOid`. GitHub refuses it with `STALE_DATA`
 * when another writer moved the branch first (then: re-read, re-plan), and signs what it commits, so
 * branches that require signed commits accept it (docs/actions.md, "Commit-back").
 */
export function createApiCommitBackend(options: ApiCommitBackendOptions): CommitBackend {
  const { octokit, owner, repo, logger } = options;
  const nameWithOwner = `${owner}/${repo}`;
  /** Every path read so far: the next head query reads them all in the same request. */
  const wanted = new Set<string>(options.readAhead ?? []);
  // Commits and blobs are immutable, so what was read at an oid stays true.
  const fileAt = new Map<string, Promise<string | undefined>>();
  const blobText = new Map<string, Promise<string>>();
  const key = (oid: string, path: string) => `${oid}:${path}`;
  const now = options.now ?? (() => new Date());
  /**
   * A head another query read along (a run's one read): the next `read` and the first attempt use it
   * instead of asking again. If the branch moved since, the attempt's compare-and-swap says so and
   * the retry reads afresh; so it is used for one attempt only.
   */
  let primed: { head: Head; paths: ReadonlySet<string> } | undefined;

  /** Every GraphQL request of this backend: a spent points budget becomes a refusal that says when it resets. */
  async function graphql<T>(document: string, variables: Record<string, unknown>): Promise<T> {
    try {
      return await octokit.graphql<T>(document, variables);
    } catch (error) {
      throw graphqlBudgetRefusal(error, now()) ?? error;
    }
  }

  async function readHead(alsoRead: readonly string[] = []): Promise<Head> {
    const paths = [...new Set([...wanted, ...alsoRead])];
    const variables: Record<string, string> = { owner, name: repo };
    if (options.branch !== undefined) variables.ref = `refs/heads/${options.branch}`;
    paths.forEach((path, i) => (variables[`p${i}`] = path));
    const answer = await graphql<HeadQueryAnswer>(
      headQuery(paths.length, options.branch === undefined),
      variables,
    );
    return acceptHead(answer.repository?.head, paths);
  }

  /** The head part of an answer (ours or a run's one read): the head, and each path's blob remembered. */
  function acceptHead(
    head: NonNullable<HeadQueryAnswer['repository']>['head'] | undefined,
    paths: readonly string[],
  ): Head {
    const target = head?.target;
    if (head === null || head === undefined || target === null || target === undefined) {
      throw new UserError(
        `Cannot commit the mapping to ${nameWithOwner}: branch "${options.branch ?? '(default)'}" does not exist ` +
          '(or the token cannot read it). Set farm-branch to an existing branch, or leave it unset to use the default branch.',
      );
    }
    paths.forEach((path, i) => {
      const entry = target[fileAlias(i)];
      const object = typeof entry === 'object' && entry !== null ? entry.object : null;
      remember(target.oid, path, object);
    });
    return { branch: head.name, oid: target.oid };
  }

  /** Caches what a query said of a path at a commit (`null`: absent). */
  function remember(oid: string, path: string, object: BlobFields | null): void {
    if (fileAt.has(key(oid, path))) return;
    const read = textOf(path, object);
    fileAt.set(key(oid, path), read);
    // A failed read is not a fact about the commit: the next call asks again.
    read.catch(() => fileAt.delete(key(oid, path)));
  }

  /**
   * A blob's text as GraphQL gave it; when GraphQL cut it (`isTruncated`) or gave none (binary), the
   * Git blobs API, which serves blobs up to 100 MB.
   */
  function textOf(path: string, object: BlobFields | null): Promise<string | undefined> {
    if (object === null) return Promise.resolve(undefined);
    const oid = object.oid;
    if (oid === undefined) {
      return Promise.reject(
        new UserError(`${path} in ${nameWithOwner} is not a file; move whatever is there and re-run.`),
      );
    }
    if (typeof object.text === 'string' && object.isTruncated !== true) return Promise.resolve(object.text);
    let pending = blobText.get(oid);
    if (pending === undefined) {
      pending = octokit.rest.git
        .getBlob({ owner, repo, file_sha: oid })
        .then(({ data }) =>
          Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8'),
        );
      blobText.set(oid, pending);
      pending.catch(() => blobText.delete(oid));
    }
    return pending;
  }

  /** A path the head query did not read (the planner asked late): one query at that commit. */
  async function readLate(oid: string, path: string): Promise<string | undefined> {
    const cached = fileAt.get(key(oid, path));
    if (cached !== undefined) return cached;
    const answer = await graphql<FilesAtQueryAnswer>(filesAtQuery(1), {
      owner,
      name: repo,
      e0: `${oid}:${path}`,
    });
    const object = answer.repository?.[fileAlias(0)] ?? null;
    remember(oid, path, object);
    return fileAt.get(key(oid, path)) ?? Promise.resolve(undefined);
  }

  /** The primed head when it read every path wanted, once; otherwise undefined. */
  function takePrimed(paths: readonly string[] = []): Head | undefined {
    const ready = primed !== undefined && [...wanted, ...paths].every((path) => primed?.paths.has(path));
    return ready ? primed?.head : undefined;
  }

  async function attempt(plan: CommitPlanner): Promise<Omit<CommitResult, 'attempts'>> {
    const reuse = takePrimed(plan.paths);
    primed = undefined;
    const head = reuse ?? (await readHead(plan.paths));
    const planned = await plan((path) => readLate(head.oid, path));
    if (planned === undefined || planned.files.length === 0) {
      // Nothing to commit: the head just read is still the newest this run knows.
      primeWith(head, head, []);
      return { committed: false, sha: undefined, branch: head.branch, paths: [] };
    }
    const [headline = '', ...rest] = planned.message.split('\n');
    const body = rest.join('\n').trim();
    let answer: CommitOnBranchAnswer;
    try {
      answer = await graphql<CommitOnBranchAnswer>(COMMIT_ON_BRANCH, {
        input: {
          branch: { repositoryNameWithOwner: nameWithOwner, branchName: head.branch },
          expectedHeadOid: head.oid,
          message: body === '' ? { headline } : { headline, body },
          fileChanges: {
            additions: planned.files.map((file) => ({
              path: file.path,
              contents: Buffer.from(file.content, 'utf8').toString('base64'),
            })),
          },
        },
      });
    } catch (error) {
      const errors =
        error instanceof Error && error.name === 'GitHubRefusal' ? undefined : graphqlErrorsOf(error);
      if (errors === undefined) throw error;
      const refusal = branchRuleRefusal(errors);
      if (refusal !== undefined) {
        throw new UserError(
          `GitHub refused to commit to ${head.branch} in ${nameWithOwner}: the branch is protected or a ruleset applies ` +
            `(${refusal.type ?? 'GraphQL error'}: "${refusal.message.trim().replace(/\s+/g, ' ')}"). The comments were ` +
            'posted; the mapping was not committed. Set farm-branch to a branch the workflow may push to ' +
            '(e.g. trinity-farm), or allow github-actions to bypass the rule.',
        );
      }
      if (isStaleHead(errors)) throw new LostRaceError(`${head.branch} moved past ${head.oid.slice(0, 7)}`);
      throw error;
    }
    const sha = answer.createCommitOnBranch?.commit?.oid;
    if (sha !== undefined) primeWith(head, { branch: head.branch, oid: sha }, planned.files);
    return { committed: true, sha, branch: head.branch, paths: planned.files.map((f) => f.path) };
  }

  /**
   * After an attempt, what this run knows of the branch: the commit it just made is `base` plus the
   * files it wrote, so the next commit of the run (provision's record after its reservation) starts
   * from there without reading the head again. Only paths known at `base` are carried over.
   */
  function primeWith(base: Head, next: Head, written: readonly { path: string; content: string }[]): void {
    const known = new Set<string>();
    for (const path of wanted) {
      const file = written.find((f) => f.path === path);
      const before = fileAt.get(key(base.oid, path));
      if (file !== undefined) fileAt.set(key(next.oid, path), Promise.resolve(file.content));
      else if (before !== undefined) {
        if (next.oid !== base.oid) fileAt.set(key(next.oid, path), before);
      } else continue;
      known.add(path);
    }
    primed = { head: next, paths: known };
  }

  return {
    mode: 'api',
    async read(path) {
      const head = takePrimed([path]);
      wanted.add(path);
      return readLate((head ?? (await readHead())).oid, path);
    },
    readAlong(paths): ReadAlong {
      const all = [...new Set([...wanted, ...paths])];
      const part = headSelection(all.length, options.branch === undefined);
      const variables: Record<string, string> = {};
      if (options.branch !== undefined) variables.ref = `refs/heads/${options.branch}`;
      all.forEach((path, i) => (variables[`p${i}`] = path));
      return {
        ...part,
        values: variables,
        accept(repository) {
          const answer = repository as HeadQueryAnswer['repository'];
          all.forEach((path) => wanted.add(path));
          primed = { head: acceptHead(answer?.head, all), paths: new Set(all) };
        },
      };
    },
    async commit(plan) {
      const { value, attempts } = await retryLostRaces(() => attempt(plan), {
        ...options.race,
        onRetry: (n, delay) =>
          logger.info(
            `Commit attempt ${n} lost a race on ${options.branch ?? 'the default branch'}; re-reading and retrying in ${delay} ms.`,
          ),
      });
      return { ...value, attempts };
    },
  };
}
