import { statusOf } from './status.js';

/**
 * GitHub's answers the product branches on, recognised by status plus GitHub's exact wording or
 * header (never a loose pattern). Sources: test/emulators/github/README.md, "behaviour → source".
 */
export type GitHubAnswer =
  | { kind: 'secondary_rate_limit'; retryAfterSeconds: number | undefined }
  | { kind: 'primary_rate_limit'; resetsAt: Date | undefined; resource: string | undefined }
  | { kind: 'not_accessible_by_integration' }
  | { kind: 'bad_credentials' }
  | { kind: 'issue_locked' }
  | { kind: 'not_found' }
  | { kind: 'gone' }
  | { kind: 'comment_too_long' }
  | { kind: 'branch_protected'; wording: string }
  | { kind: 'other' };

export const WORDINGS = {
  secondaryRateLimit: 'You have exceeded a secondary rate limit',
  notAccessibleByIntegration: 'Resource not accessible by integration',
  protectedBranch: 'Protected branch update failed',
  requiredStatusCheck: 'Required status check "',
  notAuthorizedToPush: "You're not authorized to push to this branch.",
  ruleViolations: 'Repository rule violations found',
  pullRequestRequired: 'Changes must be made through a pull request',
  commentTooLong: 'Body is too long',
  badCredentials: 'Bad credentials',
  requiresAuthentication: 'Requires authentication',
  issueLocked: 'Unable to create comment because issue is locked.',
} as const;

interface ErrorShape {
  status?: number;
  message?: string;
  response?: { data?: unknown; headers?: Record<string, string | number | null | undefined> };
}

/** GitHub's `message` of an error answer (Octokit appends the `errors` to its own message). */
export function answerMessage(error: unknown): string {
  const data = (error as ErrorShape | null)?.response?.data;
  if (typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string') {
    return data.message;
  }
  return '';
}

function header(error: unknown, name: string): string | undefined {
  const value = (error as ErrorShape | null)?.response?.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

function validationErrors(error: unknown): Array<Record<string, unknown>> {
  const data = (error as ErrorShape | null)?.response?.data;
  if (typeof data !== 'object' || data === null || !('errors' in data) || !Array.isArray(data.errors))
    return [];
  return data.errors.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null);
}

export function recogniseAnswer(error: unknown): GitHubAnswer {
  const status = statusOf(error);
  const message = answerMessage(error);
  if (status === 403 || status === 429) {
    if (message.startsWith(WORDINGS.secondaryRateLimit)) {
      const after = Number(header(error, 'retry-after'));
      return {
        kind: 'secondary_rate_limit',
        retryAfterSeconds: Number.isFinite(after) && after > 0 ? after : undefined,
      };
    }
    if (header(error, 'x-ratelimit-remaining') === '0') {
      const reset = Number(header(error, 'x-ratelimit-reset'));
      return {
        kind: 'primary_rate_limit',
        resetsAt: Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined,
        resource: header(error, 'x-ratelimit-resource'),
      };
    }
  }
  if (status === 403 && message === WORDINGS.notAccessibleByIntegration) {
    return { kind: 'not_accessible_by_integration' };
  }
  // Any 401: the token is unknown, revoked, expired or missing (`Bad credentials`,
  // `Requires authentication`); nothing else answers 401.
  if (status === 401) return { kind: 'bad_credentials' };
  if (status === 403 && message === WORDINGS.issueLocked) return { kind: 'issue_locked' };
  if (status === 404) return { kind: 'not_found' };
  if (status === 410) return { kind: 'gone' };
  if (
    status === 422 &&
    validationErrors(error).some(
      (e) =>
        e.resource === 'IssueComment' &&
        typeof e.message === 'string' &&
        e.message.toLowerCase().startsWith(WORDINGS.commentTooLong.toLowerCase()),
    )
  ) {
    return { kind: 'comment_too_long' };
  }
  if (
    (status === 422 || status === 409) &&
    (message.startsWith(WORDINGS.protectedBranch) ||
      message.startsWith(WORDINGS.ruleViolations) ||
      message.includes(WORDINGS.pullRequestRequired) ||
      (message.startsWith(WORDINGS.requiredStatusCheck) && message.includes('" is expected')) ||
      message.startsWith(WORDINGS.notAuthorizedToPush))
  ) {
    return { kind: 'branch_protected', wording: message.trim().replace(/\s+/g, ' ') };
  }
  return { kind: 'other' };
}

/**
 * The permissions GitHub says a refused request needed (`x-accepted-github-permissions`, e.g.
 * `issues=write; pull_requests=write`), in the workflow's `permissions:` spelling.
 */
export function acceptedPermissions(error: unknown): string[] {
  const value = header(error, 'x-accepted-github-permissions') ?? '';
  return value
    .split(';')
    .map((part) => part.trim().split('='))
    .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== '' && pair[1] !== '')
    .map(([scope, level]) => `${scope.replace(/_/g, '-')}: ${level}`);
}

/**
 * The permission a GITHUB_TOKEN needs for a request, from its route: what a 403 `Resource not
 * accessible by integration` asks the workflow to add. Undefined for routes this product does not call.
 */
export function permissionFor(method: string, url: string): string | undefined {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] ?? '';
  const level = method.toUpperCase() === 'GET' ? 'read' : 'write';
  if (/^\/(?:repos\/[^/]+\/[^/]+|repositories\/\d+)\/issues(?:\/|$)/.test(path)) return `issues: ${level}`;
  if (/^\/(?:repos\/[^/]+\/[^/]+|repositories\/\d+)\/(?:git|contents)(?:\/|$)/.test(path)) {
    return `contents: ${level}`;
  }
  if (/^\/(?:repos\/[^/]+\/[^/]+|repositories\/\d+)\/deployments(?:\/|$)/.test(path)) {
    return `deployments: ${level}`;
  }
  return undefined;
}
