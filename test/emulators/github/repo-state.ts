/** In-memory state of repositories, users and tokens; handlers read and mutate it. */
import { randomBytes } from 'node:crypto';
import { ObjectStore, type Signature } from './git-objects.js';
import type { Reply } from './errors.js';

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface User {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface Issue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: string;
  authorAssociation: string;
  state: 'open' | 'closed';
  stateReason: string | null;
  labels: string[];
  createdAt: number;
  updatedAt: number;
  closedAt: number | null;
  deleted: boolean;
  transferredTo?: { repoId: number; number: number };
  /** A locked conversation: the token's comments are refused (403, README: behaviour → source). */
  locked?: boolean;
  /** A pull request, which the issues API serves too, with a `pull_request` key. */
  pullRequest?: boolean;
}

export interface Reaction {
  id: number;
  user: string;
  content: string;
  createdAt: number;
}

export interface Comment {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  authorAssociation: string;
  createdAt: number;
  updatedAt: number;
  reactions: Reaction[];
}

export interface DeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  creator: string;
  createdAt: number;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  description: string | null;
  creator: string;
  createdAt: number;
  transient: boolean;
  production: boolean;
  statuses: DeploymentStatus[];
}

export interface Environment {
  id: number;
  name: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * Classic branch protection's answers to a ref update (all 422; README: behaviour → source).
 * `<ref>` is replaced by the full ref name.
 */
export const PROTECTION_WORDINGS = {
  gh006: 'Protected branch update failed for <ref>.',
  required_status_check: 'Required status check "ci/build" is expected.',
  not_authorized:
    "You're not authorized to push to this branch. Visit https://help.github.com/articles/about-protected-branches/ for more information.",
} as const;
export type ProtectionWording = keyof typeof PROTECTION_WORDINGS;

/**
 * A ruleset rule on one branch. `pull_request` and `signed_commits` refuse pushes with GitHub's
 * `Repository rule violations found` wording; the others are only listed by `rules/branches` (the
 * emulator does not enforce them). `signed_commits` is listed as GitHub's `required_signatures`.
 */
export interface BranchRule {
  kind:
    | 'pull_request'
    | 'signed_commits'
    | 'required_status_checks'
    | 'non_fast_forward'
    | 'required_linear_history'
    | 'update'
    | 'commit_message_pattern';
  /** GitHub has been seen answering both (see README, behaviour → source). */
  status: 409 | 422;
}

export class Repo {
  /**
   * Branches whose ref the API may not move (classic branch protection) → the 422 message. GitHub's
   * REST wording is not settled (README): GH006's, a required status check's, or "not authorized".
   */
  readonly protectedBranches = new Map<string, string>();
  /** Branch name → ruleset rules that apply to it. */
  readonly branchRules = new Map<string, BranchRule[]>();
  /** Commits GitHub signed itself (made through the API by a bot with no custom author or committer). */
  readonly verifiedCommits = new Set<string>();
  /**
   * Replica lag of ref reads: after a ref moves, the next `reads` reads of it still answer the old
   * sha (GitHub serves reads from replicas that can trail a write).
   */
  refReadLag = 0;
  readonly staleRefs = new Map<string, { sha: string; reads: number }>();
  readonly objects = new ObjectStore();
  /** Full ref name (`refs/heads/main`) → commit sha. */
  readonly refs = new Map<string, string>();
  readonly issues = new Map<number, Issue>();
  readonly comments = new Map<number, Comment>();
  /** Keyed by lower-cased name: GitHub label names are case-insensitive. */
  readonly labels = new Map<string, Label>();
  readonly collaborators = new Map<string, Permission>();
  readonly deployments: Deployment[] = [];
  readonly environments = new Map<string, Environment>();
  /**
   * Settings → Actions → Workflow permissions: the `GITHUB_TOKEN` default for workflows without a
   * `permissions:` key. `read` is GitHub's default for new repositories (README: behaviour → source).
   */
  workflowPermissions: { default: 'read' | 'write'; canApprovePullRequestReviews: boolean } = {
    default: 'read',
    canApprovePullRequestReviews: false,
  };
  nextIssueNumber = 1;

  constructor(
    readonly id: number,
    readonly owner: string,
    readonly name: string,
    readonly isPrivate: boolean,
    public defaultBranch: string,
  ) {}

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** Branch name, full ref, tag or commit sha → commit sha, like GitHub's `ref` parameters. */
  resolve(ref: string | undefined): string | undefined {
    const name = ref ?? this.defaultBranch;
    const direct =
      this.refs.get(name) ?? this.refs.get(`refs/heads/${name}`) ?? this.refs.get(`refs/tags/${name}`);
    if (direct) return direct;
    if (/^[0-9a-f]{40}$/.test(name) && this.objects.typeOf(name) === 'commit') return name;
    return undefined;
  }

  /** Moves a ref, remembering the old value for lagging reads when lag is switched on. */
  moveRef(ref: string, sha: string): void {
    const old = this.refs.get(ref);
    if (old !== undefined && old !== sha && this.refReadLag > 0) {
      this.staleRefs.set(ref, { sha: old, reads: this.refReadLag });
    }
    this.refs.set(ref, sha);
  }

  /** A ref as a (possibly lagging) read sees it. */
  readRef(ref: string): string | undefined {
    const stale = this.staleRefs.get(ref);
    if (stale !== undefined && stale.reads > 0) {
      stale.reads--;
      return stale.sha;
    }
    this.staleRefs.delete(ref);
    return this.refs.get(ref);
  }

  permissionOf(login: string): Permission | undefined {
    if (login.toLowerCase() === this.owner.toLowerCase()) return 'admin';
    return this.collaborators.get(login.toLowerCase());
  }

