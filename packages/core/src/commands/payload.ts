import { UserError } from '../errors.js';

/** What a command needs of an `issue_comment` webhook payload (docs/commands.md). */
export interface CommandComment {
  /** `created`, `edited` or `deleted`: only `created` is obeyed. */
  action: string;
  /** The command's id: a command is executed at most once per comment id. */
  commentId: number;
  body: string;
  author: string;
  /** `User` or `Bot`; a bot's comment is never a command (no loops between automations). */
  authorType: string;
  issueNumber: number;
  /** GitHub sends `issue_comment` for pull requests too, with `issue.pull_request` set. */
  onPullRequest: boolean;
}

/**
 * Reads the fields a command uses from the runner's event payload; an event other than
 * `issue_comment`, or a payload without them, is a workflow set up wrong and says how to fix it.
 */
export function readCommandComment(eventName: string | undefined, payload: unknown): CommandComment {
  const fix =
    'Run sandbox-command from a workflow triggered by issue_comment (types: [created]); see docs/commands.md.';
  if (eventName !== 'issue_comment') {
    throw new UserError(
      `sandbox-command reads an issue comment, but this run's event is "${eventName ?? 'unknown'}". ${fix}`,
    );
  }
  const root = record(payload);
  const comment = record(root?.comment);
  const issue = record(root?.issue);
  const user = record(comment?.user);
  const commentId = comment?.id;
  const issueNumber = issue?.number;
  if (
    typeof root?.action !== 'string' ||
    typeof commentId !== 'number' ||
    typeof issueNumber !== 'number' ||
    typeof user?.login !== 'string'
  ) {
    throw new UserError(
      `The issue_comment payload lacks action, comment.id, comment.user.login or issue.number. ${fix}`,
    );
  }
  return {
    action: root.action,
    commentId,
    body: typeof comment?.body === 'string' ? comment.body : '',
    author: user.login,
    authorType: typeof user.type === 'string' ? user.type : 'User',
    issueNumber,
    onPullRequest: issue?.pull_request !== undefined && issue.pull_request !== null,
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}
