/**
 * The part of GitHub's GraphQL graph the product reads and writes, over the same repositories,
 * objects and refs as the REST routes. graphql-js's default resolver reads these objects: a property
 * that is a function is called with the field's arguments. Fields not modelled here answer null.
 */
import { commitChanges } from '../git-data.js';
import type { TreeEntry } from '../git-objects.js';
import { nodeId, type Repo, type State, type TokenInfo } from '../repo-state.js';
import { GitHubGraphQLError } from './errors.js';
import { repositoryLabels, resolveIssue, type ConnectionArgs } from './issues.js';

export interface GraphQLContext {
  state: State;
  login: string;
  token: TokenInfo;
}

type Node = Record<string, unknown>;

/** The committer GitHub records on the commits it makes and signs itself (web-flow). */
const WEB_FLOW = { name: 'GitHub', email: 'noreply@github.com' };

/** Exactly GitHub's STALE_DATA wording, two spaces before "Pull" (README: behaviour → source). */
export function staleDataMessage(expected: string): string {
  return `Expected branch to point to "${expected}" but it did not.  Pull and try again.`;
}

function visible(ctx: GraphQLContext, repo: Repo | undefined): repo is Repo {
  if (repo === undefined) return false;
  const scope = ctx.token.repositories;
  const inScope = scope === undefined || scope.some((n) => n.toLowerCase() === repo.fullName.toLowerCase());
  return inScope || !repo.isPrivate;
}

function qualify(name: string): string {
  return name.startsWith('refs/') ? name : `refs/heads/${name}`;
}

