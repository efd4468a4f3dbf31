// Every message the Railway client shows, in one place so tests can assert exact text
// (codeql-action keeps its error messages together for the same reason). None of them takes the
// token: nothing here can print it, and Railway's own messages are redacted before they get here.
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

export function authErrorMessage(operation: string, token: ResolvedToken, railwayMessage: string): string {
  return (
    `Railway refused ${describeToken(token)} for ${operation}: "${railwayMessage}". ` +
    'Check that the secret passed as railway-token holds a current Railway token, that the ' +
    'railway-token-kind input matches it (account, workspace or project; "auto" detects it), and ' +
    'that a project token belongs to the project and environment this action works on.'
  );
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
    'Railway allows 1,000 requests an hour on Hobby and 10,000 on Pro; re-run the job later.'
  );
}
