// Railway reads account and workspace tokens only from `Authorization: Bearer` and project tokens
// only from `Project-Access-Token`; a token in the wrong header is answered `Not Authorized`, like
// no token at all. The kind is either configured (`railway-token-kind`) or detected by the client.
import type { AuthScheme, RailwayTokenKind } from './types.js';

export function schemeFor(kind: Exclude<RailwayTokenKind, 'auto'>): AuthScheme {
  return kind === 'project' ? 'project' : 'bearer';
}

export function authHeaders(scheme: AuthScheme, token: string): Record<string, string> {
  return scheme === 'project' ? { 'Project-Access-Token': token } : { Authorization: `Bearer ${token}` };
}

/**
 * Why Railway refused a token, from the three wordings its CLI branches on (docs/railway.md,
 * "Tokens"):
 * - `not_authorized`: `Not Authorized`, a token Railway does not accept here;
 * - `project_token_not_found`: `Project Token not found`, a project token that was revoked, deleted
 *   or never existed (or an account token sent as one);
 * - `two_factor_required`: `Two Factor Authentication Required`, the workspace enforces 2FA and the
 *   token's user has not enabled it.
 */
export type AuthRefusal = 'not_authorized' | 'project_token_not_found' | 'two_factor_required';

const REFUSALS: ReadonlyArray<[string, AuthRefusal]> = [
  ['not authorized', 'not_authorized'],
  ['project token not found', 'project_token_not_found'],
  ['two factor authentication required', 'two_factor_required'],
];

/**
 * The refusal a GraphQL error message states, matched as the whole message (case and a trailing
 * period aside), never as a fragment of some other message: "Service not found" says nothing about
 * the token.
 */
export function authRefusalOf(message: string): AuthRefusal | undefined {
  const said = message.trim().replace(/\.$/, '').toLowerCase();
  return REFUSALS.find(([wording]) => wording === said)?.[1];
}
