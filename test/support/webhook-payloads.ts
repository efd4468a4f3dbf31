import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface WebhookExamples {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}

const require = createRequire(import.meta.url);
let cache: WebhookExamples[] | undefined;

function examples(): WebhookExamples[] {
  cache ??= JSON.parse(
    readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'),
  ) as WebhookExamples[];
  return cache;
}

/**
 * A real `issues` webhook payload (from @octokit/webhooks-examples) for the given action,
 * deep-copied so a test may adjust it.
 */
export type IssuesPayload = Record<string, unknown> & {
  action: string;
  issue: Record<string, unknown> & { number: number };
};

export function issuesPayload(action: string): IssuesPayload {
  const found = examples()
    .find((entry) => entry.name === 'issues')
    ?.examples.find((example) => example.action === action);
  if (found === undefined) throw new Error(`@octokit/webhooks-examples has no issues.${action} example`);
  return structuredClone(found) as IssuesPayload;
}

export type IssueCommentPayload = Record<string, unknown> & {
  action: string;
  issue: Record<string, unknown> & { number: number };
  comment: Record<string, unknown> & {
    id: number;
    body: string;
    user: Record<string, unknown> & { login: string };
  };
};

/**
 * A real `issue_comment` webhook payload (from @octokit/webhooks-examples) for the given action,
 * with the comment's body replaced; `pullRequest` adds `issue.pull_request` as GitHub sends it for
 * a comment on a pull request (docs/commands.md, "What counts as a command").
 */
export function issueCommentPayload(
  action: string,
  body: string,
  options: { pullRequest?: boolean; commentId?: number; author?: string } = {},
): IssueCommentPayload {
  const found = examples()
    .find((entry) => entry.name === 'issue_comment')
    ?.examples.find((example) => example.action === action);
  if (found === undefined)
    throw new Error(`@octokit/webhooks-examples has no issue_comment.${action} example`);
  const payload = structuredClone(found) as IssueCommentPayload;
  payload.comment.body = body;
  if (options.commentId !== undefined) payload.comment.id = options.commentId;
  if (options.author !== undefined) payload.comment.user.login = options.author;
  if (options.pullRequest === true) {
    const repo = (payload.repository as { full_name: string }).full_name;
    payload.issue.pull_request = {
      url: `https://api.github.com/repos/${repo}/pulls/${payload.issue.number}`,
      html_url: `https://github.com/${repo}/pull/${payload.issue.number}`,
      diff_url: `https://github.com/${repo}/pull/${payload.issue.number}.diff`,
      patch_url: `https://github.com/${repo}/pull/${payload.issue.number}.patch`,
    };
  }
  return payload;
}