  /** What GitHub computes for content created through the API. */
  associationOf(login: string): string {
    if (login.toLowerCase() === this.owner.toLowerCase()) return 'OWNER';
    return this.collaborators.has(login.toLowerCase()) ? 'COLLABORATOR' : 'NONE';
  }
}

export interface TokenInfo {
  login: string;
  permissions: 'write' | 'read';
  /**
   * Installation tokens (`GITHUB_TOKEN` is one) name the repositories they may use; their primary
   * limit and content-creation limits are counted per repository. Undefined: a user token.
   */
  repositories?: readonly string[];
  /**
   * Permissions a workflow's `permissions:` left out (e.g. `deployments`): writes that need them are
   * refused with 403 `Resource not accessible by integration`, as for a read-only token.
   */
  withheld?: readonly string[];
  /**
   * A personal access token (classic) or OAuth token: its scopes, sent in `x-oauth-scopes` on every
   * answer. Undefined: no such header (fine-grained and installation tokens).
   */
  scopes?: readonly string[];
}

export class State {
  readonly repos = new Map<string, Repo>();
  readonly tokens = new Map<string, TokenInfo>();
  readonly users = new Map<string, User>();
  /**
   * The Contents API's JSON answer for a file over 1 MB. Sources disagree (README): a 403 `too_large`
   * (recorded answers) or a 200 with empty `content` and `encoding: "none"` (the documented `object`
   * media type behaviour). Raw media type reads work either way, up to 100 MB.
   */
  largeFileAnswer: 'too_large' | 'empty' = 'empty';
  /**
   * What a write (POST/PATCH/DELETE) to a transferred issue's route answers: 307 to the new location
   * (GitHub's documented answer for renamed repositories) or 404 (reported for an issue's
   * sub-resources). Not settled for issues (README); GETs always answer 301.
   */
  transferredWrites: 307 | 404 = 307;
  /**
   * GraphQL `Blob.text` is cut at this many bytes and `isTruncated` set; GitHub does not document the
   * bound (README: known gaps), so tests move it.
   */
  graphqlBlobTextLimit = 512 * 1024;
  /**
   * The `type` of createCommitOnBranch's error when a ruleset refuses it: classic protection's
   * `BRANCH_PROTECTION_RULE_VIOLATION`, or another type (reported as different, not named; README).
   */
  /**
   * What `repository.issue(number:)` answers for an issue transferred away: not documented, so
   * either the issue in its new repository or `NOT_FOUND` (README: behaviour → source).
   */
  graphqlTransferredIssue: 'resolves' | 'not_found' = 'resolves';
  graphqlRuleViolationType: 'BRANCH_PROTECTION_RULE_VIOLATION' | 'UNPROCESSABLE' = 'UNPROCESSABLE';
  /** The message of createCommitOnBranch's `BRANCH_PROTECTION_RULE_VIOLATION` for classic protection. */
  graphqlProtectionMessage = 'Changes must be made through a pull request.';
  /**
   * What a user without admin rights gets from admin-only reads (workflow permissions, branch
   * protection): not settled (README), so either 403 `Must have admin rights to Repository.` or 404.
   */
  adminReadRefusal: 403 | 404 = 403;
  /**
   * Whether `repos/get` shows `permissions` to an installation token: not settled (README), so both.
   */
  installationRepoPermissions: 'shown' | 'omitted' = 'shown';
  private seq = 1000;

  constructor(readonly now: () => number) {}

  nextId(): number {
    return ++this.seq;
  }

  user(login: string): User {
    const key = login.toLowerCase();
    let u = this.users.get(key);
    if (!u) {
      u = { login, id: this.nextId(), type: login.endsWith('[bot]') ? 'Bot' : 'User' };
      this.users.set(key, u);
    }
    return u;
  }

  getRepo(fullName: string): Repo | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  mustRepo(fullName: string): Repo {
    const r = this.getRepo(fullName);
    if (!r) throw new Error(`github emulator: no repository ${fullName}`);
    return r;
  }

  repoById(id: number): Repo | undefined {
    return [...this.repos.values()].find((r) => r.id === id);
  }

  signature(login: string, seconds = Math.floor(this.now() / 1000)): Signature {
    return {
      name: login,
      email: `${this.user(login).id}+${login}@users.noreply.github.com`,
      time: seconds,
      tz: '+0000',
    };
  }
}

export interface Ctx {
  state: State;
  repo: Repo;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  login: string;
  baseUrl: string;
  method: string;
  /** The request's Accept header (custom media types such as `application/vnd.github.raw`). */
  accept: string;
  /** What the request's token may do; undefined without a token. */
  tokenPermissions: TokenInfo['permissions'] | undefined;
  /** The request's token as registered; undefined without one. */
  token: TokenInfo | undefined;
}

export type Handler = (ctx: Ctx) => Reply;

/** GitHub timestamps: ISO 8601 at second precision. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_${Buffer.from(`${prefix}:${id}`).toString('base64url')}`;
}

export function requestId(): string {
  const h = randomBytes(10).toString('hex').toUpperCase();
  return `${h.slice(0, 4)}:${h.slice(4, 8)}:${h.slice(8, 14)}:${h.slice(14, 20)}`;
}

export function bodyOf(ctx: Ctx): Record<string, unknown> {
  return ctx.body !== null && typeof ctx.body === 'object' && !Array.isArray(ctx.body)
    ? (ctx.body as Record<string, unknown>)
    : {};
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function userJson(state: State, login: string, baseUrl: string) {
  const u = state.user(login);
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId('U', u.id),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    url: `${baseUrl}/users/${encodeURIComponent(u.login)}`,
    html_url: `https://github.com/${u.login}`,
    type: u.type,
    site_admin: false,
  };
}