function blobNode(ctx: GraphQLContext, repo: Repo, oid: string): Node {
  const bytes = repo.objects.blob(oid) ?? Buffer.alloc(0);
  const binary = bytes.includes(0);
  const limit = ctx.state.graphqlBlobTextLimit;
  const truncated = !binary && bytes.length > limit;
  return {
    __typename: 'Blob',
    id: nodeId('B', oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    byteSize: bytes.length,
    isBinary: binary,
    isTruncated: truncated,
    text: binary ? null : (truncated ? bytes.subarray(0, limit) : bytes).toString('utf8'),
  };
}

function treeEntryNode(ctx: GraphQLContext, repo: Repo, path: string, entry: TreeEntry): Node {
  return {
    name: entry.name,
    path,
    oid: entry.sha,
    mode: parseInt(entry.mode, 8),
    type: entry.mode === '040000' ? 'tree' : entry.mode === '160000' ? 'commit' : 'blob',
    object: () => objectNode(ctx, repo, entry.sha),
  };
}

function commitNode(ctx: GraphQLContext, repo: Repo, oid: string): Node {
  const commit = repo.objects.commit(oid);
  if (commit === undefined) return { __typename: 'Commit', oid };
  const [headline = '', ...rest] = commit.message.split('\n');
  const verified = repo.verifiedCommits.has(oid);
  return {
    __typename: 'Commit',
    id: nodeId('C', oid),
    oid,
    abbreviatedOid: oid.slice(0, 7),
    message: commit.message,
    messageHeadline: headline,
    messageBody: rest.join('\n').replace(/^\n+/, ''),
    committedDate: new Date(commit.committer.time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    url: `https://github.com/${repo.fullName}/commit/${oid}`,
    committedViaWeb: verified,
    tree: { __typename: 'Tree', oid: commit.tree },
    // Commits GitHub signs carry its web-flow GPG signature, valid (README: behaviour → source).
    signature: verified
      ? {
          __typename: 'GpgSignature',
          isValid: true,
          state: 'VALID',
          wasSignedByGitHub: true,
          keyId: '4AEE18F83AFDEB23',
        }
      : null,
    file: ({ path }: { path: string }) => {
      const entry = repo.objects.lookup(commit.tree, path);
      return entry === undefined || path === '' ? null : treeEntryNode(ctx, repo, path, entry);
    },
  };
}

function objectNode(ctx: GraphQLContext, repo: Repo, oid: string): Node | null {
  const type = repo.objects.typeOf(oid);
  if (type === 'blob') return blobNode(ctx, repo, oid);
  if (type === 'commit') return commitNode(ctx, repo, oid);
  if (type === 'tree') return { __typename: 'Tree', oid, id: nodeId('T', oid) };
  return null;
}

function refNode(ctx: GraphQLContext, repo: Repo, full: string, sha: string): Node {
  const prefix = full.startsWith('refs/heads/') ? 'refs/heads/' : 'refs/tags/';
  return {
    __typename: 'Ref',
    id: nodeId('REF', `${repo.id}:${full}`),
    name: full.slice(prefix.length),
    prefix,
    target: () => objectNode(ctx, repo, sha),
  };
}

function repositoryNode(ctx: GraphQLContext, repo: Repo): Node {
  const ref = (full: string) => {
    // Reads go through the replica model, as REST ref reads do (`lagRefReads`).
    const sha = repo.readRef(full);
    return sha === undefined ? null : refNode(ctx, repo, full, sha);
  };
  return {
    __typename: 'Repository',
    id: nodeId('R', repo.id),
    name: repo.name,
    nameWithOwner: repo.fullName,
    isPrivate: repo.isPrivate,
    defaultBranchRef: () => ref(`refs/heads/${repo.defaultBranch}`),
    issue: ({ number }: { number: number }) => resolveIssue(ctx.state, repo, number),
    labels: (args: ConnectionArgs & { query?: string | null }) => repositoryLabels(repo, args),
    ref: ({ qualifiedName }: { qualifiedName: string }) => ref(qualify(qualifiedName)),
    /** `<rev>` or `<rev>:<path>`, as `git rev-parse` reads it. */
    object: ({ expression, oid }: { expression?: string; oid?: string }) => {
      if (oid !== undefined) return objectNode(ctx, repo, oid);
      const colon = (expression ?? '').indexOf(':');
      const rev = colon < 0 ? (expression ?? '') : (expression ?? '').slice(0, colon);
      const commitSha = repo.resolve(rev);
      if (commitSha === undefined) return null;
      if (colon < 0) return objectNode(ctx, repo, commitSha);
      const tree = repo.objects.commit(commitSha)?.tree;
      const entry =
        tree === undefined ? undefined : repo.objects.lookup(tree, (expression ?? '').slice(colon + 1));
      return entry === undefined ? null : objectNode(ctx, repo, entry.sha);
    },
  };
}

interface CommitInput {
  branch: { repositoryNameWithOwner?: string; branchName?: string; id?: string };
  expectedHeadOid: string;
  message: { headline: string; body?: string | null };
  fileChanges?: {
    additions?: Array<{ path: string; contents: string }> | null;
    deletions?: Array<{ path: string }> | null;
  } | null;
  clientMutationId?: string | null;
}

/**
 * createCommitOnBranch: a compare-and-swap on the branch (`expectedHeadOid`), branch protection and
 * ruleset rules, then one commit that GitHub signs (README: behaviour → source).
 */
function createCommitOnBranch(ctx: GraphQLContext, input: CommitInput): Node {
  const { state } = ctx;
  const repo = input.branch.repositoryNameWithOwner
    ? state.getRepo(input.branch.repositoryNameWithOwner)
    : undefined;
  if (!visible(ctx, repo)) {
    throw new GitHubGraphQLError(
      'NOT_FOUND',
      `Could not resolve to a Repository with the name '${input.branch.repositoryNameWithOwner ?? ''}'.`,
    );
  }
  const inScope =
    ctx.token.repositories === undefined ||
    ctx.token.repositories.some((n) => n.toLowerCase() === repo.fullName.toLowerCase());
  if (!inScope || ctx.token.permissions === 'read') {
    throw new GitHubGraphQLError('FORBIDDEN', 'Resource not accessible by integration');
  }
  const branch = input.branch.branchName ?? '';
  const full = `refs/heads/${branch}`;
  const current = repo.refs.get(full);
  if (current === undefined) {
    throw new GitHubGraphQLError('NOT_FOUND', `A ref named "${full}" does not exist in ${repo.fullName}.`);
  }
  if (current !== input.expectedHeadOid) {
    throw new GitHubGraphQLError('STALE_DATA', staleDataMessage(input.expectedHeadOid));
  }
  if (repo.protectedBranches.has(branch)) {
    throw new GitHubGraphQLError('BRANCH_PROTECTION_RULE_VIOLATION', state.graphqlProtectionMessage);
  }
  // Its commits are signed, so a signed-commits rule never refuses them; a pull-request rule does.
  if ((repo.branchRules.get(branch) ?? []).some((rule) => rule.kind === 'pull_request')) {
    throw new GitHubGraphQLError(
      state.graphqlRuleViolationType,
      'Repository rule violations found\n\nChanges must be made through a pull request.\n\n',
    );
  }
  const changes = new Map<string, Omit<TreeEntry, 'name'> | null>();
  for (const deletion of input.fileChanges?.deletions ?? []) changes.set(deletion.path, null);
  for (const addition of input.fileChanges?.additions ?? []) {
    const sha = repo.objects.writeBlob(Buffer.from(addition.contents, 'base64'));
    changes.set(addition.path, { mode: '100644', sha });
  }
  const body = input.message.body ?? '';
  const message = body === '' ? input.message.headline : `${input.message.headline}\n\n${body}`;
  const author = state.signature(ctx.login);
  const sha = commitChanges(repo, branch, changes, message, author, { ...author, ...WEB_FLOW });
  repo.verifiedCommits.add(sha);
  return {
    clientMutationId: input.clientMutationId ?? null,
    commit: commitNode(ctx, repo, sha),
    ref: refNode(ctx, repo, full, sha),
  };
}

export function rootValue(ctx: GraphQLContext): Node {
  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = ctx.state.getRepo(`${owner}/${name}`);
      if (!visible(ctx, repo)) {
        throw new GitHubGraphQLError(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        );
      }
      return repositoryNode(ctx, repo);
    },
    createCommitOnBranch: ({ input }: { input: CommitInput }) => createCommitOnBranch(ctx, input),
  };
}
