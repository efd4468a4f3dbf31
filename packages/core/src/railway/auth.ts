// Railway reads account and workspace tokens only from `Authorization: Bearer` and project tokens
// only from `Project-Access-Token`; a token in the wrong header is answered `Not Authorized`, like
// no token at all. The kind is either configured (`railway-token-kind`) or detected by the client.
import type { RailwayTokenKind } from '../settings/common.js';
import type { AuthScheme } from './types.js';

export function schemeFor(kind: Exclude<RailwayTokenKind, 'auto'>): AuthScheme {
  return kind === 'project' ? 'project' : 'bearer';
}

export function authHeaders(scheme: AuthScheme, token: string): Record<string, string> {
  return scheme === 'project' ? { 'Project-Access-Token': token } : { Authorization: `Bearer ${token}` };
}

/** Railway's answer to a refused token (HTTP 200, `data: null`). */
export function isNotAuthorized(message: string): boolean {
  return /not authori[sz]ed/i.test(message);
}
