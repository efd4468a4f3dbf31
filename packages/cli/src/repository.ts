import { issueNumberIn, REPOSITORY_PATTERN, UserError, type IssueReference } from '@trinity/core';
import type { GitQuery } from './environment.js';

/**
 * `owner/name` from a git remote URL: `https://github.com/owner/name(.git)`, with or without
 * credentials or a port, `ssh://git@host/owner/name.git` and the scp-like `git@github.com:owner/name.git`.
 * GitHub Enterprise hosts work the same way. Anything else (a local path, `file://`) is undefined.
 */
export function parseRemoteUrl(url: string): string | undefined {
  const text = url.trim();
  const match =
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?[^/]+\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(text) ??
    /^(?:[^@/:]+@)?[^@/:]+:([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(text);
  if (match === null || text.startsWith('file:')) return undefined;
  const repo = `${match[1] ?? ''}/${match[2] ?? ''}`;
  return REPOSITORY_PATTERN.test(repo) ? repo : undefined;
}

export function checkRepo(value: string, source: string): string {
  const repo = value.trim();
  if (!REPOSITORY_PATTERN.test(repo)) {
    throw new UserError(
      `${source} is "${value}", which is not a repository: use owner/name, e.g. octo-org/app.`,
    );
  }
  return repo;
}

/**
 * The repository a command is about: `--repo`, else `GITHUB_REPOSITORY`, else the `origin` remote of
 * the working copy. The remote's URL is never printed: it may carry credentials.
 */
export async function resolveRepo(options: {
  flag: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  git: GitQuery;
  root: string;
}): Promise<string> {
  if (options.flag !== undefined) return checkRepo(options.flag, '--repo');
  const fromEnv = options.env.GITHUB_REPOSITORY?.trim();
  if (fromEnv) return checkRepo(fromEnv, 'GITHUB_REPOSITORY');
  const remote = await options.git(['remote', 'get-url', 'origin'], options.root);
  const parsed = remote === undefined ? undefined : parseRemoteUrl(remote);
  if (parsed !== undefined) return parsed;
  throw new UserError(
    remote === undefined
      ? 'Cannot tell which repository the issue is in: no --repo, no GITHUB_REPOSITORY, and this working ' +
          'copy has no origin remote. Pass --repo owner/name.'
      : 'Cannot tell which repository the issue is in: the origin remote is not a GitHub URL ' +
          '(https://github.com/owner/name or git@github.com:owner/name). Pass --repo owner/name.',
  );
}

export function splitRepo(repo: string): { owner: string; repo: string } {
  const [owner = '', name = ''] = repo.split('/');
  return { owner, repo: name };
}

/**
 * The issue's number in `repo`, the repository this command works on. An issue URL of another
 * repository is refused (docs/cli.md): the working copy's farm file, link and journal belong to its
 * own repository, so quietly linking `acme/widgets#506` for `octo-org/app/issues/506` would be wrong.
 */
export function issueIn(reference: IssueReference, repo: string): number {
  return issueNumberIn(reference, repo, {
    what: 'issue given',
    where: "this working copy's repository (from --repo, GITHUB_REPOSITORY or the origin remote)",
    fix: `Run tri in a clone of ${reference.repo ?? 'that repository'}, or pass --repo ${reference.repo ?? 'owner/name'}.`,
  });
}
