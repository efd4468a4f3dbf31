/** Public API of the GitHub REST emulator used by unit, e2e tests and the offline demo. */
import { ContentCreationLimiter, Faults, RateLimiter, type FaultSpec } from './faults.js';
import {
  PROTECTION_WORDINGS,
  State,
  iso,
  type BranchRule,
  type Permission,
  type ProtectionWording,
} from './repo-state.js';
import { createRepo, seedComments, seedFromWebhookPayload, seedIssue, type SeedIssue } from './seed.js';
import { startServer, type GitHubRequestLogEntry } from './server.js';
import { createValidator } from './validation.js';

export type { GitHubRequestLogEntry } from './server.js';

export { PROTECTION_WORDINGS, type ProtectionWording } from './repo-state.js';
export type { FaultSpec as GitHubFault } from './faults.js';

export interface IssueSnapshot {
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  author_association: string;
  comments: number;
  deleted: boolean;
  transferred_to: string | undefined;
}

export interface CommentSnapshot {
  id: number;
  body: string;
  user: string;
  created_at: string;
  updated_at: string;
}

export interface RepoHandle {
  readonly fullName: string;
  readonly defaultBranch: string;
  readFile(path: string, ref?: string): string | undefined;
  headSha(branch?: string): string;
  log(branch?: string): Array<{ sha: string; message: string; parents: string[] }>;
  issue(n: number): IssueSnapshot | undefined;
  comments(n: number): CommentSnapshot[];
  labels(): Array<{ name: string; color: string; description: string | null }>;
  deployments(): Array<{
    id: number;
    ref: string;
    environment: string;
    payload: unknown;
    statuses: string[];
    /** Each status's `environment_url` ('' when none), in the order of `statuses`. */
    environmentUrls: string[];
  }>;
  environments(): string[];
}

export interface GitHubEmulator {
  readonly url: string;
  /** Milliseconds openapi-backend took to load the description (quick mode). */
  readonly initMs: number;
  close(): Promise<void>;
  /**
   * `repositories` makes it an installation token (as `GITHUB_TOKEN` is): scoped to those
   * repositories, its limits counted per repository (the first one): 1,000 requests an hour, and
   * content creation 80 a minute and 500 an hour. Login defaults to github-actions[bot].
   */
  addToken(
    token: string,
    opts?: {
      login?: string;
      permissions?: 'write' | 'read';
      repositories?: readonly string[];
      withheld?: readonly string[];
      /** A classic personal access token's scopes, answered in `x-oauth-scopes`. */
      scopes?: readonly string[];
    },
  ): void;
  createRepo(
    fullName: string,
    opts?: { defaultBranch?: string; files?: Record<string, string>; private?: boolean },
  ): RepoHandle;
  seedIssue(fullName: string, issue: SeedIssue): { number: number };
  seedFromWebhookPayload(payload: unknown): { repo: string; issueNumber: number };
  deleteIssue(fullName: string, number: number): void;
  /** Closes or reopens an issue as a person would in the UI (no request, so no fault or limit applies). */
  setIssueState(fullName: string, number: number, state: 'open' | 'closed'): void;
  transferIssue(fullName: string, number: number, toFullName: string): void;
  /** Locks the issue's conversation: comments are refused with 403 `Unable to create comment because issue is locked.` */
  lockIssue(fullName: string, number: number): void;
  addCollaborator(fullName: string, login: string, permission: Permission): void;
  /** The API may no longer move this branch's ref (422, as GitHub answers for protected branches). */
  protectBranch(fullName: string, branch: string, opts?: { wording?: ProtectionWording }): void;
  /** What a write to a transferred issue answers (GETs always 301). */
  setTransferredWrites(status: 307 | 404): void;
  /**
   * A ruleset rule on a branch: pull requests required, or signed (verified) commits required (both
   * enforced), or a rule `rules/branches` lists but the emulator does not enforce.
   */
  addBranchRule(
    fullName: string,
    branch: string,
    kind: BranchRule['kind'],
    opts?: { status?: 409 | 422 },
  ): void;
  /** Settings → Actions → Workflow permissions (default `read`, GitHub's for new repositories). */
  setWorkflowPermissions(
    fullName: string,
    permissions: 'read' | 'write',
    canApprovePullRequestReviews?: boolean,
  ): void;
  /** What a user without admin rights gets from workflow permissions and branch protection reads (not settled). */
  setAdminReadRefusal(status: 403 | 404): void;
  /** Whether `repos/get` shows `permissions` to an installation token (not settled). */
  setInstallationRepoPermissions(answer: 'shown' | 'omitted'): void;
  /** After a ref moves, its next `reads` reads still answer the old sha (replica lag). 0: off. */
  lagRefReads(fullName: string, reads: number): void;
  /** Whether the commit is marked verified (GitHub signed it). */
  isVerified(fullName: string, sha: string): boolean;
  /** The Contents API's JSON answer for files over 1 MB (sources disagree; see README). */
  setLargeFileAnswer(answer: 'too_large' | 'empty'): void;
  /**
   * The `type` createCommitOnBranch answers when a ruleset refuses it: classic protection's
   * `BRANCH_PROTECTION_RULE_VIOLATION`, or another (`UNPROCESSABLE`, the default; not settled, README).
   */
  setGraphQLRuleViolationType(type: 'BRANCH_PROTECTION_RULE_VIOLATION' | 'UNPROCESSABLE'): void;
  /** What `repository.issue` answers for an issue transferred away (not documented; README). */
  setGraphQLTransferredIssue(answer: 'resolves' | 'not_found'): void;
  /** Bytes of a blob GraphQL's `Blob.text` serves before it sets `isTruncated` (not documented). */
  setGraphQLBlobTextLimit(bytes: number): void;
  /** GraphQL points an hour (user tokens and installation tokens alike; default 5,000 and 1,000). */
  setGraphQLRateLimit(points: number): void;
  /** Points spent in the current hour by a key (`repo:<owner/name>` for installation tokens). */
  graphqlPointsUsed(key: string): number;
  /** Status of primary and secondary rate-limit answers: GitHub sends 403 or 429. */
  setRateLimitStatus(status: 403 | 429): void;
  seedComments(fullName: string, number: number, count: number, bodyFn?: (i: number) => string): void;
  repo(fullName: string): RepoHandle;
  readonly requests: ReadonlyArray<GitHubRequestLogEntry>;
  clearRequests(): void;
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
  setRateLimit(limit: number): void;
}

