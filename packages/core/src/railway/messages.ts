// Every message the Railway client shows, in one place so tests can assert exact text
// (codeql-action keeps its error messages together for the same reason). None of them takes the
// token: nothing here can print it, and Railway's own messages are redacted before they get here.
import type { AuthRefusal } from './auth.js';
import type { ResolvedToken } from './types.js';

const quote = (messages: readonly string[]): string => messages.map((m) => `"${m}"`).join('; ');

const afterAttempts = (attempts: number): string =>
  attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';

export function describeToken(token: ResolvedToken): string {
  const header = token.scheme === 'project' ? 'Project-Access-Token' : 'Authorization: Bearer';
  switch (token.configured) {
    case 'project':
      return `the project token (sent as ${header})`;
    case 'account':
    case 'workspace':
      return `the ${token.configured} token (sent as ${header})`;
    case 'auto':
      return token.scheme === 'project'
        ? `the token (railway-token-kind "auto" detected a project token; sent as ${header})`
        : 'the token (railway-token-kind "auto": Railway did not accept it as a project token, ' +
            `so it was sent as an account or workspace token with ${header})`;
  }
}

/** Where Railway's CLI sends a user to enable two-factor authentication (docs/railway.md, "Tokens"). */
export const RAILWAY_SECURITY_URL = 'https://railway.com/account/security';

export function authErrorMessage(
  operation: string,
  token: ResolvedToken,
  railwayMessage: string,
  refusal: AuthRefusal = 'not_authorized',
  workspaceName?: string,
): string {
  switch (refusal) {
    case 'project_token_not_found':
      return (
        `Railway does not know ${describeToken(token)}: it answered ${operation} with "${railwayMessage}". ` +
        'The project token was revoked or deleted, or the secret holds an account or workspace token ' +
        "sent as a project token. Create a project token under the project's Settings → Tokens and store " +
        'it in the secret passed as railway-token, or set railway-token-kind to the kind of token you have. ' +
        'Nothing on Railway was changed by this request.'
      );
    case 'two_factor_required':
      return (
        `Railway refused ${describeToken(token)} for ${operation}: "${railwayMessage}". The workspace ` +
        `${workspaceName === undefined ? '' : `"${workspaceName}" `}requires two-factor authentication and ` +
        `the token's user has not enabled it. Enable it at ${RAILWAY_SECURITY_URL} (or use a token of a ` +
        'user who has), then re-run the job.'
      );
    case 'not_authorized':
      return (
        `Railway refused ${describeToken(token)} for ${operation}: "${railwayMessage}". ` +
        'Check that the secret passed as railway-token holds a current Railway token, that the ' +
        'railway-token-kind input matches it (account, workspace or project; "auto" detects it), and ' +
        'that a project token belongs to the project and environment this action works on.'
      );
  }
}

export function graphQLErrorMessage(
  operation: string,
  messages: readonly string[],
  validation: boolean,
): string {
  const base = `Railway rejected ${operation}: ${quote(messages.length > 0 ? messages : ['no message'])}.`;
  return validation
    ? `${base} The request does not match Railway's GraphQL schema; that is a bug in the ` +
        'issue-sandbox actions, not in your settings: please report it with this log.'
    : base;
}

export function noDataMessage(operation: string): string {
  return `Railway answered ${operation} without errors but also without data.`;
}

export function httpErrorMessage(
  operation: string,
  status: number,
  contentType: string | null,
  excerpt: string,
  attempts: number,
): string {
  const what = contentType ? contentType.split(';')[0]?.trim() : 'no content type';
  const body = excerpt ? `: "${excerpt}"` : '';
  return `Railway answered ${operation} with HTTP ${status} (${what}) instead of a GraphQL answer${afterAttempts(attempts)}${body}.`;
}

export function outcomeUnknownMessage(operation: string, failure: string): string {
  return (
    `Railway may or may not have carried out ${operation}: ${failure} ` +
    "It is not sent again, because Railway's mutations are not idempotent; what Railway holds now decides."
  );
}

export function networkErrorMessage(operation: string, detail: string, attempts: number): string {
  return `Could not reach Railway for ${operation}${afterAttempts(attempts)}: ${detail}.`;
}

export function rateLimitMessage(
  operation: string,
  railwayMessage: string | undefined,
  retryAfterMs: number | undefined,
  attempts: number,
): string {
  const said = railwayMessage ? ` ("${railwayMessage}")` : '';
  const wait =
    retryAfterMs === undefined
      ? ''
      : ` Railway asks to wait ${Math.ceil(retryAfterMs / 1000)} s before the next request.`;
  return (
    `Railway rate-limited ${operation} with HTTP 429${said}${afterAttempts(attempts)}.${wait} ` +
    'Railway allows 100 requests an hour on Free, 1,000 (and 10 a second) on Hobby and 10,000 ' +
    '(and 50 a second) on Pro; re-run the job later.'
  );
}
