import type { GitHubClient } from './octokit.js';
import { statusOf } from './status.js';

/** What the lifecycle needs to know about an issue, read fresh on every run (level-triggered). */
export type IssueState =
  | {
      kind: 'open' | 'closed';
      number: number;
      title: string;
      htmlUrl: string;
      author: string;
      authorAssociation: string;
      labels: string[];
    }
  /** GitHub answers 410 for a deleted issue; it cannot take comments any more. */
  | { kind: 'deleted'; number: number }
  /** The issue moved to another repository (GitHub redirects); this repository's sandbox is orphaned. */
  | { kind: 'transferred'; number: number; htmlUrl: string }
  | { kind: 'missing'; number: number };

export async function readIssueState(
  octokit: GitHubClient,
  target: { owner: string; repo: string; issue: number },
): Promise<IssueState> {
  const { owner, repo, issue } = target;
  let data;
  try {
    ({ data } = await octokit.rest.issues.get({ owner, repo, issue_number: issue }));
  } catch (error) {
    if (statusOf(error) === 410) return { kind: 'deleted', number: issue };
    if (statusOf(error) === 404) return { kind: 'missing', number: issue };
    throw error;
  }
  // A transferred issue answers with a redirect that the client follows to the new repository.
  const home = `/repos/${owner}/${repo}`.toLowerCase();
  if (!data.repository_url.toLowerCase().endsWith(home)) {
    return { kind: 'transferred', number: issue, htmlUrl: data.html_url };
  }
  return {
    kind: data.state === 'closed' ? 'closed' : 'open',
    number: data.number,
    title: data.title,
    htmlUrl: data.html_url,
    author: data.user?.login ?? 'ghost',
    authorAssociation: data.author_association ?? 'NONE',
    labels: data.labels
      .map((label) => (typeof label === 'string' ? label : (label.name ?? '')))
      .filter((name) => name !== ''),
  };
}