export async function startGitHubEmulator(
  options: { now?: () => number; port?: number } = {},
): Promise<GitHubEmulator> {
  const state = new State(options.now ?? Date.now);
  const validator = await createValidator();
  const faults = new Faults();
  const rateLimiter = new RateLimiter(state.now);
  const contentLimiter = new ContentCreationLimiter(state.now);
  const graphqlLimiter = new RateLimiter(state.now, 'graphql');
  const log: GitHubRequestLogEntry[] = [];
  const server = await startServer(
    { state, validator, faults, rateLimiter, graphqlLimiter, contentLimiter, log },
    options.port ?? 0,
  );

  const handle = (fullName: string): RepoHandle => {
    const repo = state.mustRepo(fullName);
    const head = (branch?: string) => {
      const sha = repo.resolve(branch);
      if (!sha) throw new Error(`github emulator: no branch ${branch ?? repo.defaultBranch} in ${fullName}`);
      return sha;
    };
    return {
      fullName: repo.fullName,
      get defaultBranch() {
        return repo.defaultBranch;
      },
      readFile(path, ref) {
        const commit = repo.resolve(ref);
        const tree = commit ? repo.objects.commit(commit)?.tree : undefined;
        const entry = tree ? repo.objects.lookup(tree, path) : undefined;
        return entry ? repo.objects.blob(entry.sha)?.toString('utf8') : undefined;
      },
      headSha: head,
      log(branch) {
        const out: Array<{ sha: string; message: string; parents: string[] }> = [];
        for (let sha: string | undefined = head(branch); sha;) {
          const c = repo.objects.commit(sha);
          if (!c) break;
          out.push({ sha, message: c.message, parents: [...c.parents] });
          sha = c.parents[0];
        }
        return out;
      },
      issue(n) {
        const i = repo.issues.get(n);
        if (!i) return undefined;
        const to = i.transferredTo ? state.repoById(i.transferredTo.repoId) : undefined;
        return {
          number: i.number,
          title: i.title,
          body: i.body,
          user: i.user,
          state: i.state,
          state_reason: i.stateReason,
          labels: [...i.labels],
          author_association: i.authorAssociation,
          comments: [...repo.comments.values()].filter((c) => c.issueNumber === n).length,
          deleted: i.deleted,
          transferred_to: to && i.transferredTo ? `${to.fullName}#${i.transferredTo.number}` : undefined,
        };
      },
      comments(n) {
        return [...repo.comments.values()]
          .filter((c) => c.issueNumber === n)
          .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)
          .map((c) => ({
            id: c.id,
            body: c.body,
            user: c.user,
            created_at: iso(c.createdAt),
            updated_at: iso(c.updatedAt),
          }));
      },
      labels: () =>
        [...repo.labels.values()].map((l) => ({ name: l.name, color: l.color, description: l.description })),
      deployments: () =>
        repo.deployments.map((d) => ({
          id: d.id,
          ref: d.ref,
          environment: d.environment,
          payload: d.payload,
          statuses: d.statuses.map((s) => s.state),
          environmentUrls: d.statuses.map((s) => s.environmentUrl),
        })),
      environments: () => [...repo.environments.keys()],
    };
  };

  return {
    url: server.url,
    initMs: validator.initMs,
    close: () => server.close(),
    addToken(token, opts = {}) {
      const login = opts.login ?? 'github-actions[bot]';
      state.user(login);
      state.tokens.set(token, {
        login,
        permissions: opts.permissions ?? 'write',
        ...(opts.repositories === undefined ? {} : { repositories: [...opts.repositories] }),
        ...(opts.withheld === undefined ? {} : { withheld: [...opts.withheld] }),
        ...(opts.scopes === undefined ? {} : { scopes: [...opts.scopes] }),
      });
    },
    createRepo(fullName, opts) {
      createRepo(state, fullName, opts);
      return handle(fullName);
    },
    seedIssue: (fullName, issue) => ({ number: seedIssue(state, state.mustRepo(fullName), issue).number }),
    seedFromWebhookPayload: (payload) => seedFromWebhookPayload(state, payload),
    protectBranch(fullName, branch, opts = {}) {
      state.mustRepo(fullName).protectedBranches.set(branch, PROTECTION_WORDINGS[opts.wording ?? 'gh006']);
    },
    setTransferredWrites(status) {
      state.transferredWrites = status;
    },
    addBranchRule(fullName, branch, kind, opts = {}) {
      const rules = state.mustRepo(fullName).branchRules;
      rules.set(branch, [...(rules.get(branch) ?? []), { kind, status: opts.status ?? 422 }]);
    },
    setWorkflowPermissions(fullName, permissions, canApprovePullRequestReviews = false) {
      state.mustRepo(fullName).workflowPermissions = { default: permissions, canApprovePullRequestReviews };
    },
    setAdminReadRefusal(status) {
      state.adminReadRefusal = status;
    },
    setInstallationRepoPermissions(answer) {
      state.installationRepoPermissions = answer;
    },
    lagRefReads(fullName, reads) {
      state.mustRepo(fullName).refReadLag = reads;
    },
    isVerified: (fullName, sha) => state.mustRepo(fullName).verifiedCommits.has(sha),
    setLargeFileAnswer(answer) {
      state.largeFileAnswer = answer;
    },
    setGraphQLRuleViolationType(type) {
      state.graphqlRuleViolationType = type;
    },
    setGraphQLTransferredIssue(answer) {
      state.graphqlTransferredIssue = answer;
    },
    setGraphQLBlobTextLimit(bytes) {
      state.graphqlBlobTextLimit = bytes;
    },
    setGraphQLRateLimit(points) {
      graphqlLimiter.limit = points;
      graphqlLimiter.installationLimit = points;
    },
    graphqlPointsUsed: (key) => graphqlLimiter.status(key).used,
    setRateLimitStatus(status) {
      rateLimiter.answerStatus = status;
      contentLimiter.answerStatus = status;
    },
    deleteIssue(fullName, number) {
      const repo = state.mustRepo(fullName);
      const issue = repo.issues.get(number);
      if (!issue) throw new Error(`github emulator: no issue #${number} in ${fullName}`);
      issue.deleted = true;
      for (const c of [...repo.comments.values()]) if (c.issueNumber === number) repo.comments.delete(c.id);
    },
    lockIssue(fullName, number) {
      const issue = state.mustRepo(fullName).issues.get(number);
      if (!issue) throw new Error(`github emulator: no issue #${number} in ${fullName}`);
      issue.locked = true;
    },
    setIssueState(fullName, number, to) {
      const issue = state.mustRepo(fullName).issues.get(number);
      if (!issue) throw new Error(`github emulator: no issue #${number} in ${fullName}`);
      if (issue.state === to) return;
      issue.state = to;
      issue.closedAt = to === 'closed' ? state.now() : null;
      issue.stateReason = to === 'closed' ? 'completed' : 'reopened';
      issue.updatedAt = state.now();
    },
    transferIssue(fullName, number, toFullName) {
      const from = state.mustRepo(fullName);
      const to = state.mustRepo(toFullName);
      const issue = from.issues.get(number);
      if (!issue) throw new Error(`github emulator: no issue #${number} in ${fullName}`);
      const moved = seedIssue(state, to, { ...issue, number: undefined, stateReason: issue.stateReason });
      moved.id = issue.id;
      for (const c of [...from.comments.values()]) {
        if (c.issueNumber !== number) continue;
        from.comments.delete(c.id);
        to.comments.set(c.id, { ...c, issueNumber: moved.number });
      }
      issue.transferredTo = { repoId: to.id, number: moved.number };
    },
    addCollaborator(fullName, login, permission) {
      state.user(login);
      state.mustRepo(fullName).collaborators.set(login.toLowerCase(), permission);
    },
    seedComments: (fullName, number, count, bodyFn) =>
      seedComments(state, state.mustRepo(fullName), number, count, bodyFn),
    repo: handle,
    get requests() {
      return log.map((e) => ({ ...e }));
    },
    clearRequests: () => {
      log.length = 0;
    },
    injectFault: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    setRateLimit: (limit) => {
      rateLimiter.limit = limit;
    },
  };
}
